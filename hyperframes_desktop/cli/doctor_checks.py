"""The environment checks behind ``hyperframes-desktop doctor``, in display order (Qt-free;
the Qt and QtWebEngine versions are looked up by cli/doctor_cmd.py). The checks themselves
live by family: doctor_system.py, doctor_ffmpeg.py, doctor_folders.py.

Each check gives a :class:`Check`: ``ok``, ``warning`` (something is degraded, renders still
work), ``error`` (rendering is blocked) or ``skipped`` (could not be checked because of an
earlier error), with a fix sentence for anything not ok.
"""

from __future__ import annotations

from collections.abc import Callable

from hyperframes_desktop.cli.doctor_check import ERROR, OK, SKIPPED, WARNING, Check
from hyperframes_desktop.cli.doctor_ffmpeg import (
    available_encoders,
    check_encoders,
    check_tool,
    needed_encoders,
)
from hyperframes_desktop.cli.doctor_folders import app_folders, check_folder
from hyperframes_desktop.cli.doctor_system import (
    check_app,
    check_display,
    check_fonts,
    check_python,
    check_sandbox,
    check_telemetry,
    check_webgl,
    display_description,
    install_kind,
)

__all__ = [
    "ERROR",
    "OK",
    "SKIPPED",
    "WARNING",
    "Check",
    "app_folders",
    "available_encoders",
    "check_app",
    "check_display",
    "check_encoders",
    "check_folder",
    "check_fonts",
    "check_python",
    "check_sandbox",
    "check_telemetry",
    "check_webgl",
    "display_description",
    "install_kind",
    "needed_encoders",
    "run_checks",
]


def run_checks(qt_checks: Callable[[], list[Check]] | None = None) -> list[Check]:
    """Every check in display order; ``qt_checks`` adds the Qt/QtWebEngine versions."""
    checks = [check_app(), check_python()]
    if qt_checks is not None:
        checks += qt_checks()
    ffmpeg = check_tool("ffmpeg", "FFmpeg")
    checks += [ffmpeg.check, check_tool("ffprobe", "FFprobe").check]
    checks.append(check_encoders(ffmpeg.path is not None))
    checks += [check_sandbox(), check_fonts(), check_webgl()]
    checks += [check_folder(*folder) for folder in app_folders()]
    checks += [check_display(), check_telemetry()]
    return checks
