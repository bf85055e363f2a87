"""Frames ↔ pixels along the timeline: zoom, horizontal scroll and the ruler's tick steps.

Qt-free arithmetic so the canvas, the tests and the benchmark share one mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

MAX_PX_PER_FRAME = 48.0  # single frames are wide enough to grab
ZOOM_STEP = 1.5
_FRAME_STEPS = (1, 2, 5, 10, 15)
_SECOND_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600)


@dataclass
class TimeScale:
    """``px_per_frame`` (zoom) and ``offset`` (pixels scrolled) for a content area ``width``
    pixels wide showing ``frame_count`` frames."""

    frame_count: int = 1
    fps: Fraction = Fraction(30)
    width: int = 1
    px_per_frame: float = 1.0
    offset: float = 0.0

    # ---- mapping ----------------------------------------------------------------------
    def x_of(self, frame: float) -> float:
        """Content x (0 = left edge of the clip area) of the left edge of ``frame``."""
        return frame * self.px_per_frame - self.offset

    def frame_at(self, x: float) -> float:
        """Frame position (fractional) under content x."""
        return (x + self.offset) / self.px_per_frame

    def visible_frames(self) -> tuple[float, float]:
        return self.frame_at(0), self.frame_at(self.width)

    @property
    def content_width(self) -> float:
        return self.frame_count * self.px_per_frame

    @property
    def max_offset(self) -> float:
        return max(0.0, self.content_width - self.width)

    # ---- zoom -------------------------------------------------------------------------
    @property
    def fit_px_per_frame(self) -> float:
        """The zoom that shows the whole composition."""
        return max(1e-4, self.width / max(1, self.frame_count))

    @property
    def min_px_per_frame(self) -> float:
        return min(self.fit_px_per_frame, MAX_PX_PER_FRAME)

    def fit(self) -> None:
        self.px_per_frame = self.fit_px_per_frame
        self.offset = 0.0

    def set_zoom(self, px_per_frame: float, anchor_x: float | None = None) -> None:
        """Zoom keeping the frame under ``anchor_x`` (default: the centre) where it is."""
        anchor = self.width / 2 if anchor_x is None else anchor_x
        frame = self.frame_at(anchor)
        self.px_per_frame = max(self.min_px_per_frame, min(MAX_PX_PER_FRAME, px_per_frame))
        self.scroll_to(frame * self.px_per_frame - anchor)

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        self.set_zoom(self.px_per_frame * factor, anchor_x)

    def scroll_to(self, offset: float) -> None:
        self.offset = max(0.0, min(self.max_offset, offset))

    def resize(self, width: int) -> None:
        """Keep the zoom (or keep fitting, when the whole composition was shown)."""
        fitted = self.px_per_frame <= self.fit_px_per_frame + 1e-9
        self.width = max(1, width)
        if fitted:
            self.fit()
        else:
            self.set_zoom(self.px_per_frame, 0)

    def ensure_visible(self, frame: float, margin: float = 24.0) -> None:
        """Scroll the least so ``frame`` is on screen (the playhead during playback)."""
        x = self.x_of(frame)
        if x < margin:
            self.scroll_to(self.offset + x - margin)
        elif x > self.width - margin:
            self.scroll_to(self.offset + x - self.width + margin)


@dataclass(frozen=True)
class Ticks:
    """Ruler ticks: ``major`` frames apart (labelled), ``minor`` frames apart (marks)."""

    major: float
    minor: float
    in_frames: bool  # labels count frames within the second


def ruler_ticks(px_per_frame: float, fps: Fraction, min_label_px: float = 90.0) -> Ticks:
    """The smallest readable step: frames when zoomed in, whole seconds and up otherwise."""
    rate = float(fps)
    for step in _FRAME_STEPS:
        if step >= rate:
            break
        if step * px_per_frame >= min_label_px:
            minor = 1 if px_per_frame * 1 >= 6 else step
            return Ticks(float(step), float(minor), True)
    for seconds in _SECOND_STEPS:
        major = seconds * rate
        if major * px_per_frame >= min_label_px:
            minor = major / 5 if major * px_per_frame / 5 >= 8 else major
            return Ticks(major, minor, False)
    major = _SECOND_STEPS[-1] * rate
    return Ticks(major, major, False)


def format_ruler_time(frame: float, fps: Fraction) -> str:
    """``M:SS`` on whole seconds, ``M:SS+FF`` (frames into the second) otherwise."""
    rate = float(fps)
    whole = round(frame)
    seconds = int(whole // rate + 1e-9) if rate else 0
    rest = whole - round(seconds * rate)
    minutes, secs = divmod(seconds, 60)
    text = f"{minutes}:{secs:02d}"
    return f"{text}+{rest:02d}" if rest else text
