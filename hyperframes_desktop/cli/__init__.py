"""``hyperframes-desktop``: the studio (no subcommand) or a headless subcommand."""

from __future__ import annotations

import argparse
import importlib
import os
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


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command-line parser; ``only``: with that one subcommand (the others' modules,
    e.g. the catalog's HTTP client for ``init``, are then never imported: a ``render``
    starts ~0.1 CPU-s sooner). ``--help`` at the top lists them all."""
    parser = argparse.ArgumentParser(
        prog="hyperframes-desktop",
        description="Preview and render HyperFrames compositions (HTML + CSS + GSAP) to video.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS if only is None else (only,):
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
    early = argv[0] in ("render", "still") and _start_capture_early(argv)
    try:
        parser = build_parser(argv[0] if argv[0] in COMMANDS else None)
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    finally:
        if early:
            # One the command did not take (bad input, a cached render) ends with it: it holds
            # the environment of the moment it started, right for this command only.
            from hyperframes_desktop.render.early_capture import stop_early

            stop_early()


def _start_capture_early(argv: list[str]) -> bool:
    """A local ``render`` or ``still`` needs a capture process: start one now, so its
    imports overlap ours and the compile (render.early_capture). Not for the farm, a batch
    or help."""
    if os.environ.get("HYPERFRAMES_FARM") or any(
        arg in ("-h", "--help", "--farm", "--batch") or arg.startswith(("--farm=", "--batch="))
        for arg in argv[1:]
    ):
        return False
    from hyperframes_desktop.render.early_capture import start_early

    start_early()
    return True


if __name__ == "__main__":
    sys.exit(main())
