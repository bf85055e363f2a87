"""Offscreen web views that can be seeked and grabbed frame-exactly."""

from __future__ import annotations

import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEventLoop, QRect, Qt, QUrl
from PySide6.QtGui import QColor, QImage
from PySide6.QtQuickWidgets import QQuickWidget
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
)
from PySide6.QtWebEngineWidgets import QWebEngineView

from hyperframes_desktop.quiet_page import QuietPage
from hyperframes_desktop.render.page_status import STATUS_EXPRESSION, parse_status


def strip_colour(frame: int) -> tuple[int, int, int]:
    """The colour the seek runtime paints below the stage for ``frame`` (see seek_runtime.js)."""
    r, g = frame & 255, (frame >> 8) & 255
    return r, g, (r ^ g ^ 0xA5) & 255


class SeekableView:
    """One QWebEngineView showing the compiled page, plus 'has it painted frame N yet?'."""

    def __init__(
        self, width: int, height: int, page_height: int, scale: float, transparent: bool = False
    ) -> None:
        self.width, self.height, self.scale = width, height, scale
        self.view = QWebEngineView()
        self.page = QuietPage(parent=self.view)
        self.view.setPage(self.page)
        if transparent:
            # both the page and the widget hosting it: the grab must carry real alpha
            self.page.setBackgroundColor(Qt.GlobalColor.transparent)
            self.view.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
        self.view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        stage_rows = round(height * scale)
        # The strip's rows are device pixels at every scale (see compile.STRIP_HEIGHT): scaled
        # with the page, 4 CSS pixels would be a single, edge-blended row at 0.25x.
        strip_rows = page_height - height
        self.view.resize(round(width * scale), stage_rows + strip_rows)
        if scale != 1.0:
            self.page.setZoomFactor(scale)
        self.loaded: bool | None = None
        self.dirty = True
        self.pending: int | None = None
        self.tag = 0  # the strip colour that says the pending state is on screen
        self.sent_at = 0.0
        self.view.loadFinished.connect(self._on_load)
        self.view.show()
        # the middle of the strip's rows, away from the edge the stage's last row may blend
        # into; column 2 lies inside the strip's corner at every scale (compile.STRIP_WIDTH)
        self._probe_y = stage_rows + strip_rows // 2
        self._quick: QQuickWidget | None = None

    def _on_load(self, ok: bool) -> None:
        self.loaded = bool(ok)
        self._watch_rendering()

    def _watch_rendering(self) -> None:
        """Mark the view dirty whenever its scene graph renders (a new frame may be there)."""
        proxy = self.view.focusProxy()
        if proxy is None or self._quick is not None:
            return
        try:
            quick = shiboken6.wrapInstance(shiboken6.getCppPointer(proxy)[0], QQuickWidget)
            quick.quickWindow().afterRendering.connect(self._mark_dirty)
            self._quick = quick
        except Exception:  # another Qt layout: fall back to grabbing on every wake-up
            self._quick = None

    def _mark_dirty(self) -> None:
        self.dirty = True

    def load(self, url: QUrl) -> None:
        self.view.load(url)

    def send_seek(self, frame: int) -> None:
        self.pending = frame
        self.send_script(f"window.__hf.seek({int(frame)});0", frame)

    def send_script(self, script: str, tag: int) -> None:
        """Run ``script``, which ends by painting the strip with ``tag``; try_grab then waits
        for that colour (another state of the pending frame, e.g. one scene of a transition)."""
        self.tag = tag
        self.sent_at = time.monotonic()
        self.dirty = True
        self.page.runJavaScript(script, 0)

    def try_grab(self, force: bool = False) -> QImage | None:
        """The grabbed image when it shows the pending frame, else None."""
        if self.pending is None or not (self.dirty or force or self._quick is None):
            return None
        self.dirty = False
        # A one-pixel grab of the strip first: most wake-ups come before the frame is drawn,
        # and a whole grab (a 1080p frame is 8 MB to render and copy) would be thrown away.
        probe = self.view.grab(QRect(2, self._probe_y, 1, 1)).toImage()
        if QColor(probe.pixel(0, 0)).getRgb()[:3] != strip_colour(self.tag):
            return None
        image = self.view.grab().toImage()
        if QColor(image.pixel(2, self._probe_y)).getRgb()[:3] != strip_colour(self.tag):
            return None
        return image


def evaluate(page: QWebEnginePage, loop: QEventLoop, script: str, timeout_s: float = 5.0) -> str:
    """Run ``script`` (an expression) and return its value as a string ('' on timeout).

    The result goes through String(): PySide turns arrays, objects and Promises into ''.
    The caller keeps a heartbeat timer running so WaitForMoreEvents always wakes up.
    """
    box: list[str] = []

    def done(value: object) -> None:
        box.append("" if value is None else str(value))

    page.runJavaScript(f"String({script})", 0, done)
    deadline = time.monotonic() + timeout_s
    while not box and time.monotonic() < deadline:
        loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    return box[0] if box else ""


def wait_until(loop: QEventLoop, predicate: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() >= deadline:
            return False
        loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    return True


def page_status(page: QWebEnginePage, loop: QEventLoop) -> dict:
    return parse_status(evaluate(page, loop, STATUS_EXPRESSION))
