"""``hyperframes-desktop [studio] [PROJECT]``: open the native studio."""

from __future__ import annotations

import argparse
import os
import re
import sys

#: Debian/Ubuntu packages of system libraries the studio's Qt modules link against.
_LIBRARY_PACKAGES = {
    "libpulse.so.0": "libpulse0",
    "libasound.so.2": "libasound2",
    "libnss3.so": "libnss3",
    "libxkbfile.so.1": "libxkbfile1",
    "libxcomposite.so.1": "libxcomposite1",
    "libxdamage.so.1": "libxdamage1",
    "libxtst.so.6": "libxtst6",
    "libgbm.so.1": "libgbm1",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
}


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("studio", help="open the studio (the default without a command)")
    parser.add_argument("project", nargs="?", help="project folder to open")
    parser.add_argument(
        "--follow-outside-links",
        action="store_true",
        help="follow the project's links that lead outside its folder until the studio quits "
        "(left out by default: a page could read what they reach); only for projects you trust",
    )
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
    problem = missing_studio_library()
    if problem:
        print(f"hyperframes-desktop: {problem}", file=sys.stderr)
        return 2
    if getattr(args, "follow_outside_links", False):
        if not args.project:
            print(
                "hyperframes-desktop: --follow-outside-links needs the project folder to allow, "
                "e.g. hyperframes-desktop studio PROJECT --follow-outside-links",
                file=sys.stderr,
            )
            return 2
        from pathlib import Path

        from hyperframes_desktop.project.outside_links import allow_for_session

        allow_for_session(Path(args.project).expanduser())
    from hyperframes_desktop.app import run_studio

    return run_studio(args.project)


def missing_studio_library() -> str | None:
    """A sentence when a Qt module the studio uses cannot load (a system library missing).

    Rendering does not need these (the preview's sound uses QtMultimedia, which links
    PulseAudio's client library), so only the studio stops, with the package to install.
    """
    try:
        import PySide6.QtMultimedia
        import PySide6.QtWebEngineWidgets  # noqa: F401
    except ImportError as exc:
        library, package = missing_library(exc)
        fix = (
            f"install it (Debian/Ubuntu: sudo apt install {package})"
            if package
            else "install the system package that provides it"
        )
        what = f"the system library {library}" if library else "a part of Qt"
        return (
            f"the studio cannot start: {what} could not be loaded ({exc}). Fix: {fix}, then "
            "run hyperframes-desktop doctor. Rendering from the command line still works."
        )
    return None


def missing_library(exc: BaseException) -> tuple[str | None, str | None]:
    """The system library an import error names (``libpulse.so.0``), and the Debian/Ubuntu
    package that provides it when we know it; (None, None) when it names none."""
    found = re.search(r"(lib[\w.+-]*\.so(?:\.\d+)*)", str(exc))
    library = found[1] if found else None
    return library, _LIBRARY_PACKAGES.get(library or "")
