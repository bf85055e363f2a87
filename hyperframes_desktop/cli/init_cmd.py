"""``hyperframes-desktop init DIR``: a new project from a bundled template (or, with
``--example``, from HyperFrames' catalog)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path

from hyperframes_desktop.scaffold import (
    DEFAULT_TEMPLATE,
    InitError,
    InitOptions,
    init_project,
    list_templates,
)
from hyperframes_desktop.scaffold.resolutions import MAIN_NAMES

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "init",
        help="start a new project from a template",
        description="Start a new project in DIR from a bundled template (offline). On a "
        "terminal it asks for anything not given, unless --non-interactive.",
    )
    p.add_argument("folder", nargs="?", metavar="DIR", help="the new project's folder")
    p.add_argument(
        "-t",
        "--template",
        help=f"bundled template (default {DEFAULT_TEMPLATE}); see --list-templates",
    )
    p.add_argument(
        "--resolution",
        help="landscape, portrait, square, landscape-4k, portrait-4k, square-4k or WxH "
        "(default: the template's)",
    )
    p.add_argument("--fps", help="frames per second (default 30)")
    p.add_argument("--force", action="store_true", help="write into a folder that has files")
    p.add_argument("--non-interactive", action="store_true", help="never ask; use defaults")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--list-templates", action="store_true", help="list the templates and exit")
    _add_example_arguments(p)
    p.set_defaults(func=run)


def _add_example_arguments(p: argparse.ArgumentParser) -> None:
    """The catalog options (``--example``); registered here, run by cli/init_example.py."""
    try:
        from hyperframes_desktop.cli import init_example
    except ImportError:  # the catalog is not part of this build
        return
    init_example.add_arguments(p)


def _ask(prompt: str, choices: list[str], default: str, read: Callable[[str], str]) -> str:
    while True:
        answer = read(f"{prompt} [{default}]: ").strip() or default
        if answer in choices or (answer.isdigit() and 1 <= int(answer) <= len(choices)):
            return choices[int(answer) - 1] if answer.isdigit() else answer
        print(f"  Please answer one of: {', '.join(choices)}.", file=sys.stderr)


def ask_missing(args: argparse.Namespace, read: Callable[[str], str] = input) -> None:
    """Fill what a terminal user did not give on the command line, with the same choices."""
    if not args.folder:
        args.folder = read("Project folder [my-video]: ").strip() or "my-video"
    if args.template is None and not getattr(args, "example", None):
        templates = list_templates()
        for i, t in enumerate(templates, 1):
            print(f"  {i}. {t.name:<15} {t.title}", file=sys.stderr)
        args.template = _ask("Template", [t.name for t in templates], DEFAULT_TEMPLATE, read)
    if args.resolution is None:
        choices = [*MAIN_NAMES, "template"]
        args.resolution = _ask(f"Resolution ({', '.join(choices)})", choices, "template", read)
        if args.resolution == "template":
            args.resolution = None
    if args.fps is None:
        args.fps = read("Frames per second [30]: ").strip() or None


def _list() -> int:
    for t in list_templates():
        print(f"{t.name:<15} {t.title}: {t.description}")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    if args.list_templates:
        return _list()
    if not args.non_interactive and not args.json and sys.stdin.isatty():
        try:
            ask_missing(args)
        except (EOFError, KeyboardInterrupt):
            print("\nhyperframes-desktop: cancelled; nothing was written.", file=sys.stderr)
            return EXIT_BAD_INPUT
    if not args.folder:
        print(
            "hyperframes-desktop: init needs a folder. Fix: hyperframes-desktop init my-video",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if getattr(args, "example", None):
        from hyperframes_desktop.cli import init_example

        mixed = [o for o, v in (("--template", args.template), ("--resolution", args.resolution),
                                ("--fps", args.fps)) if v]  # fmt: skip
        if mixed:
            print(
                f"hyperframes-desktop: {', '.join(mixed)} apply to bundled templates; an example "
                "keeps its own size and frame rate. Fix: leave them out, or drop --example.",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        return init_example.run(args)
    try:
        result = init_project(
            InitOptions(
                folder=Path(args.folder),
                template=args.template or DEFAULT_TEMPLATE,
                resolution=args.resolution,
                fps=args.fps,
                force=args.force,
            )
        )
    except InitError as exc:
        print(f"hyperframes-desktop: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        data = dataclasses.asdict(result)
        data["folder"] = str(result.folder)
        print(json.dumps(data, indent=2))
    else:
        print(
            f"Created {result.folder} from the {result.template} template "
            f"({result.width}x{result.height}, {result.fps} fps).\n"
            f"Next: hyperframes-desktop {result.folder}    (open it in the studio)\n"
            f"      hyperframes-desktop render {result.folder}"
        )
    return EXIT_OK
