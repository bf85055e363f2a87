"""The timeline's data: tracks of clips with times resolved exactly as the renderer resolves them.

Times are kept twice: in seconds on the ROOT timeline (what the compile stage writes as
``data-hf-start``/``data-hf-end``) and in whole frames of the root composition's frame rate
(what the UI draws and what edits take). A frame ``f`` shows a clip when
``start_frame <= f < end_frame`` — the seek runtime's visibility rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Literal

ClipKind = Literal["element", "composition", "video", "audio"]

#: The seek runtime compares times with this tolerance; frames use the same rounding.
TIME_EPSILON = 1e-6


def frame_at(seconds: float, fps: Fraction) -> int:
    """The first frame whose time is at or after ``seconds`` (how clip edges map to frames)."""
    return max(0, math.ceil(seconds * float(fps) - TIME_EPSILON))


@dataclass(frozen=True)
class StartRef:
    """A relative ``data-start`` ("intro + 0.5"): ``offset`` seconds after the END of ``ref``."""

    ref: str
    offset: float


@dataclass(frozen=True)
class TimelineClip:
    """One clip as the timeline shows it.

    ``key`` identifies the clip within the timeline (host keys joined with "/" for clips of
    nested compositions); ``element_start`` is the offset of the element's start tag in
    ``file``'s text as read, which is what edits point at.
    """

    key: str
    id: str | None
    kind: ClipKind
    tag: str
    file: Path
    element_start: int
    track: int  # the row: data-track-index, or 0 when the attribute is absent
    track_written: bool
    start: float  # seconds on the root timeline
    end: float  # seconds on the root timeline (exclusive)
    local_start: float  # seconds in the time of the file it is written in
    raw_start: str
    start_ref: StartRef | None
    duration_written: bool  # False: runs to the end of its composition
    start_frame: int
    end_frame: int  # exclusive
    timed: bool = True  # False for media without data-start/class="clip" (plays throughout)
    src: str | None = None
    media_path: Path | None = None
    media_start: float | None = None  # video/audio only: data-media-start (0 when absent)
    volume: float | None = None  # video/audio only
    playback_rate: float = 1.0
    has_audio: bool = False
    composition_id: str | None = None  # composition clips only
    playback_start: float | None = None  # composition clips only
    origin: float = 0.0  # root time at which the file's local time 0 falls
    children: tuple[Track, ...] = ()  # composition clips: the child's own tracks
    depth: int = 0  # 0 for clips of the root composition

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def duration_frames(self) -> int:
        return self.end_frame - self.start_frame

    @property
    def label(self) -> str:
        return self.id or f"<{self.tag}>"

    @property
    def is_media(self) -> bool:
        return self.kind in ("video", "audio")

    @property
    def source_range(self) -> tuple[float, float] | None:
        """Seconds of the source a media clip plays (``data-media-start`` on, at its playback
        rate), or of the child's own timeline a composition clip shows; None for elements."""
        if self.media_start is not None:
            offset, rate = self.media_start, self.playback_rate
        elif self.playback_start is not None:
            offset, rate = self.playback_start, 1.0
        else:
            return None
        return offset, offset + self.duration * rate

    def media_time_at(self, seconds: float) -> float | None:
        """Source time shown at root time ``seconds`` (media clips only)."""
        if self.media_start is None:
            return None
        return self.media_start + (seconds - self.start) * self.playback_rate


@dataclass(frozen=True)
class Track:
    """One row: clips sorted by start."""

    index: int
    clips: tuple[TimelineClip, ...]


@dataclass(frozen=True)
class Timeline:
    """A composition's tracks. ``sources`` maps every file read to the bytes it held."""

    project_root: Path
    file: Path
    composition_id: str
    fps: Fraction
    duration: float
    frame_count: int
    width: int
    height: int
    tracks: tuple[Track, ...]
    sources: dict[Path, bytes] = field(repr=False, default_factory=dict)
    #: the length its page reported, for a root without data-duration (None: not asked, or
    #: the root has one): kept when the timeline is rebuilt after an edit
    page_duration: float | None = None
    warnings: tuple[str, ...] = ()

    def seconds(self, frame: int) -> float:
        """Time of ``frame`` in seconds."""
        return float(Fraction(frame) / self.fps)

    def frame(self, seconds: float) -> int:
        return frame_at(seconds, self.fps)

    def all_clips(self) -> Iterator[TimelineClip]:
        """Every clip, nested ones after their host, depth first."""
        return iter(self._index[0])

    @cached_property
    def _index(
        self,
    ) -> tuple[list[TimelineClip], dict[str, TimelineClip], dict[str, TimelineClip | None]]:
        ordered: list[TimelineClip] = []
        parents: dict[str, TimelineClip | None] = {}

        def walk(tracks: tuple[Track, ...], parent: TimelineClip | None) -> None:
            for track in tracks:
                for clip in track.clips:
                    ordered.append(clip)
                    parents[clip.key] = parent
                    walk(clip.children, clip)

        walk(self.tracks, None)
        return ordered, {c.key: c for c in ordered}, parents

    def clip(self, key: str) -> TimelineClip | None:
        """The clip with ``key``, or None."""
        return self._index[1].get(key)

    def clip_by_id(self, element_id: str) -> TimelineClip | None:
        """The first clip (root composition first) with this element id."""
        return next((c for c in self._index[0] if c.id == element_id), None)

    def host_of(self, clip: TimelineClip) -> TimelineClip | None:
        """The composition clip ``clip`` is nested in (None at the root)."""
        return self._index[2].get(clip.key)

    def siblings(self, clip: TimelineClip) -> tuple[Track, ...]:
        """The tracks of the composition ``clip`` belongs to (root or a nested one)."""
        host = self.host_of(clip)
        return self.tracks if host is None else host.children

    def clips_at(self, frame: int) -> list[TimelineClip]:
        """Clips showing at ``frame``: nested ones first, then by track index, highest first."""
        hits = [c for c in self.all_clips() if c.start_frame <= frame < c.end_frame]
        return sorted(hits, key=lambda c: (-c.depth, -c.track))
