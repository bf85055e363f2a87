"""Composition thumbnails, made one at a time in a hidden web view.

The page work happens in QtWebEngine's renderer process, so the GUI thread only starts a
load and grabs the result: the studio stays responsive while thumbnails appear.
"""

from __future__ import annotations

import shutil
from collections import deque
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage

from hyperframes_desktop.project import ProjectError, load_composition
from hyperframes_desktop.render.leftovers import make_scratch
from hyperframes_desktop.ui.preview.compiled import compile_for_view
from hyperframes_desktop.ui.preview.page import make_view

THUMB_WIDTH = 160
_SETTLE_MS = 250  # after the seek returns, let the compositor paint it
_ITEM_TIMEOUT_MS = 8000


def _key(path: Path) -> tuple[str, float]:
    try:
        return str(path), path.stat().st_mtime
    except OSError:
        return str(path), 0.0


class ThumbnailMaker(QObject):
    thumbnail_ready = Signal(str, QImage)  # composition path, image THUMB_WIDTH wide
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view, self._driver = make_view()
        self._view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        self._view.show()
        self._scratch = make_scratch("thumbs")
        self._queue: deque[tuple[Path, Path]] = deque()
        self._current: Path | None = None
        self._cache: dict[tuple[str, float], QImage] = {}
        self._count = 0
        self._closed = False
        self._settle = QTimer(self, singleShot=True, interval=_SETTLE_MS)
        self._settle.timeout.connect(self._grab)
        self._watchdog = QTimer(self, singleShot=True, interval=_ITEM_TIMEOUT_MS)
        self._watchdog.timeout.connect(self._give_up)
        self._driver.ready.connect(self._on_ready)
        self._driver.frame_shown.connect(self._on_shown)
        self._driver.failed.connect(self._on_failed)

    @property
    def made(self) -> int:
        """Thumbnails rendered so far (cached ones sent again are not counted)."""
        return self._count

    @property
    def busy(self) -> bool:
        return self._current is not None or bool(self._queue)

    def request(self, project: Path, compositions: list[Path]) -> None:
        """Make thumbnails for these files (cached ones are sent at once)."""
        if self._closed:
            return
        self._queue.clear()
        for path in compositions:
            cached = self._cache.get(_key(path))
            if cached is not None:
                self.thumbnail_ready.emit(str(path), cached)
            elif path != self._current:  # the one in progress will be sent anyway
                self._queue.append((project, path))
        if self._current is None:
            self._next()

    def forget(self, compositions: set[Path] | list[Path]) -> None:
        """Drop cached thumbnails of compositions that changed without their own file
        changing (a sub-composition, a stylesheet or an image they use was saved)."""
        names = {str(p) for p in compositions}
        for key in [k for k in self._cache if k[0] in names]:
            del self._cache[key]

    def shutdown(self) -> None:
        """Stop for good (the window is closing): later requests are ignored."""
        if self._closed:
            return
        self._closed = True
        self._queue.clear()
        self._settle.stop()
        self._watchdog.stop()
        self._current = None
        self._driver.stop()
        self._view.close()
        self._view.deleteLater()
        shutil.rmtree(self._scratch, ignore_errors=True)

    # ---- one item at a time -------------------------------------------------------------
    def _next(self) -> None:
        self._current = None
        while self._queue:
            project, path = self._queue.popleft()
            try:
                comp = load_composition(project, path)
                self._count += 1
                folder = self._scratch / f"t{self._count}"
                compiled = compile_for_view(comp, folder)
            except (ProjectError, OSError):
                continue  # the panel already shows why this one is broken
            zoom = max(0.25, min(1.0, THUMB_WIDTH / comp.width))
            self._view.resize(max(1, round(comp.width * zoom)), max(1, round(comp.height * zoom)))
            self._driver.set_zoom(zoom)
            self._current = path
            self._watchdog.start()
            self._driver.load(compiled)
            return
        self.idle.emit()

    def _on_ready(self) -> None:
        compiled = self._driver.compiled
        if self._current is None or compiled is None:
            return
        self._driver.seek(int(compiled.frame_count * 0.4))

    def _on_shown(self, _frame: int) -> None:
        if self._current is not None:
            self._settle.start()

    def _grab(self) -> None:
        path = self._current
        if path is None:
            return
        self._watchdog.stop()
        image = self._view.grab().toImage()
        if image.width() > THUMB_WIDTH:
            image = image.scaledToWidth(THUMB_WIDTH, Qt.TransformationMode.SmoothTransformation)
        self._cache[_key(path)] = image
        shutil.rmtree(self._scratch / f"t{self._count}", ignore_errors=True)
        self.thumbnail_ready.emit(str(path), image)
        self._next()

    def _on_failed(self, _message: str) -> None:
        self._give_up()

    def _give_up(self) -> None:
        self._watchdog.stop()
        self._settle.stop()
        self._next()
