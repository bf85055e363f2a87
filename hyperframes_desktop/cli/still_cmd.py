"""``hyperframes-desktop still``: one frame of a composition to a PNG or JPEG, headless."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hyperframes_desktop.project import ProjectError
from hyperframes_desktop.render import RenderCancelled, RenderError, RenderInputError
from hyperframes_desktop.render.media_errors import MediaInputError
from hyperframes_desktop.render.still import StillOptions, render_still
from hyperframes_desktop.render.variables import parse_variables_arg

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 1, 2, 130


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "still",
        help="save one frame as a PNG or JPEG image, headless",
        description="Save one frame of a composition as an image, with exactly the pixels that "
        "frame has in a png-sequence render. No video encoder is started.",
    )
    p.add_argument("project", nargs="?", default=".", help="project folder (default: .)")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--frame", type=int, metavar="N", help="frame number (0-based)")
    which.add_argument("--time", metavar="T", help="time in seconds: frame floor(T x fps)")
    p.add_argument(
        "-c", "--composition", help="composition file in the project (default index.html)"
    )
    p.add_argument(
        "-o", "--output", help="OUT.png or OUT.jpg (default PROJECT/renders/ID_frameN.png)"
    )
    p.add_argument("--resolution", help="output size of the same aspect (as for render)")
    p.add_argument("--variables", help='variable values as JSON, e.g. \'{"title": "Hi"}\'')
    p.add_argument("--variables-file", help="a JSON file of variable values")
    p.add_argument(
        "--offline",
        action="store_true",
        help="remote libraries, fonts and media from the cache only",
    )
    p.add_argument(
        "--follow-outside-links",
        action="store_true",
        help="follow links in the project that lead outside its folder (left out by default: "
        "a page could read what they reach); only for projects you trust",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        options = StillOptions(
            project=Path(args.project),
            frame=args.frame,
            time=args.time,
            composition=args.composition,
            output=Path(args.output) if args.output else None,
            resolution=args.resolution,
            variables=parse_variables_arg(args.variables, args.variables_file),
            offline=args.offline,
            follow_outside_links=args.follow_outside_links,
        )
        result = render_still(options)
    except (ProjectError, RenderInputError, MediaInputError) as exc:
        print(f"hyperframes-desktop: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except RenderError as exc:
        print(f"hyperframes-desktop: could not save the frame: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (RenderCancelled, KeyboardInterrupt):
        print("hyperframes-desktop: cancelled; no file was written.", file=sys.stderr)
        return EXIT_CANCELLED
    print(
        f"Saved frame {result.frame} ({result.width}x{result.height}) to {result.output} "
        f"in {result.elapsed_ms / 1000:.2f} s"
    )
    return EXIT_OK
