"""``HYPERFRAMES_SCREENSHOT=path``: save a picture of the settled studio, then quit.

Used by scripts/screenshot.sh (under Xvfb) for the README image.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from hyperframes_desktop.ui.preview.panel import PreviewPanel

_POLL_MS = 100
_SETTLE_MS = 800
_TIMEOUT_S = 30.0
_FRAME_FRACTION = 0.45


class ScreenshotTaker(QObject):
    def __init__(
        self,
        window: QWidget,
        path: Path,
        preview: PreviewPanel,
        busy: Callable[[], bool],
        select_topmost: Callable[[int], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._preview = preview
        self._busy = busy
        self._select_topmost = select_topmost
        self._path = path
        self._deadline = 0.0
        self._poll = QTimer(self, interval=_POLL_MS)
        self._poll.timeout.connect(self._check)

    def start(self) -> None:
        self._deadline = time.monotonic() + _TIMEOUT_S
        self._poll.start()

    def _check(self) -> None:
        window = self._window
        settled = window.isVisible() and self._preview.is_ready and not self._busy()
        if not settled and time.monotonic() < self._deadline:
            return
        self._poll.stop()
        controller = self._preview.controller
        frame = round(controller.last_frame * _FRAME_FRACTION)
        controller.seek(frame)
        self._select_topmost(frame)  # show the selection outline and inspector
        QTimer.singleShot(_SETTLE_MS, self._save)

    def _save(self) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        if self._window.grab().save(str(self._path), "PNG"):
            print(f"screenshot saved to {self._path}", file=sys.stderr)
        else:
            print(f"could not save the screenshot to {self._path}", file=sys.stderr)
        self._window.close()
