"""What the studio adds to telemetry: display facts for every event's metadata.

The hook may be called from any thread that tracks an event; Qt's screen objects belong to
the GUI (main) thread, so other threads get the values last read there.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QDateTime, QLocale
from PySide6.QtGui import QGuiApplication

from hyperframes_desktop import telemetry

_last: dict[str, Any] = {}


def display_metadata() -> dict[str, Any]:
    """Screen size (logical pixels), device pixel ratio, UI language, UTC offset."""
    global _last
    app = QGuiApplication.instance()
    if app is None or threading.current_thread() is not threading.main_thread():
        return dict(_last)
    values: dict[str, Any] = {
        "language": QLocale().bcp47Name() or None,
        "timezone_offset_minutes": QDateTime.currentDateTime().offsetFromUtc() // 60,
    }
    screen = QGuiApplication.primaryScreen()
    if screen is not None:
        size = screen.size()
        values["screen_width"] = size.width()
        values["screen_height"] = size.height()
        values["device_pixel_ratio"] = round(float(screen.devicePixelRatio()), 2)
    _last = values
    return dict(values)


def install_metadata_hook() -> None:
    display_metadata()  # read once on the GUI thread
    telemetry.set_metadata_hook(display_metadata)
