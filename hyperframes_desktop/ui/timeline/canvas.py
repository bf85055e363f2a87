"""The timeline canvas: one painted widget for every track and clip (no widget per clip).

Mouse: click selects, double-click seeks to the clip's start, drag moves (in time and across
tracks of the same file), dragging an edge trims, the ruler scrubs. The drag is a transient
override drawn over the model's picture; one intent is emitted on release. Snapping is
pixel-based (Shift turns it off). Keys while focused: ←/→ nudge the selected clip one frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from hyperframes_desktop.ui.timeline.geometry import ZOOM_STEP, TimeScale
from hyperframes_desktop.ui.timeline.intents import (
    EditIntent,
    MoveIntent,
    drag_intent,
    drag_span,
)
from hyperframes_desktop.ui.timeline.painter import (
    EDGE_PX,
    HEADER_W,
    ROW_H,
    RULER_H,
    PaintState,
    TimelinePainter,
    track_switches,
)
from hyperframes_desktop.ui.timeline.rows import Bar, Row

SNAP_PX = 8.0
_DRAG_START_PX = 4

#: snapper(mode "move"|"head"|"tail", bar, proposed frame (start for a move, else the edge),
#: threshold in frames) -> (frame to use, frame snapped to or None)
Snapper = Callable[[str, Bar, int, float], tuple[int, int | None]]


class TimelineCanvas(QAbstractScrollArea):
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

    # ---- mouse ------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        pos = event.position().toPoint()
        if pos.y() < RULER_H and pos.x() >= HEADER_W:
            self._press = ("scrub", None, pos, 0.0, 0)
            self._scrub(pos.x())
            return
        if pos.x() < HEADER_W and self._track_switch(pos):
            self._press = None
            return
        bar, part = self.hit(pos)
        # Shift-click adds the bar to the selection (on release, unless it becomes a drag:
        # Shift while dragging only turns snapping off)
        self._extend = bar is not None and bool(
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        if not self._extend:
            self.select(bar.key if bar is not None else None)
        if bar is None:
            self._press = None
            return
        if self._on_fold_arrow(bar, part, pos):
            self.toggle_expanded(bar.key)
        frame = self.scale.frame_at(pos.x() - HEADER_W)
        mode = part if part in ("head", "tail") else "move"
        self._press = (mode, bar, pos, frame, self.row_of(bar.key) or 0)
        self._dragging = False

    def _track_switch(self, pos: QPoint) -> bool:
        index = self.row_at(pos.y())
        if index is None:
            return False
        y = RULER_H + index * ROW_H - self.verticalScrollBar().value()
        for flag, box in track_switches(y).items():
            if box.contains(QPointF(pos)):
                row = self.rows[index]
                self.track_switched.emit(row.scope, row.track, flag)
                return True
        return False

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._press is None:
            bar, part = self.hit(pos)
            editable = bar is not None and bar.editable
            cursor = Qt.CursorShape.ArrowCursor
            if editable and part in ("head", "tail"):
                cursor = Qt.CursorShape.SizeHorCursor
            self.viewport().setCursor(cursor)
            return
        mode, bar, origin, press_frame, row = self._press
        if mode == "scrub":
            self._scrub(pos.x())
            return
        if bar is None or not bar.editable:
            return
        if not self._dragging and (pos - origin).manhattanLength() < _DRAG_START_PX:
            return
        if self._extend:  # a Shift-drag moves the bar under the mouse
            self._extend = False
            self.select(bar.key)
        self._dragging = True
        snapping = not (event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        delta = round(self.scale.frame_at(pos.x() - HEADER_W) - press_frame)
        self._drag_to(mode, bar, row, delta, self._target_row(bar, row, pos.y()), snapping)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return super().mouseReleaseEvent(event)
        mode, bar, _origin, _frame, row = self._press
        intent = self._intent(mode, bar, row) if self._dragging else None
        if self._extend and bar is not None and not self._dragging:
            self._extend = False
            self._end_drag()
            self.extend_requested.emit(bar.key)
            return
        self._end_drag()
        if intent is not None:
            self.edit_requested.emit(intent)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        bar, part = self.hit(pos)
        if bar is not None and self._on_fold_arrow(bar, part, pos):
            self.toggle_expanded(bar.key)  # a quick second click on the arrow
        elif bar is not None:
            self.seek_requested.emit(bar.start)

    def _on_fold_arrow(self, bar: Bar, part: str, pos: QPoint) -> bool:
        return bar.host and part == "body" and pos.x() - self.content_x(bar.start) < 20

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = delta.y() / 120
            if steps:
                anchor = event.position().x() - HEADER_W
                self._zoom(ZOOM_STEP**steps, max(0.0, anchor))
            event.accept()
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier or delta.x():
            amount = delta.x() or delta.y()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - amount)
            event.accept()
            return
        super().wheelEvent(event)

    def _scrub(self, x: float) -> None:
        frame = int(self.scale.frame_at(x - HEADER_W))
        self.seek_requested.emit(max(0, min(self.scale.frame_count - 1, frame)))

    # ---- dragging ---------------------------------------------------------------------
    def _target_row(self, bar: Bar, row: int, y: float) -> int:
        """The row under the cursor when it shows a track of the same file, else ``row``."""
        index = self.row_at(y)
        if index is None or self.rows[index].scope != self.rows[row].scope:
            return row
        return index

    def _drag_to(
        self, mode: str, bar: Bar, row: int, delta: int, target: int, snapping: bool
    ) -> None:
        snap = self._snap if snapping else None
        moved, snapped_at = drag_span(mode, bar, row, delta, target, snap)
        self._moved_to = moved
        self.state.dragged = replace(bar, start=moved[0], end=moved[1])
        self.state.drag_row = moved[2]
        self.state.snap_frame = snapped_at
        self.viewport().update()

    def _snap(self, mode: str, bar: Bar, frame: int) -> tuple[int, int | None]:
        if self.snapper is None:
            return frame, None
        return self.snapper(mode, bar, frame, SNAP_PX / self.scale.px_per_frame)

    def _intent(self, mode: str, bar: Bar | None, row: int) -> EditIntent | None:
        if bar is None or self._moved_to is None or mode == "scrub":
            return None
        tracks = (self.rows[row].track, self.rows[self._moved_to[2]].track)
        return drag_intent(mode, bar, self._moved_to, *tracks)

    def _end_drag(self) -> None:
        self._press = None
        self._dragging = False
        self._moved_to = None
        self.state.dragged = None
        self.state.drag_row = None
        self.state.snap_frame = None
        self.viewport().update()

    # ---- keys and tooltips ------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and (
            self._nudge_step(event) or self._cancels_drag(event)
        ):
            event.accept()  # ←/→ nudge here instead of stepping the preview; Esc cancels
            return True
        return super().event(event)

    def _nudge_step(self, event: QKeyEvent) -> int:
        if self.state.selected is None or self._press is not None:
            return 0
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return 0
        return {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(Qt.Key(event.key()), 0)

    def _cancels_drag(self, event: QKeyEvent) -> bool:
        return self._dragging and event.key() == Qt.Key.Key_Escape

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._cancels_drag(event):
            self._end_drag()  # nothing is written
            return
        step = self._nudge_step(event)
        bar = self.selected_bar()
        if step and bar is not None and bar.editable:
            row = self.row_of(bar.key)
            if bar.start + step >= 0 and row is not None:
                self.edit_requested.emit(
                    MoveIntent(bar, bar.start + step, self.rows[row].track, nudge=True)
                )
            return
        super().keyPressEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            bar, _part = self.hit(event.pos())
            if bar is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.describe(bar), self.viewport())
            return True
        return super().viewportEvent(event)

    def describe(self, bar: Bar) -> str:
        fps = float(self.scale.fps)
        return (
            f"{bar.label} ({bar.kind}): {bar.start / fps:.3f}–{bar.end / fps:.3f} s, "
            f"frames {bar.start}–{bar.end - 1}" + ("" if bar.editable else "\nRead-only here")
        )
