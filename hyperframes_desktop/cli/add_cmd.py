"""``hyperframes-desktop add NAME…``: install catalog blocks and components into a project."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hyperframes_desktop.catalog import CatalogError, RegistryClient, add_items, registry_base

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "add",
        help="install blocks or components from the catalog into a project",
        description="Install catalog items (and the items they depend on) into a project, "
        "where its hyperframes.json says (default: blocks in compositions/, components in "
        "compositions/components/, assets in assets/). Prints the element that mounts a block.",
    )
    p.add_argument("names", nargs="+", metavar="NAME", help="item names (see catalog)")
    p.add_argument("--dir", default=".", help="the project folder (default: .)")
    p.add_argument("--registry", metavar="URL", help="registry base URL")
    p.add_argument("--force", action="store_true", help="replace files that differ")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    project = Path(args.dir)
    try:
        with RegistryClient(registry_base(args.registry, project)) as client:
            result = add_items(client, list(args.names), project, force=args.force)
    except CatalogError as exc:
        print(f"hyperframes-desktop: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result.__dict__, indent=2))
        return EXIT_OK
    print(f"Installed {', '.join(result.items)}.")
    for path in result.written:
        print(f"  wrote {path}")
    for path in result.unchanged:
        print(f"  kept  {path} (already up to date)")
    for name, snippet in result.snippets.items():
        print(f"Mount {name} in a composition with (set data-start and data-track-index):")
        print(f"  {snippet}")
    return EXIT_OK
