"""``init --example NAME [--video FILE] [--audio FILE] [--registry URL]``: a project from one
of HyperFrames' catalog examples."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hyperframes_desktop.catalog import CatalogError, RegistryClient, registry_base
from hyperframes_desktop.catalog.example import init_example

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--example", metavar="NAME", help="start from a HyperFrames catalog example")
    p.add_argument("--video", metavar="FILE", help="the video for the example's placeholders")
    p.add_argument("--audio", metavar="FILE", help="a sound file to copy in (sets the length)")
    p.add_argument("--registry", metavar="URL", help="registry base URL (default: HyperFrames')")


def run(args: argparse.Namespace) -> int:
    try:
        base = registry_base(args.registry, None)
        with RegistryClient(base) as client:
            result = init_example(
                client,
                args.example,
                Path(args.folder),
                video=Path(args.video) if args.video else None,
                audio=Path(args.audio) if args.audio else None,
                force=args.force,
            )
    except CatalogError as exc:
        print(f"hyperframes-desktop: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(
            json.dumps(
                {
                    "folder": str(result.folder),
                    "example": result.example,
                    "files": result.files,
                    "duration": result.duration,
                },
                indent=2,
            )
        )
    else:
        print(
            f"Created {result.folder} from the {result.example} example.\n"
            f"Next: hyperframes-desktop {result.folder}    (open it in the studio)"
        )
    return EXIT_OK
