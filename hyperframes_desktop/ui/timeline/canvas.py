"""The timeline canvas: one painted widget for every track and clip (no widget per clip):
its content, zoom, geometry and painting. Mouse and keys are handled in ``canvas_input``.

Mouse: click selects, double-click seeks to the clip's start, drag moves (in time and across
tracks of the same file), dragging an edge trims, the ruler scrubs. The drag is a transient
override drawn over the model's picture; one intent is emitted on release. Snapping is
pixel-based (Shift turns it off). Keys while focused: ←/→ nudge the selected clip one frame.
"""

from __future__ import annotations

from fractions import Fraction

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QPainter, QResizeEvent
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from hyperframes_desktop.ui.timeline.canvas_input import CanvasInput, Snapper
from hyperframes_desktop.ui.timeline.geometry import ZOOM_STEP, TimeScale
from hyperframes_desktop.ui.timeline.painter import (
    EDGE_PX,
    HEADER_W,
    ROW_H,
    RULER_H,
    PaintState,
    TimelinePainter,
)
from hyperframes_desktop.ui.timeline.rows import Bar, Row


class TimelineCanvas(CanvasInput, QAbstractScrollArea):
    seek_requested = Signal(int)
    selection_changed = Signal(object)  # the selected Bar, or None
    extend_requested = Signal(str)  # Shift-click on a bar: add it to / remove it from the set
    track_switched = Signal(str, int, str)  # (scope, track, "hide" | "solo" | "mute")
    edit_requested = Signal(object)  # an EditIntent

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scale = TimeScale()
        self.state = PaintState()
        self.painter = TimelinePainter()
        self.all_rows: list[Row] = []
        self.rows: list[Row] = []
        self.collapsed: set[str] = self.state.collapsed
        self.snapper: Snapper | None = None
        self._press: tuple[str, Bar | None, QPoint, float, int] | None = None
        self._dragging = False
        self._extend = False  # a Shift-press on a bar: extend the selection on release
        self._moved_to: tuple[int, int, int] | None = None  # start, end, row
        self.viewport().setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(RULER_H + 2 * ROW_H)
        self.horizontalScrollBar().valueChanged.connect(self._on_hscroll)
        self.verticalScrollBar().valueChanged.connect(self._on_vscroll)
        self.setToolTip("")

    # ---- content ----------------------------------------------------------------------
    def set_timeline(self, rows: list[Row], frame_count: int, fps: Fraction) -> None:
        """New rows (after any edit or reload); the zoom is kept unless the length changed."""
        length_changed = frame_count != self.scale.frame_count or fps != self.scale.fps
        self.all_rows = rows
        self.scale.frame_count = max(1, frame_count)
        self.scale.fps = fps
        self.state.fps = fps
        if length_changed:
            self.scale.fit()
        self._refilter()
        keys = {b.key for r in self.rows for b in r.bars}
        if self.state.selected not in keys:
            self.select(None)
        self._sync_scrollbars()
        self.viewport().update()

    def _refilter(self) -> None:
        self.rows = [r for r in self.all_rows if not self.collapsed.intersection(r.parents)]

    def toggle_expanded(self, host_key: str) -> None:
        if host_key in self.collapsed:
            self.collapsed.discard(host_key)
        else:
            self.collapsed.add(host_key)
        self._refilter()
        self._sync_scrollbars()
        self.viewport().update()

    def bar_by_key(self, key: str | None) -> Bar | None:
        for row in self.all_rows:
            for bar in row.bars:
                if bar.key == key:
                    return bar
        return None

    def row_of(self, key: str) -> int | None:
        for index, row in enumerate(self.rows):
            if any(b.key == key for b in row.bars):
                return index
        return None

    def selected_bar(self) -> Bar | None:
        return self.bar_by_key(self.state.selected)

    def select(self, key: str | None) -> None:
        if key == self.state.selected:
            return
        self.state.selected = key
        self.viewport().update()
        self.selection_changed.emit(self.selected_bar())

    def reveal(self, key: str) -> None:
        """Scroll so the bar ``key`` is on screen."""
        bar, index = self.bar_by_key(key), self.row_of(key)
        if bar is None or index is None:
            return
        if not (0 <= self.scale.x_of(bar.start) <= self.scale.width):
            self.scale.scroll_to(bar.start * self.scale.px_per_frame - 24)
        v = self.verticalScrollBar()
        top = index * ROW_H
        visible = self.viewport().height() - RULER_H
        if top < v.value() or top + ROW_H > v.value() + visible:
            v.setValue(max(0, top - visible // 2))
        self._sync_scrollbars()
        self.viewport().update()

    def set_playhead(self, frame: int) -> None:
        if frame == self.state.playhead:
            return
        was_visible = 0 <= self.scale.x_of(self.state.playhead) <= self.scale.width
        self.state.playhead = frame
        if was_visible and self._press is None:
            before = self.scale.offset
            self.scale.ensure_visible(frame)
            if self.scale.offset != before:
                self._sync_scrollbars()
        self.viewport().update()

    def set_in_out(self, in_out: tuple[int, int] | None) -> None:
        self.state.in_out = in_out
        self.viewport().update()

    # ---- zoom -------------------------------------------------------------------------
    def zoom_in(self) -> None:
        self._zoom(ZOOM_STEP, None)

    def zoom_out(self) -> None:
        self._zoom(1 / ZOOM_STEP, None)

    def fit(self) -> None:
        self.scale.fit()
        self._sync_scrollbars()
        self.viewport().update()

    def set_zoom(self, px_per_frame: float) -> None:
        self.scale.set_zoom(px_per_frame, 0)
        self._sync_scrollbars()
        self.viewport().update()

    def _zoom(self, factor: float, anchor: float | None) -> None:
        if anchor is None:
            playhead_x = self.scale.x_of(self.state.playhead)
            if 0 <= playhead_x <= self.scale.width:
                anchor = playhead_x
        self.scale.zoom_by(factor, anchor)
        self._sync_scrollbars()
        self.viewport().update()

    # ---- geometry ---------------------------------------------------------------------
    def content_x(self, frame: float) -> float:
        """Viewport x of a frame's left edge."""
        return HEADER_W + self.scale.x_of(frame)

    def row_y(self, index: int) -> int:
        return RULER_H + index * ROW_H - self.verticalScrollBar().value()

    def row_at(self, y: float) -> int | None:
        if y < RULER_H:
            return None
        index = int((y - RULER_H + self.verticalScrollBar().value()) // ROW_H)
        return index if 0 <= index < len(self.rows) else None

    def hit(self, pos: QPoint) -> tuple[Bar | None, str]:
        """The bar under ``pos`` and the part hit: "head", "tail", "body" ("" for none)."""
        index = self.row_at(pos.y())
        if index is None or pos.x() < HEADER_W:
            return None, ""
        frame = self.scale.frame_at(pos.x() - HEADER_W)
        bar = self.rows[index].bar_at(frame)
        if bar is None:
            return None, ""
        x0, x1 = self.content_x(bar.start), self.content_x(bar.end)
        edge = min(EDGE_PX, (x1 - x0) / 3)
        if pos.x() - x0 <= edge:
            return bar, "head"
        if x1 - pos.x() <= edge:
            return bar, "tail"
        return bar, "body"

    def _sync_scrollbars(self) -> None:
        h = self.horizontalScrollBar()
        h.blockSignals(True)
        h.setRange(0, int(self.scale.max_offset))
        h.setPageStep(max(1, self.scale.width))
        h.setSingleStep(max(1, int(self.scale.px_per_frame)))
        h.setValue(round(self.scale.offset))
        h.blockSignals(False)
        v = self.verticalScrollBar()
        visible = max(0, self.viewport().height() - RULER_H)
        v.setRange(0, max(0, len(self.rows) * ROW_H - visible))
        v.setPageStep(max(1, visible))
        v.setSingleStep(ROW_H)

    def _on_hscroll(self, value: int) -> None:
        self.scale.scroll_to(float(value))
        self.viewport().update()

    def _on_vscroll(self, _value: int) -> None:
        self.viewport().update()

    # ---- painting ---------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        p = QPainter(self.viewport())
        size = (self.viewport().width(), self.viewport().height())
        self.state.width = size[0]
        v_offset = self.verticalScrollBar().value()
        self.painter.paint(p, size, self.scale, self.rows, v_offset, self.state)
        p.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.scale.resize(max(1, self.viewport().width() - HEADER_W))
        self._sync_scrollbars()
