"""Which source frame each output frame of a ``<video>`` clip shows.

Output frame ``f`` is shown at ``t = f / fps`` (exact, as a Fraction). Inside the clip's
window ``[start, end)`` (the same test, with the same tolerance, as the seek runtime's
``data-hf-start``/``data-hf-end`` visibility) the source time is
``media_start + (t - start) * playback_rate`` and the frame shown is the one a browser shows
for a paused video at that ``currentTime``: the last source frame whose timestamp is not
after it. A time past the source's last frame shows the last frame (a browser holds the last
frame of an ended video).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from fractions import Fraction

from hyperframes_desktop.render.compile import PlacedMedia

#: Same tolerance as the seek runtime's clip-window test (EPS in seek_runtime.js).
_WINDOW_EPS = Fraction(1, 10**9)
#: A source frame counts as "at or before" a time up to half a tick of its stream's time base
#: after it (a stored timestamp is rounded to the tick: WebM's millisecond ticks store 2/30 s
#: as 0.067 s), but never more than this.
_MAX_PTS_SLACK = Fraction(1, 2000)


@dataclass(frozen=True)
class FramePlan:
    """Output frames ``[start_frame, start_frame + len(source_times))`` of one clip and the
    source time (seconds from the source's start) each one shows."""

    start_frame: int
    source_times: tuple[Fraction, ...]

    @property
    def end_frame(self) -> int:
        return self.start_frame + len(self.source_times)


def exact(value: float | Fraction | int | str) -> Fraction:
    """A float from the page or the parser as the decimal it was written as (0.1 → 1/10),
    rounded as the compile stage writes it into ``data-hf-*`` attributes."""
    if isinstance(value, Fraction | int):
        return Fraction(value)
    return Fraction(repr(round(float(value), 9)))


def frame_plan(placed: PlacedMedia, fps: Fraction, frame_count: int) -> FramePlan:
    """Which output frames show this clip and which source time each one shows."""
    start = exact(placed.start)
    end = exact(placed.end) if placed.end is not None else None
    first = max(0, math.ceil((start - _WINDOW_EPS) * fps))
    last = frame_count if end is None else min(frame_count, math.ceil((end - _WINDOW_EPS) * fps))
    media_start = exact(placed.element.media_start)
    rate = exact(placed.element.playback_rate)
    if last <= first:
        return FramePlan(start_frame=max(0, min(first, frame_count)), source_times=())
    times = tuple(media_start + (Fraction(f) / fps - start) * rate for f in range(first, last))
    return FramePlan(start_frame=first, source_times=times)


def pts_slack(time_base: Fraction) -> Fraction:
    """How far after a time a stored timestamp may be and still count as at it."""
    return min(time_base / 2, _MAX_PTS_SLACK)


def pick_source_frames(
    source_times: tuple[Fraction, ...], pts: tuple[Fraction, ...], slack: Fraction = Fraction(0)
) -> list[int]:
    """Index (into sorted ``pts``) of the frame a paused browser video shows at each time:
    the last frame not after it (the first frame before the first timestamp, the last frame
    after the end); ``slack`` absorbs timestamp rounding (see :func:`pts_slack`)."""
    if not pts:
        raise ValueError("no source frames")
    picked = []
    for when in source_times:
        index = bisect_right(pts, when + slack) - 1
        picked.append(min(max(index, 0), len(pts) - 1))
    return picked
