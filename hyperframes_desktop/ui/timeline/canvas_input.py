"""The timeline canvas's mouse and keys: select, Shift-extend, scrub, drag to move across
tracks, drag an edge to trim, fold nested compositions, wheel zoom and scroll, ←/→ nudge,
Esc cancels a drag, tooltips.

Mixed into :class:`~hyperframes_desktop.ui.timeline.canvas.TimelineCanvas`, whose content,
geometry and signals it uses. A drag is a transient override drawn over the model's
picture; one intent is emitted on release (``edit_requested``); nothing is written here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QToolTip

from hyperframes_desktop.ui.timeline.geometry import ZOOM_STEP
from hyperframes_desktop.ui.timeline.intents import (
    EditIntent,
    MoveIntent,
    drag_intent,
    drag_span,
)
from hyperframes_desktop.ui.timeline.painter import HEADER_W, ROW_H, RULER_H, track_switches
from hyperframes_desktop.ui.timeline.rows import Bar

SNAP_PX = 8.0
_DRAG_START_PX = 4

#: snapper(mode "move"|"head"|"tail", bar, proposed frame (start for a move, else the edge),
#: threshold in frames) -> (frame to use, frame snapped to or None)
Snapper = Callable[[str, Bar, int, float], tuple[int, int | None]]


class CanvasInput:
    if TYPE_CHECKING:  # the canvas's own attributes and methods (see TimelineCanvas)
        snapper: Snapper | None
        _press: tuple[str, Bar | None, QPoint, float, int] | None
        _dragging: bool
        _extend: bool
        _moved_to: tuple[int, int, int] | None

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
