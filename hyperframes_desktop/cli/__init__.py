"""``hyperframes-desktop``: the studio (no subcommand) or a headless subcommand."""

from __future__ import annotations

import argparse
import importlib
import sys

from hyperframes_desktop import __version__

#: Subcommands, in the order ``--help`` lists them; each is ``cli/<name>_cmd.py`` (a ``-`` in
#: the name is ``_`` there) with an ``add_parser(subparsers)`` that sets ``func``.
COMMANDS = (
    "init",
    "catalog",
    "add",
    "render",
    "still",
    "compositions",
    "doctor",
    "lint",
    "vendor",
    "telemetry",
    "farm-scheduler",
    "farm-worker",
    "studio",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hyperframes-desktop",
        description="Preview and render HyperFrames compositions (HTML + CSS + GSAP) to video.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"hyperframes_desktop.cli.{name.replace('-', '_')}_cmd").add_parser(
            sub
        )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) >= 2 and argv[0] == "--capture-worker":  # frozen builds re-enter here
        from hyperframes_desktop.render.worker.__main__ import main as worker_main

        return worker_main(["worker", *argv[1:]])
    if len(argv) >= 2 and argv[0] == "--farm-chunk":  # a frozen farm worker's chunk process
        from hyperframes_desktop.render.farm.chunk_runner import main as chunk_main

        return chunk_main(["chunk_runner", *argv[1:]])
    known = {*COMMANDS, "-h", "--help", "--version"}
    if not argv or argv[0] not in known:
        argv = ["studio", *argv]
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
