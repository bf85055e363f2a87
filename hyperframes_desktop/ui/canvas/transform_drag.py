"""Resizing and rotating the single selected element on the stage by its handles.

Mixed into :class:`~hyperframes_desktop.ui.canvas.editor.CanvasEditor`, whose state it uses
(the model, the page rects, the overlay, the press point and the drag mode): a resize grip
drags an edge (Alt: the opposite edge moves too, so the box grows from its centre), the
round knob turns the element (15° steps; Shift: free). Written once, on release.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF

from hyperframes_desktop.project.design.move import ElementRef
from hyperframes_desktop.project.design.transform import resize_element
from hyperframes_desktop.project.timeline import Edit, Timeline
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.studio_model.guides import Rect
from hyperframes_desktop.ui.canvas.overlay import CanvasOverlay


class TransformDrags:
    model: StudioModel
    overlay: CanvasOverlay
    files: dict
    _press: QPointF | None
    _mode: str | None
    _shape: Rect | None
    _angle: float
    _apply: Callable[[Callable[[Timeline], Edit]], bool]

    def _single(self) -> tuple[str, dict] | None:
        ids = self.selected()
        if len(ids) != 1 or ids[0] not in self.rects:
            return None
        return ids[0], self.rects[ids[0]]

    def _grip_at(self, pos: QPointF) -> str | None:
        single = self._single()
        if single is None:
            return None
        grips = CanvasOverlay.handles(self._to_screen(single[1]))
        return next((name for name, box in grips.items() if box.contains(pos)), None)

    def _resize_to(self, pos: QPointF, *, centred: bool) -> None:
        single = self._single()
        if single is None or self._press is None or self._mode is None:
            return
        r, zoom = single[1], self.zoom() or 1.0
        dx, dy = (pos.x() - self._press.x()) / zoom, (pos.y() - self._press.y()) / zoom
        left, top, right, bottom = r["x"], r["y"], r["x"] + r["w"], r["y"] + r["h"]
        vertical, horizontal = self._mode[0], self._mode[1]
        if horizontal == "l":
            left, right = left + dx, right - dx if centred else right
        elif horizontal == "r":
            left, right = left - dx if centred else left, right + dx
        if vertical == "t":
            top, bottom = top + dy, bottom - dy if centred else bottom
        elif vertical == "b":
            top, bottom = top - dy if centred else top, bottom + dy
        self._shape = Rect(
            round(left), round(top), max(1, round(right - left)), max(1, round(bottom - top))
        )
        self.overlay.setGeometry(self.view.rect())
        self.overlay.show_state([self._to_screen(self._shape)])

    def _finish_resize(self) -> None:
        single, shape, self._shape = self._single(), self._shape, None
        self._draw()
        if single is None or shape is None:
            return
        element_id, r = single
        ref = ElementRef(self.files[element_id], element_id)
        old = (float(r["w"]), float(r["h"]))
        dx, dy = shape.x - round(r["x"]), shape.y - round(r["y"])
        self._apply(
            lambda timeline: resize_element(
                timeline, ref, dx=dx, dy=dy, width=shape.w, height=shape.h, old_size=old
            )
        )

    def _rotate_to(self, pos: QPointF, *, free: bool) -> None:
        single = self._single()
        if single is None or self._press is None:
            return
        centre = self._to_screen(single[1]).center()
        start = math.atan2(self._press.y() - centre.y(), self._press.x() - centre.x())
        now = math.atan2(pos.y() - centre.y(), pos.x() - centre.x())
        angle = math.degrees(now - start)
        self._angle = angle if free else round(angle / 15) * 15
        self.model.set_status(f"Rotate by {round(self._angle)}°")
