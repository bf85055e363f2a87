"""Snapping for the timeline canvas's drags: the model's snap points (playhead, clip edges,
in/out marks, whole seconds), cached while the timeline, the dragged bar, the playhead and
the marks stay the same."""

from __future__ import annotations

from collections.abc import Callable

from hyperframes_desktop.project.timeline import Timeline, snap_frame, snap_move, snap_points
from hyperframes_desktop.ui.timeline.rows import Bar

#: () -> (timeline, playhead frame, (in, out) marks)
SnapContext = Callable[[], tuple[Timeline | None, int, tuple[int | None, int | None]]]


class TimelineSnapper:
    def __init__(self, context: SnapContext) -> None:
        self._context = context
        self._cache: tuple[object, list[int]] | None = None

    def __call__(self, mode: str, bar: Bar, frame: int, threshold: float) -> tuple[int, int | None]:
        timeline, playhead, (in_point, out_point) = self._context()
        if timeline is None:
            return frame, None
        key = (id(timeline), bar.key, playhead, in_point, out_point)
        if self._cache is None or self._cache[0] != key:
            points = snap_points(
                timeline,
                playhead=playhead,
                in_point=in_point,
                out_point=None if out_point is None else out_point + 1,  # after it
                ignore=[bar.key],
            )
            self._cache = (key, points)
        points = self._cache[1]
        limit = int(threshold)
        if mode == "move":
            snapped = snap_move(frame, bar.end - bar.start, points, limit)
            return snapped.start_frame, snapped.snapped_to
        found = snap_frame(frame, points, limit)
        return (frame, None) if found is None else (found, found)
