"""``hyperframes-desktop [studio] [PROJECT]``: open the native studio."""

from __future__ import annotations

import argparse
import os
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("studio", help="open the studio (the default without a command)")
    parser.add_argument("project", nargs="?", help="project folder to open")
    parser.set_defaults(func=run)


def has_display() -> bool:
    if sys.platform.startswith("linux"):
        platform = os.environ.get("QT_QPA_PLATFORM", "")
        return bool(
            platform.startswith(("offscreen", "minimal", "vnc"))
            or os.environ.get("DISPLAY")
            or os.environ.get("WAYLAND_DISPLAY")
        )
    return True


def run(args: argparse.Namespace) -> int:
    if not has_display():
        print(
            "hyperframes-desktop: no display found, so the studio cannot open. To render "
            "without a display use: hyperframes-desktop render PROJECT -o OUT.mp4",
            file=sys.stderr,
        )
        return 2
    from hyperframes_desktop.app import run_studio

    return run_studio(args.project)
