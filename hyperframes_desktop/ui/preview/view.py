"""The preview stage: the composition's page letterboxed in a black area.

The page is compiled with the renderer's own compile stage (``strip=False``) and seeked
with the same runtime, so the preview shows what a render will capture.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

from hyperframes_desktop.project import Composition
from hyperframes_desktop.render.compile import CompiledPage
from hyperframes_desktop.render.leftovers import make_scratch
from hyperframes_desktop.render.video_extract import page_injection
from hyperframes_desktop.ui.background import start_task
from hyperframes_desktop.ui.preview.compiled import compile_for_view
from hyperframes_desktop.ui.preview.page import make_view
from hyperframes_desktop.ui.preview.video_frames import VideoFramesTask, has_videos

_MARGIN = 8


class _ClickCatcher(QWidget):
    """Transparent layer over the page: the page never gets the mouse, the studio does."""

    clicked = Signal()
    clicked_at = Signal(QPointF)  # where, in the catcher's (= the view's) pixels
    double_clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
            self.clicked_at.emit(event.position())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.double_clicked.emit()


class PreviewView(QWidget):
    clicked = Signal()
    clicked_at = Signal(QPointF)  # view pixels (the timeline picks the clip under it)
    double_clicked = Signal()
    reloading = Signal()  # the page is about to load again (now with the extracted frames)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(24, 24, 27))
        self.setPalette(palette)
        self.setMinimumSize(240, 135)
        self.web, self.driver = make_view(self)
        self.web.hide()
        self._scratch = make_scratch("preview")
        self._loads = 0
        self.compiled: CompiledPage | None = None
        self.variables: dict | None = None  # values for the root's declared variables
        self._frames_task: VideoFramesTask | None = None
        self._frames_comp: Composition | None = None
        self.message = QLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet("color: #d4d4d8; padding: 24px;")
        self.catcher = _ClickCatcher(self)
        self.catcher.clicked.connect(self.clicked)
        self.catcher.clicked_at.connect(self.clicked_at)
        self.catcher.double_clicked.connect(self.double_clicked)
        self.driver.failed.connect(self.show_message)
        self.web.loadFinished.connect(self._keep_focus_away)
        self.destroyed.connect(_remover(self._scratch))
        self.show_message("Open a project and select a composition to preview it.")

    # ---- content ----------------------------------------------------------------------
    def show_composition(self, comp: Composition) -> CompiledPage:
        """Compile ``comp`` into a scratch folder and load it; returns the compiled page."""
        self._loads += 1
        folder = self._scratch / f"load-{self._loads}"
        previous = self._scratch / f"load-{self._loads - 2}"
        shutil.rmtree(previous, ignore_errors=True)  # the one before last is surely unused
        compiled = compile_for_view(comp, folder, variables=self.variables)
        self.compiled = compiled
        self.message.hide()
        self.web.show()
        self._fit()
        self.driver.load(compiled)
        self._extract_video_frames(comp)
        return compiled

    def shutdown(self) -> None:
        """The window is closing: FFmpeg stops, a late result or page answer is ignored."""
        self._loads += 1
        self._cancel_video_frames()
        self.driver.stop()

    def _cancel_video_frames(self) -> None:
        if self._frames_task is not None:
            self._frames_task.cancel.set()
            self._frames_task = None
        self._frames_comp = None

    def _extract_video_frames(self, comp: Composition) -> None:
        self._cancel_video_frames()
        if not has_videos(comp):
            return
        task = VideoFramesTask(comp, self._loads)
        self._frames_task = task
        self._frames_comp = comp
        start_task(
            task.run,
            context=self,
            ready=self._on_video_frames,
            failed=self._on_video_frames_failed,
        )

    def _on_video_frames(self, generation: int, frames: object) -> None:
        if generation != self._loads or self._frames_comp is None or not frames.manifest:
            return  # another composition was opened meanwhile
        folder = self._scratch / f"load-{self._loads}-frames"
        self.compiled = compile_for_view(
            self._frames_comp, folder, extra_head=page_injection(frames), variables=self.variables
        )
        self.reloading.emit()
        self.driver.load(self.compiled)  # ready → the panel seeks back to its current frame

    def _on_video_frames_failed(self, generation: int, text: str) -> None:
        if generation == self._loads:
            self.driver.warning.emit(f"Video frames: {text}")

    def show_message(self, text: str) -> None:
        """Replace the stage with a sentence (no project, bad composition, crashed page)."""
        self.web.hide()
        self.message.setText(text)
        self.message.show()
        self.message.raise_()
        self.message.setGeometry(self.rect())

    def clear(self, text: str) -> None:
        self.compiled = None
        self.driver.clear()
        self.show_message(text)

    def grab_stage(self) -> QImage:
        """What the stage shows now, at its on-screen size."""
        return self.web.grab().toImage()

    # ---- layout -----------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()
        self.message.setGeometry(self.rect())

    def _fit(self) -> None:
        self.catcher.setGeometry(self.rect())
        self.catcher.raise_()
        if self.compiled is None:
            return
        w, h = self.compiled.width, self.compiled.height
        avail_w = max(1, self.width() - 2 * _MARGIN)
        avail_h = max(1, self.height() - 2 * _MARGIN)
        scale = max(0.25, min(avail_w / w, avail_h / h, 5.0))
        view_w, view_h = max(1, round(w * scale)), max(1, round(h * scale))
        self.web.setGeometry(
            (self.width() - view_w) // 2, (self.height() - view_h) // 2, view_w, view_h
        )
        self.driver.set_zoom(scale)

    def _keep_focus_away(self, _ok: bool) -> None:
        proxy = self.web.focusProxy()
        if proxy is not None:
            proxy.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def _remover(folder: Path):
    def remove(_obj: QObject | None = None) -> None:
        shutil.rmtree(folder, ignore_errors=True)

    return remove
