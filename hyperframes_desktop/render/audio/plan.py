"""Which clips are heard, and each one's part in the mix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.render.compile import PlacedMedia

#: Windows shorter than this (seconds) contribute nothing and are skipped.
_MIN_WINDOW_S = 1e-6


@dataclass(frozen=True)
class ClipPlan:
    """One clip's part in the mix, all times in seconds.

    The clip is heard from ``timeline_start`` for ``length`` seconds; it consumes the source
    from ``source_start`` for ``length × rate`` seconds.
    """

    placed: PlacedMedia
    path: Path
    timeline_start: float
    length: float
    source_start: float
    rate: float
    volume: float
    mono: bool = False

    @property
    def source_length(self) -> float:
        return self.length * self.rate


def is_audible(placed: PlacedMedia) -> bool:
    """Whether a clip belongs in the mix (its volume may still be 0: audible-silent).

    ``<audio>`` is heard unless it carries ``muted``. ``<video>`` is heard only with
    ``data-has-audio="true"``; that explicit opt-in wins over ``muted``, because HyperFrames
    asks authors to keep videos ``muted playsinline`` for the preview and marks the ones
    whose sound belongs in the render with ``data-has-audio``.
    """
    element = placed.element
    if element.tag == "audio":
        return not element.muted
    return element.tag == "video" and element.has_audio


def plan_clips(
    media: list[PlacedMedia], duration: float
) -> list[tuple[PlacedMedia, float, float, float]]:
    """Audible clips that play inside ``[0, duration)``, with their clipped window.

    Returns ``(placed, timeline_start, length, skipped)`` where ``skipped`` is how much of
    the clip's own start lies before 0 (a nested composition shifted by
    ``data-playback-start``), to be skipped in the source as well.
    """
    kept: list[tuple[PlacedMedia, float, float, float]] = []
    for placed in media:
        if not is_audible(placed):
            continue
        start = placed.start
        end = duration if placed.end is None else min(placed.end, duration)
        skipped = max(0.0, -start)
        start = max(0.0, start)
        if end - start <= _MIN_WINDOW_S:
            continue
        kept.append((placed, start, end - start, skipped))
    return kept
