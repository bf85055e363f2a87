"""Frames inside a shader transition: after the seek, grab each scene alone, then mix them.

The page half is ``js/hf_shader_layers.js``, the facts and the mixing are
``render.shader_transitions``. A view captures such a frame in three paints: the seek (its
strip says the frame's state is there), the outgoing scene alone, the incoming scene alone.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QImage

from hyperframes_desktop.render.worker.pages import SeekableView, evaluate

if TYPE_CHECKING:
    import numpy as np

    from hyperframes_desktop.render.shader_transitions import ActiveTransition, TransitionPlan

_PLAN_SCRIPT = "window.__hf_shader ? window.__hf_shader.plan() : ''"


class LayeredFrame:
    """One transition frame on one view: which layer is being waited for, those already grabbed."""

    def __init__(self, frame: int, active: ActiveTransition, plan: TransitionPlan) -> None:
        self.frame = frame
        self.active = active
        self.accents = plan.accents
        self._layers: list[np.ndarray] = []  # outgoing, incoming: (rows, width, 3) RGB

    def _request(self, view: SeekableView, scene: str, tag: int) -> None:
        view.send_script(f"window.__hf_shader.isolate({json.dumps(scene)}, {tag});0", tag)

    def take(self, view: SeekableView, image: QImage, rows: int) -> QImage | None:
        """Feed the image just grabbed; the mixed frame once both layers are in, else None
        (the next layer has been asked for)."""
        window = self.active.window
        if view.tag == self.frame:  # the seek is on screen: now the outgoing scene alone
            self._request(view, window.from_scene, self.frame ^ 0x8000)
            return None
        self._layers.append(_rgb(image, rows))
        if len(self._layers) == 1:
            self._request(view, window.to_scene, self.frame ^ 0x4000)
            return None
        from hyperframes_desktop.render.shader_transitions import blend, rgb_to_bgra

        mixed = blend(
            window.shader, self._layers[0], self._layers[1], self.active.progress, self.accents
        )
        height, width = mixed.shape[:2]
        data = rgb_to_bgra(mixed)
        return QImage(data, width, height, width * 4, QImage.Format.Format_RGB32).copy()


def _rgb(image: QImage, rows: int) -> np.ndarray:
    from hyperframes_desktop.render.shader_transitions import bgra_to_rgb

    if image.format() not in (
        QImage.Format.Format_RGB32,
        QImage.Format.Format_ARGB32_Premultiplied,
    ):
        image = image.convertToFormat(QImage.Format.Format_RGB32)
    return bgra_to_rgb(image.constBits(), image.width(), rows, image.bytesPerLine())


def _lists_transitions(raw: str) -> bool:
    """Whether the page's plan (``window.__hf_shader.plan()``) lists any transition at all."""
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        return False
    return isinstance(data, dict) and bool(data.get("transitions"))


class TransitionFrames:
    """The page's shader transitions, read once after it loaded; says which frames are layered.

    The mixing (``render.shader_transitions``, numpy) is imported only for a page that lists
    transitions: every other render's capture processes start without numpy (~0.1 CPU-s each).
    """

    def __init__(self, plan: TransitionPlan | None, fps_num: int, fps_den: int) -> None:
        self.plan = plan
        self._fps_num, self._fps_den = fps_num, fps_den

    @classmethod
    def read(
        cls, view: SeekableView, loop: QEventLoop, fps_num: int, fps_den: int
    ) -> TransitionFrames:
        raw = evaluate(view.page, loop, _PLAN_SCRIPT)
        if not _lists_transitions(raw):
            return cls(None, fps_num, fps_den)
        from hyperframes_desktop.render.shader_transitions import SHADER_NAMES, TransitionPlan

        return cls(TransitionPlan.from_page(raw, SHADER_NAMES), fps_num, fps_den)

    def start(self, frame: int) -> LayeredFrame | None:
        """The layered capture of ``frame``, or None for an ordinary frame."""
        if not self.plan:
            return None
        active = self.plan.active(frame * self._fps_den / self._fps_num)
        return LayeredFrame(frame, active, self.plan) if active is not None else None
