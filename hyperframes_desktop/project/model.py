"""Data classes describing a loaded composition (pure data, no parsing here)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CompositionInfo:
    """One entry of :func:`list_compositions`; ``error`` is set instead of raising."""

    path: Path
    composition_id: str | None
    width: int | None
    height: int | None
    duration: float | None
    fps: Fraction | None
    is_sub: bool
    error: str | None
    clips: int | None = None  # clips on this file's own timeline (None when it has an error)


@dataclass
class Clip:
    """A timed element. ``start`` is in the time of the file it is written in."""

    element_id: str | None
    tag: str
    start: float
    duration: float | None
    track_index: int | None
    raw_start: str
    span: tuple[int, int]
    name_end: int

    @property
    def end(self) -> float | None:
        """``start + duration``, or None when the clip runs to the composition's end."""
        return None if self.duration is None else self.start + self.duration

    def is_visible(self, t: float) -> bool:
        """Visible while ``start <= t < start + duration``."""
        end = self.end
        return self.start <= t and (end is None or t < end)


@dataclass(kw_only=True)
class MediaElement(Clip):
    """A ``<video>`` or ``<audio>`` element, timed or not."""

    src: str
    path: Path | None
    media_start: float = 0.0
    volume: float = 1.0
    playback_rate: float = 1.0
    has_audio: bool = False
    muted: bool = False

    @property
    def remote_url(self) -> str | None:
        """The https URL ``src`` names (``//host/…`` counts as https), None for a project
        file. The render's media stages play the resolver's cached copy of it."""
        src = self.src.strip()
        if self.path is not None:
            return None
        if src.startswith("//"):
            return "https:" + src
        return src if src.lower().startswith("https://") else None


@dataclass(kw_only=True)
class CompositionHost(Clip):
    """An element with ``data-composition-src``; ``child`` clips are in CHILD time."""

    composition_id: str
    src: str
    path: Path
    child: Composition
    playback_start: float = 0.0
    variable_values: dict[str, Any] | None = None


@dataclass
class Composition:
    """A parsed, fully resolved composition file (spans index into ``text``)."""

    path: Path
    project_root: Path
    text: str = field(repr=False)
    composition_id: str
    width: int
    height: int
    duration: float
    fps: Fraction
    no_timeline: bool
    is_template: bool
    template_span: tuple[int, int] | None
    root_span: tuple[int, int]
    root_name_end: int
    clips: list[Clip] = field(default_factory=list)
    hosts: list[CompositionHost] = field(default_factory=list)
    media: list[MediaElement] = field(default_factory=list)
    variables_schema: list[Any] | dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)
    #: The root has no data-duration: its length is its page's (the registered timeline's),
    #: and ``duration`` is provisional until the page was asked (see render.page_duration).
    duration_from_page: bool = False
    #: Loaded as a sub-composition (inlined into another page): its relative URLs follow
    #: HyperFrames' rewrite rule (see project.asset_paths), not its own folder.
    sub: bool = False

    @property
    def frame_count(self) -> int:
        """Frames to render; the epsilon keeps 10 s at 30000/1001 at 300, not 301."""
        return max(1, math.ceil(self.duration * float(self.fps) - 1e-6))

    @property
    def fps_float(self) -> float:
        return float(self.fps)

    def frame_time(self, frame: int) -> float:
        """Seconds at which ``frame`` is captured."""
        return float(Fraction(frame) / self.fps)
