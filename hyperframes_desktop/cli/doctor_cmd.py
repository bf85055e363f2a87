"""``hyperframes-desktop doctor [--json]``: is this machine ready to render and run the studio?

Exit 0 when nothing blocks rendering (warnings allowed), 1 when something does (FFmpeg,
ffprobe, an encoder, QtWebEngine, the bundled fonts or a writable temp folder is missing).
The checks are in cli/doctor_checks.py (Qt-free); the Qt version lookup is here, the
preview sound's checks (QtMultimedia, an audio output) in cli/doctor_sound.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from hyperframes_desktop.cli.doctor_checks import ERROR, OK, SKIPPED, WARNING, Check, run_checks
from hyperframes_desktop.cli.doctor_render_cache import clear_render_cache, render_cache_checks
from hyperframes_desktop.cli.doctor_resources import clear_cache, resource_checks
from hyperframes_desktop.cli.doctor_sound import sound_checks

EXIT_OK, EXIT_BLOCKED = 0, 1
_LABEL = {OK: "ok", WARNING: "warning", ERROR: "ERROR", SKIPPED: "skipped"}
_QT_FIX = (
    "reinstall the Qt packages (pip install --force-reinstall PySide6-Essentials "
    "PySide6-Addons PySide6-WebEngine) and make sure the system libraries QtWebEngine needs "
    "are installed (on Debian/Ubuntu: libnss3 libxkbcommon0 libgbm1 libasound2)"
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "doctor",
        help="check that this machine can render and run the studio",
        description="Check versions, FFmpeg and its encoders, the Chromium sandbox, the "
        "bundled fonts, the app's folders, the display and telemetry. Exits 1 when "
        "something blocks rendering.",
    )
    p.add_argument("--json", action="store_true", help="print the checks as one JSON object")
    p.add_argument(
        "--clear-cache",
        action="store_true",
        help="empty the cache of downloaded libraries and fonts, then exit",
    )
    p.add_argument(
        "--clear-render-cache",
        action="store_true",
        help="empty the render cache (segments kept for re-renders), then exit",
    )
    p.set_defaults(func=run)


def qt_checks() -> list[Check]:
    """Qt and QtWebEngine versions (importing PySide6 only here, in the CLI layer)."""
    try:
        import PySide6
        from PySide6 import QtCore
    except Exception as exc:  # a broken install: any import error is the finding
        detail = f"PySide6 cannot be loaded ({exc})"
        return [
            Check("qt", "Qt", ERROR, detail, _QT_FIX),
            Check("qtwebengine", "QtWebEngine", SKIPPED, "not checked: Qt cannot be loaded"),
        ]
    qt = Check(
        "qt",
        "Qt",
        OK,
        f"{QtCore.qVersion()} (PySide6 {PySide6.__version__})",
        data={"version": QtCore.qVersion(), "pyside6": PySide6.__version__},
    )
    try:
        from PySide6 import QtWebEngineCore
    except Exception as exc:
        detail = f"QtWebEngine cannot be loaded ({exc}); pages cannot be captured"
        return [qt, Check("qtwebengine", "QtWebEngine", ERROR, detail, _QT_FIX)]
    version = QtWebEngineCore.qWebEngineVersion()
    chromium = QtWebEngineCore.qWebEngineChromiumVersion()
    web = Check(
        "qtwebengine",
        "QtWebEngine",
        OK,
        f"{version} (Chromium {chromium})",
        data={"version": version, "chromium": chromium},
    )
    return [qt, web]


def report(checks: list[Check]) -> dict:
    blocking = [c.id for c in checks if c.blocks_rendering]
    return {
        "ok": not blocking,
        "blocking": blocking,
        "warnings": [c.id for c in checks if c.status == WARNING],
        "checks": [c.as_dict() for c in checks],
    }


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    stream = out if out is not None else sys.stdout
    if getattr(args, "clear_cache", False):
        print(clear_cache(), file=stream)
        return EXIT_OK
    if getattr(args, "clear_render_cache", False):
        print(clear_render_cache(), file=stream)
        return EXIT_OK
    checks = run_checks(lambda: qt_checks() + sound_checks())
    checks += resource_checks() + render_cache_checks()
    summary = report(checks)
    if args.json:
        print(json.dumps(summary, indent=2), file=stream)
    else:
        print_checks(checks, stream)
    return EXIT_OK if summary["ok"] else EXIT_BLOCKED


def print_checks(checks: list[Check], stream: TextIO) -> None:
    title_width = max(len(c.title) for c in checks)
    for check in checks:
        label = _LABEL[check.status]
        print(f"{label:<8} {check.title:<{title_width}}  {check.detail}", file=stream)
        if check.fix:
            fix = check.fix if check.fix.endswith(".") else check.fix + "."
            print(f"{'':<8} {'':<{title_width}}  Fix: {fix[0].upper()}{fix[1:]}", file=stream)
    blocking = [c.title for c in checks if c.blocks_rendering]
    warnings = sum(c.status == WARNING for c in checks)
    noted = f" ({warnings} warning{'' if warnings == 1 else 's'})" if warnings else ""
    print("", file=stream)
    if blocking:
        print(f"Rendering is blocked by: {', '.join(blocking)}{noted}.", file=stream)
    else:
        print(f"Ready to render{noted}.", file=stream)
