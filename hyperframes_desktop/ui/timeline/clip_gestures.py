"""The timeline's gestures on clips turned into edits: a bar dragged, trimmed or nudged, a
field of the clip inspector typed into, Split and Delete.

Mixed into :class:`~hyperframes_desktop.ui.timeline.controller.TimelineController`; every
edit goes through its ``apply`` (see ``edit_writes``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hyperframes_desktop.project.timeline import (
    Timeline,
    delete_clip,
    move_clip,
    nudge_clip,
    nudge_clips,
    set_clip_properties,
    split_clip,
    trim_end,
    trim_start,
)
from hyperframes_desktop.ui.stage import Preview
from hyperframes_desktop.ui.timeline.canvas import TimelineCanvas
from hyperframes_desktop.ui.timeline.edit_writes import MakeEdit
from hyperframes_desktop.ui.timeline.intents import MoveIntent, TrimIntent


class ClipGestures:
    canvas: TimelineCanvas
    preview: Preview
    timeline: Timeline | None

    if TYPE_CHECKING:  # EditWrites.apply, and the controller's selection

        def apply(self, make: MakeEdit) -> bool: ...

        def _clip_keys(self) -> list[str]: ...

    def _on_intent(self, intent: object) -> None:
        if isinstance(intent, MoveIntent):
            key, clip = intent.bar.key, intent.bar.clip
            if intent.nudge:
                step = intent.start - intent.bar.start
                keys = self._clip_keys()
                if len(keys) > 1 and key in keys:  # every selected clip moves
                    self.apply(lambda t: nudge_clips(t, keys, step, key))
                else:
                    self.apply(lambda t: nudge_clip(t, key, step))
                return
            track = intent.track if intent.track != getattr(clip, "track", None) else None
            # the bar may be cut to its host's window: move the clip by the bar's offset
            start = clip.start_frame + intent.start - intent.bar.start
            self.apply(lambda t: move_clip(t, key, start, track))
        elif isinstance(intent, TrimIntent):
            key, frame = intent.bar.key, intent.frame
            if intent.edge == "head":
                self.apply(lambda t: trim_start(t, key, frame))
            else:
                self.apply(lambda t: trim_end(t, key, frame))

    def _on_field(self, name: str, value: object) -> None:
        bar = self.canvas.selected_bar()
        if bar is None or self.timeline is None:
            return
        clip, fps = bar.clip, float(self.timeline.fps)
        args: dict[str, object]
        if name == "id":
            args = {"element_id": str(value)}
        elif name == "start":
            args = {"start_frame": self.timeline.frame(clip.origin + float(value))}
        elif name == "duration":
            args = {"duration_frames": round(float(value) * fps)}  # 0: the model says why not
        elif name == "track":
            args = {"track": int(value)}
        else:
            args = {name: float(value)}
        self.apply(lambda t: set_clip_properties(t, bar.key, **args))

    def split(self, _checked: bool = False) -> None:
        bar = self.canvas.selected_bar()
        if bar is not None:
            frame = self.preview.controller.frame
            self.apply(lambda t: split_clip(t, bar.key, frame))

    def delete(self, _checked: bool = False) -> None:
        bar = self.canvas.selected_bar()
        if bar is not None:
            self.apply(lambda t: delete_clip(t, bar.key))
