"""What the canvas paints: rows of bars in frames, built from the timeline model.

These are drawing records (no editing logic): each bar carries the model's clip as ``clip``
so an edit intent can be handed back to the model unchanged.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("element", "composition", "video", "audio")


@dataclass(frozen=True)
class AudioSpan:
    """The part of a sound file a bar plays: for the waveform."""

    path: Path
    media_start: float
    rate: float = 1.0


@dataclass(frozen=True)
class Bar:
    key: str  # stable within one build: the clip's id or its position
    label: str
    kind: str
    start: int  # first frame
    end: int  # frame after the last
    clip: object = None  # the model's clip, handed back with edit intents
    editable: bool = True
    audio: AudioSpan | None = None
    host: bool = False  # a nested composition: its tracks can be expanded


@dataclass
class Row:
    """One track of one composition file (``scope`` tells which file)."""

    label: str
    track: int
    scope: str  # "" for the opened composition, the host's key for nested ones
    depth: int = 0
    parents: tuple[str, ...] = ()  # every host above this row (to hide collapsed ones)
    bars: list[Bar] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list, repr=False)
    _reach: list[int] = field(default_factory=list, repr=False)

    def index(self) -> None:
        """Sort bars and prepare the visible-range lookup."""
        self.bars.sort(key=lambda b: (b.start, b.end))
        self._starts = [b.start for b in self.bars]
        reach, best = [], -(10**12)
        for bar in self.bars:
            best = max(best, bar.end)
            reach.append(best)
        self._reach = reach

    def visible(self, first: float, last: float) -> list[Bar]:
        """Bars overlapping frames [first, last] (binary search both ends)."""
        lo = bisect.bisect_right(self._reach, first)
        hi = bisect.bisect_right(self._starts, last)
        return [b for b in self.bars[lo:hi] if b.end > first]

    def bar_at(self, frame: float) -> Bar | None:
        """The last-starting bar covering ``frame`` (what is painted on top)."""
        hi = bisect.bisect_right(self._starts, frame)
        lo = bisect.bisect_right(self._reach, frame)
        for bar in reversed(self.bars[lo:hi]):
            if bar.start <= frame < bar.end:
                return bar
        return None


def finish(rows: list[Row]) -> list[Row]:
    for row in rows:
        row.index()
    return rows
