"""What the user asked the timeline to do, in frames; the controller turns these into the
model's edit operations. Also the arithmetic of a drag in progress (Qt-free)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hyperframes_desktop.ui.timeline.rows import Bar


@dataclass(frozen=True)
class MoveIntent:
    bar: Bar
    start: int  # new first frame
    track: int  # new data-track-index
    nudge: bool = False  # one arrow-key step (merged into one undo step when repeated)


@dataclass(frozen=True)
class TrimIntent:
    bar: Bar
    edge: str  # "head" or "tail"
    frame: int  # the edge's new frame (head: first frame; tail: frame after the last)


EditIntent = MoveIntent | TrimIntent


#: snap(mode, bar, proposed frame) -> (frame to use, frame snapped to or None)
Snap = Callable[[str, Bar, int], tuple[int, int | None]]
Span = tuple[int, int, int]  # first frame, frame after the last, row


def drag_span(
    mode: str, bar: Bar, row: int, delta: int, target: int, snap: Snap | None
) -> tuple[Span, int | None]:
    """Where ``bar`` is while dragged ``delta`` frames: moved ("move", to row ``target``) or
    with its "head" or "tail" edge moved; never before frame 0, never shorter than a frame."""

    def snapped(frame: int) -> tuple[int, int | None]:
        return (frame, None) if snap is None else snap(mode, bar, frame)

    if mode == "move":
        start, at = snapped(max(0, bar.start + delta))
        start = max(0, start)
        return (start, start + bar.end - bar.start, target), at
    if mode == "head":
        head, at = snapped(max(0, min(bar.end - 1, bar.start + delta)))
        return (min(head, bar.end - 1), bar.end, row), at
    tail, at = snapped(max(bar.start + 1, bar.end + delta))
    return (bar.start, max(tail, bar.start + 1), row), at


def drag_intent(
    mode: str, bar: Bar, moved: Span, from_track: int, to_track: int
) -> EditIntent | None:
    """The edit a released drag asks for (None when it ends where it began)."""
    start, end, _row = moved
    if mode == "move":
        if start == bar.start and to_track == from_track:
            return None
        return MoveIntent(bar, start, to_track)
    if mode == "head":
        return None if start == bar.start else TrimIntent(bar, "head", start)
    return None if end == bar.end else TrimIntent(bar, "tail", end)
