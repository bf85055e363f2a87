"""The timeline's link to the preview: the selection outline drawn over the stage, and the
clip under a click on the stage.

The outline's rectangle comes from the page (``getBoundingClientRect`` of the element, at
the frame on screen), scaled by the stage's zoom; it is refreshed after every seek.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Signal

from hyperframes_desktop.ui.stage import Preview
from hyperframes_desktop.ui.timeline.overlay import SelectionOverlay
from hyperframes_desktop.ui.timeline.page_queries import clip_at_point, element_rect


class PreviewLink(QObject):
    clip_picked = Signal(str)  # id of the topmost clip under a click on the stage
    empty_click = Signal()  # a click on no clip (the stage's old meaning: play/pause)

    def __init__(self, preview: Preview, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        view = preview.view
        self.overlay = SelectionOverlay(view)
        self.element_id: str | None = None
        self.label = ""
        self.clip_ids: list[str] = []
        self._asked = 0
        view.installEventFilter(self)
        view.driver.frame_shown.connect(self._on_frame_shown)
        view.driver.ready.connect(self.refresh)
        view.clicked_at.connect(self._on_click)
        # A click now selects the clip under it; only a click on no clip plays/pauses.
        try:
            view.clicked.disconnect(preview.controller.toggle_play)
        except (RuntimeError, TypeError):  # the preview no longer plays on a click itself
            pass
        else:
            self.empty_click.connect(preview.controller.toggle_play)

    # ---- outline ----------------------------------------------------------------------
    def outline(self, element_id: str | None, label: str = "") -> None:
        self.element_id = element_id
        self.label = label
        self.refresh()

    def refresh(self) -> None:
        if not self.element_id or not self.preview.is_ready:
            self.overlay.show_rect(None)
            return
        self._asked += 1
        asked = self._asked
        element_rect(self.preview.view.driver.page, self.element_id, self._rect_callback(asked))

    def _rect_callback(self, asked: int):
        def done(rect: object) -> None:
            if asked != self._asked:
                return  # a newer question is on its way
            self._show(rect if isinstance(rect, dict) else None)

        return done

    def _show(self, rect: dict | None) -> None:
        web = self.preview.view.web
        zoom = self.zoom()
        if rect is None or zoom <= 0 or not web.isVisible() or not (rect["w"] and rect["h"]):
            self.overlay.show_rect(None)  # nothing drawn (an <audio>, an empty box): no outline
            return
        self.overlay.setGeometry(web.geometry())
        box = QRectF(rect["x"] * zoom, rect["y"] * zoom, rect["w"] * zoom, rect["h"] * zoom)
        self.overlay.show_rect(box, self.label, dimmed=not rect.get("shown", True))

    def zoom(self) -> float:
        compiled = self.preview.view.compiled
        web = self.preview.view.web
        return web.width() / compiled.width if compiled is not None and compiled.width else 0.0

    def _on_frame_shown(self, _frame: int) -> None:
        if self.element_id:
            self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.preview.view and event.type() == QEvent.Type.Resize:
            self.refresh()
        return False

    # ---- picking ----------------------------------------------------------------------
    def _on_click(self, pos: QPointF) -> None:
        web = self.preview.view.web
        zoom = self.zoom()
        if not self.clip_ids or not self.preview.is_ready or zoom <= 0:
            self.empty_click.emit()
            return
        x = (pos.x() - web.x()) / zoom
        y = (pos.y() - web.y()) / zoom
        if not (0 <= pos.x() - web.x() < web.width() and 0 <= pos.y() - web.y() < web.height()):
            self.empty_click.emit()
            return
        clip_at_point(self.preview.view.driver.page, x, y, self.clip_ids, self._on_picked)

    def _on_picked(self, element_id: object) -> None:
        if isinstance(element_id, str) and element_id:
            self.clip_picked.emit(element_id)
        else:
            self.empty_click.emit()
