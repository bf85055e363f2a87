"""Snapping in the model (the UI only draws the snap line): candidate frames from the
playhead, clip edges, in/out points and whole seconds, with an ignore set for the clips that
are moving; a pure function picks the nearest candidate within a threshold."""

from __future__ import annotations

import bisect
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from .model import Timeline


def snap_points(
    timeline: Timeline,
    *,
    playhead: int | None = None,
    in_point: int | None = None,
    out_point: int | None = None,
    ignore: Collection[str] = (),
    clip_edges: bool = True,
    whole_seconds: bool = True,
) -> list[int]:
    """Sorted, distinct candidate frames. ``ignore`` holds clip keys (their nested clips are
    ignored with them)."""
    points: set[int] = {0, timeline.frame_count}
    for value in (playhead, in_point, out_point):
        if value is not None:
            points.add(value)
    if clip_edges:
        prefixes = tuple(f"{key}/" for key in ignore)
        for clip in timeline.all_clips():
            if clip.key in ignore or clip.key.startswith(prefixes):
                continue
            points.update((clip.start_frame, clip.end_frame))
    if whole_seconds:
        seconds = math.ceil(timeline.duration)
        points.update(timeline.frame(float(s)) for s in range(seconds + 1))
    return sorted(points)


def snap_frame(frame: int, points: Sequence[int], threshold: int) -> int | None:
    """The candidate nearest ``frame`` within ``threshold`` frames (ties: the earlier one)."""
    if not points or threshold < 0:
        return None
    at = bisect.bisect_left(points, frame)
    best: int | None = None
    for candidate in points[max(0, at - 1) : at + 1]:
        distance = abs(candidate - frame)
        if distance <= threshold and (best is None or distance < abs(best - frame)):
            best = candidate
    return best


@dataclass(frozen=True)
class Snap:
    """Where a moved clip lands, and the frame it snapped to (None: no snap)."""

    start_frame: int
    snapped_to: int | None


def snap_move(start_frame: int, duration: int, points: Sequence[int], threshold: int) -> Snap:
    """Snap a clip being moved by whichever of its edges is closer to a candidate."""
    head = snap_frame(start_frame, points, threshold)
    tail = snap_frame(start_frame + duration, points, threshold)
    head_distance = abs(head - start_frame) if head is not None else None
    tail_distance = abs(tail - start_frame - duration) if tail is not None else None
    if head is not None and (tail_distance is None or head_distance <= tail_distance):
        return Snap(head, head)
    if tail is not None:
        return Snap(tail - duration, tail)
    return Snap(start_frame, None)
