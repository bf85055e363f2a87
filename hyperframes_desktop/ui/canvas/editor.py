"""Select and move the composition's elements on the preview's stage.

- A click selects the topmost visible element of the composition under it (an element with
  an id, in the current composition's files); Shift-click adds or removes it; a drag on the
  empty stage draws a marquee that selects what it touches (Shift: adds). Esc clears. A
  click on nothing plays/pauses, as before.
- Dragging a selected element moves the whole selection; the boxes and smart guides follow
  the mouse, snapping to the stage's edges and centre and to other elements' edges and
  centres (Shift: no snapping). On release the move is written once (one undo step).
- Arrows nudge the selection by 1 px, Shift+arrows by 10 px (while the stage has focus);
  a run of nudges is one undo step.

The selection lives in the studio model (a set of ids); the timeline, the inspector and the
layers list show the same set. Edits go through the ``apply`` callable the window hands in
(the timeline's write-back: atomic, refused when the file changed on disk, undoable).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QLineF, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent

from hyperframes_desktop.project.design.layers import delete_elements
from hyperframes_desktop.project.design.move import ElementRef, move_elements
from hyperframes_desktop.project.design.selectable import (
    clip_stage_keys,
    selectable_ids,
    stage_selection,
)
from hyperframes_desktop.project.design.transform import rotate_element
from hyperframes_desktop.project.timeline import Edit, Timeline
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.studio_model.guides import Guide, Rect, snap_move
from hyperframes_desktop.ui.canvas.overlay import CanvasOverlay
from hyperframes_desktop.ui.canvas.queries import element_at, element_rects, hide_elements
from hyperframes_desktop.ui.canvas.text_in_place import TextInPlace
from hyperframes_desktop.ui.canvas.transform_drag import TransformDrags
from hyperframes_desktop.ui.stage import StageView

DRAG_START_PX = 3.0
SNAP_PX = 6.0  # screen pixels
_ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


class CanvasEditor(TransformDrags, QObject):
    def __init__(
        self,
        model: StudioModel,
        view: StageView,
        apply: Callable[[Callable[[Timeline], Edit]], bool],
        empty_click: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.view = view
        self._apply = apply
        self._empty_click = empty_click
        self.overlay = CanvasOverlay(view)
        self.text = TextInPlace(model, view, apply, self)
        self.files: dict[str, Path] = {}  # selectable key (id or source key) -> its file
        self.aliases: dict[str, str] = {}  # timeline clip key -> the key of its element
        self.rects: dict[str, dict] = {}  # key -> page rect (CSS px), at the frame shown
        self._partial = False  # only the selection's rects are current (during playback)
        self._press: QPointF | None = None
        self._press_shift = False
        self._mode: str | None = None  # "move", "marquee", "rotate" or a resize grip
        self._grip: str | None = None  # the handle under the press, if any
        self._shape: Rect | None = None  # the resized box (CSS px) while resizing
        self._angle = 0.0  # degrees turned while rotating
        self._delta = (0.0, 0.0)  # the (snapped) move in CSS px
        self._guides: tuple[Guide, ...] = ()
        self._asked = 0
        catcher = view.catcher
        catcher.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        catcher.installEventFilter(self)
        model.events.selection.connect(self._on_selection)
        model.events.timeline.connect(self._on_timeline)
        model.events.layers.connect(self._on_layers)
        model.events.playing.connect(self._on_playing)
        view.driver.frame_shown.connect(self._on_frame)
        view.driver.ready.connect(self.refresh)
        view.driver.ready.connect(self._hide_in_page)

    def shutdown(self) -> None:
        self.model.events.selection.disconnect(self._on_selection)
        self.model.events.timeline.disconnect(self._on_timeline)
        self.model.events.layers.disconnect(self._on_layers)
        self.model.events.playing.disconnect(self._on_playing)
        self.view.catcher.removeEventFilter(self)

    # ---- state from the model ---------------------------------------------------------
    def _on_timeline(self, timeline: Timeline | None) -> None:
        self.files = selectable_ids(timeline)
        self.aliases = clip_stage_keys(timeline)

    def _on_selection(self, _keys: frozenset[str]) -> None:
        self.refresh()

    def _on_layers(self, _layers: object) -> None:
        self._hide_in_page()
        self.refresh()

    def _hide_in_page(self) -> None:
        """The Layers dock's hidden elements, hidden in the preview's page only."""
        if self.view.compiled is not None:
            hide_elements(self.view.driver.page, sorted(self.model.preview_hidden()))

    def pickable(self) -> list[str]:
        """Ids the stage may select: the composition's, minus locked and hidden ones."""
        return sorted(set(self.files) - self.model.locked - self.model.preview_hidden())

    def _on_frame(self, _frame: int) -> None:
        # while playing, only the selection's boxes follow the playhead: the other elements'
        # boxes (for snapping and the marquee) are asked again on pause and on a press
        self.refresh(self.selected() if self.model.playing else None)

    def _on_playing(self, playing: bool) -> None:
        if not playing:
            self.refresh()

    def selected(self) -> list[str]:
        """The selection's elements on the stage (clips selected on the timeline included)."""
        return stage_selection(self.model.selection, self.files, self.aliases)

    def refresh(self, keys: list[str] | None = None) -> None:
        """Ask the page where the composition's elements (or only ``keys``) are now, then
        draw."""
        if not self.files or self.view.compiled is None:
            self.rects = {}
            self._draw()
            return
        self._partial = keys is not None
        if keys is not None and not keys:
            self._draw()
            return
        self._asked += 1
        asked = self._asked

        def done(rects: object) -> None:
            if asked == self._asked and isinstance(rects, dict):
                self.rects = {**self.rects, **rects} if keys is not None else rects
                self._draw()

        element_rects(self.view.driver.page, sorted(self.files) if keys is None else keys, done)

    # ---- geometry ---------------------------------------------------------------------
    def zoom(self) -> float:
        compiled, web = self.view.compiled, self.view.web
        return web.width() / compiled.width if compiled is not None and compiled.width else 0.0

    def _to_screen(self, rect: dict | Rect) -> QRectF:
        zoom, web = self.zoom(), self.view.web
        x, y, w, h = (
            (rect["x"], rect["y"], rect["w"], rect["h"])
            if isinstance(rect, dict)
            else (rect.x, rect.y, rect.w, rect.h)
        )
        return QRectF(web.x() + x * zoom, web.y() + y * zoom, w * zoom, h * zoom)

    def _to_page(self, pos: QPointF) -> QPointF:
        zoom, web = self.zoom() or 1.0, self.view.web
        return QPointF((pos.x() - web.x()) / zoom, (pos.y() - web.y()) / zoom)

    def _selection_box(self) -> Rect | None:
        boxes = [self.rects[i] for i in self.selected() if i in self.rects]
        if not boxes:
            return None
        left = min(b["x"] for b in boxes)
        top = min(b["y"] for b in boxes)
        right = max(b["x"] + b["w"] for b in boxes)
        bottom = max(b["y"] + b["h"] for b in boxes)
        return Rect(left, top, right - left, bottom - top)

    def _draw(self, marquee: QRectF | None = None) -> None:
        dx, dy = self._delta if self._mode == "move" else (0.0, 0.0)
        boxes = [
            self._to_screen(Rect(r["x"] + dx, r["y"] + dy, r["w"], r["h"]))
            for i in self.selected()
            if (r := self.rects.get(i)) and r["w"] * r["h"] > 0
        ]
        self.overlay.setGeometry(self.view.rect())
        self.overlay.show_state(boxes, marquee, self._guide_lines())

    def _guide_lines(self) -> list[QLineF]:
        compiled = self.view.compiled
        if compiled is None:
            return []
        lines = []
        for guide in self._guides:
            if guide.axis == "x":
                a, b = QPointF(guide.at, 0), QPointF(guide.at, compiled.height)
            else:
                a, b = QPointF(0, guide.at), QPointF(compiled.width, guide.at)
            lines.append(QLineF(self._to_screen_point(a), self._to_screen_point(b)))
        return lines

    def _to_screen_point(self, point: QPointF) -> QPointF:
        zoom, web = self.zoom(), self.view.web
        return QPointF(web.x() + point.x() * zoom, web.y() + point.y() * zoom)

    # ---- mouse and keys ---------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonDblClick and isinstance(event, QMouseEvent):
            return self._on_double_click(event)
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            return self._on_press(event)
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            return self._on_move(event)
        if kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            return self._on_release(event)
        if not isinstance(event, QKeyEvent) or not self._handles_key(event):
            return False
        if kind == QEvent.Type.ShortcutOverride:  # the key is ours, not a window shortcut's
            event.accept()
            return True
        if kind == QEvent.Type.KeyPress:
            self._on_key(event)
            return True
        return False

    def _on_press(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or not self.files:
            return False
        self.view.catcher.setFocus(Qt.FocusReason.MouseFocusReason)
        if self._partial:
            self.refresh()  # snapping and the marquee need every box at this frame
        self._press = event.position()
        self._press_shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self._mode = None
        self._grip = self._grip_at(self._press)
        return self._grip is not None

    def _on_move(self, event: QMouseEvent) -> bool:
        if self._press is None or not (event.buttons() & Qt.MouseButton.LeftButton):
            return False
        pos = event.position()
        if self._mode is None:
            if (pos - self._press).manhattanLength() < DRAG_START_PX:
                return True
            if self._grip is not None:
                self._mode = self._grip
            else:
                self._mode = "move" if self._on_selection_at(self._press) else "marquee"
        modifiers = event.modifiers()
        if self._mode == "rotate":
            self._rotate_to(pos, free=bool(modifiers & Qt.KeyboardModifier.ShiftModifier))
        elif self._mode not in ("move", "marquee"):
            self._resize_to(pos, centred=bool(modifiers & Qt.KeyboardModifier.AltModifier))
        elif self._mode == "move":
            self._drag_to(pos, snapping=not (event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
        else:
            self._draw(QRectF(self._press, pos).normalized())
        return True

    def _on_release(self, event: QMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return False
        press, mode, shift = self._press, self._mode, self._press_shift
        self._press, self._mode, self._grip = None, None, None
        if mode == "rotate":
            angle, self._angle = self._angle, 0.0
            self._draw()
            ids = self.selected()
            if round(angle) and len(ids) == 1:
                ref = ElementRef(self.files[ids[0]], ids[0])
                self._apply(lambda timeline: rotate_element(timeline, ref, round(angle)))
            return True
        if mode is not None and mode not in ("move", "marquee"):
            self._finish_resize()
            return True
        if mode == "move":
            dx, dy = (round(v) for v in self._delta)
            self._delta, self._guides = (0.0, 0.0), ()
            self._draw()
            if dx or dy:
                self.move_selection(dx, dy)
            return True
        if mode == "marquee":
            self._select_in(QRectF(press, event.position()).normalized(), add=shift)
            return True
        self._pick(event.position(), add=shift)
        return True

    def _on_double_click(self, event: QMouseEvent) -> bool:
        """On the selected element: edit its text in place (else: full-screen preview)."""
        single = self._single()
        if single is None or event.button() != Qt.MouseButton.LeftButton:
            return False
        element_id, rect = single
        point = self._to_page(event.position())
        if not QRectF(rect["x"], rect["y"], rect["w"], rect["h"]).contains(point):
            return False
        self.text.start(element_id, self.files[element_id], self._to_screen(rect))
        return True

    def _on_selection_at(self, pos: QPointF) -> bool:
        point = self._to_page(pos)
        for element_id in self.selected():
            r = self.rects.get(element_id)
            if r and QRectF(r["x"], r["y"], r["w"], r["h"]).contains(point):
                return True
        return False

    def _drag_to(self, pos: QPointF, *, snapping: bool) -> None:
        assert self._press is not None
        zoom = self.zoom() or 1.0
        dx, dy = (pos.x() - self._press.x()) / zoom, (pos.y() - self._press.y()) / zoom
        box = self._selection_box()
        compiled = self.view.compiled
        if box is None or compiled is None:
            self._delta, self._guides = (dx, dy), ()
        else:
            chosen = set(self.selected())
            others = [
                Rect(r["x"], r["y"], r["w"], r["h"])
                for i, r in self.rects.items()
                if i not in chosen and r.get("shown") and r["w"] * r["h"] > 0
            ]
            stage = (float(compiled.width), float(compiled.height))
            snap = snap_move(box, dx, dy, others, stage, SNAP_PX / zoom, enabled=snapping)
            self._delta, self._guides = (snap.dx, snap.dy), snap.guides
        self._draw()

    def _pick(self, pos: QPointF, *, add: bool) -> None:
        point = self._to_page(pos)
        web = self.view.web
        inside = web.geometry().contains(pos.toPoint())
        if not inside or self.view.compiled is None:
            self._empty_click()
            return

        def picked(element_id: object) -> None:
            if not isinstance(element_id, str) or element_id not in self.pickable():
                if not add:
                    self._empty_click()
                return
            if not add:
                self.model.set_selection({element_id})
                return
            current = set(self.model.selection)  # Shift: in or out (a clip key counts too)
            same = {k for k in current if element_id in (k, self.aliases.get(k))}
            self.model.set_selection(current - same if same else current | {element_id})

        blocked = sorted(self.model.locked | self.model.preview_hidden())
        element_at(self.view.driver.page, point.x(), point.y(), self.pickable(), picked, blocked)

    def _select_in(self, marquee: QRectF, *, add: bool) -> None:
        allowed = set(self.pickable())
        hits = {
            i
            for i, r in self.rects.items()
            if i in allowed and r.get("shown") and self._to_screen(r).intersects(marquee)
        }
        self.model.set_selection((set(self.model.selection) | hits) if add else hits)
        self._draw()

    def _handles_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            return bool(self.model.selection)
        return key in (*_ARROWS, Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and bool(self.selected())

    def _on_key(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.model.set_selection(())
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            refs = [ElementRef(self.files[i], i) for i in self.selected()]
            self._apply(lambda timeline: delete_elements(timeline, refs))
            return
        step = 10 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1
        ux, uy = _ARROWS[Qt.Key(event.key())]
        self.move_selection(ux * step, uy * step)

    # ---- edits ------------------------------------------------------------------------
    def move_selection(self, dx: float, dy: float) -> bool:
        """Move every selected element by (dx, dy) CSS px: one write, one undo step."""
        refs = [ElementRef(self.files[i], i) for i in self.selected()]
        if not refs:
            return False
        return self._apply(lambda timeline: move_elements(timeline, refs, dx, dy))
