"""What the user asked the timeline to do, in frames; the controller turns these into the
model's edit operations."""

from __future__ import annotations

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
