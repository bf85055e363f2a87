"""Smart guides: where a rectangle being moved snaps, and the lines that show why.

Targets are the stage's edges and centre lines and every other element's edges and centres;
the moving rectangle's left/centre/right (top/middle/bottom) are matched against them, each
axis on its own, and the nearest target within ``threshold`` (stage pixels) wins. Qt-free.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)

    def xs(self) -> tuple[float, float, float]:
        return self.x, self.x + self.w / 2, self.x + self.w

    def ys(self) -> tuple[float, float, float]:
        return self.y, self.y + self.h / 2, self.y + self.h


@dataclass(frozen=True)
class Guide:
    """A line to draw: ``axis`` "x" is vertical at ``at``; "y" horizontal. ``what`` says
    what was met ("stage centre", "stage edge", "element")."""

    axis: str
    at: float
    what: str


@dataclass(frozen=True)
class Snap:
    dx: float  # the (snapped) move to apply
    dy: float
    guides: tuple[Guide, ...]


#: Distances closer than this (stage pixels) are a tie.
_TIE = 1e-3


def _targets(stage: tuple[float, float], others: Iterable[Rect]) -> tuple[list, list]:
    w, h = stage
    xs = [(0.0, "stage edge"), (w / 2, "stage centre"), (w, "stage edge")]
    ys = [(0.0, "stage edge"), (h / 2, "stage centre"), (h, "stage edge")]
    for other in others:
        xs += [(v, "element") for v in other.xs()]
        ys += [(v, "element") for v in other.ys()]
    return xs, ys


def _best(edges: tuple[float, ...], targets: list, threshold: float) -> tuple[float, list]:
    best: tuple[float, float, str] | None = None  # (distance, shift, what)
    for edge in edges:
        for at, what in targets:
            shift = at - edge
            # nearer by more than a rounding hair: sub-pixel layout sizes (60.0000038) must
            # not decide a tie, which goes to the target listed first (the stage's own)
            if abs(shift) <= threshold and (best is None or abs(shift) < best[0] - _TIE):
                best = (abs(shift), shift, what)
    if best is None:
        return 0.0, []
    shift = best[1]
    lines = sorted({at for edge in edges for at, _ in targets if abs(at - (edge + shift)) < 1e-6})
    whats: dict[float, str] = {}
    for at, what in targets:  # the stage's own lines first: an element on them is the stage's
        whats.setdefault(at, what)
    return shift, [(at, whats[at]) for at in lines]


def snap_move(
    start: Rect,
    dx: float,
    dy: float,
    others: Iterable[Rect],
    stage: tuple[float, float],
    threshold: float,
    enabled: bool = True,
) -> Snap:
    """The move (dx, dy) of ``start`` adjusted to the nearest guide on each axis."""
    if not enabled:
        return Snap(dx, dy, ())
    moved = start.moved(dx, dy)
    xs, ys = _targets(stage, list(others))
    shift_x, lines_x = _best(moved.xs(), xs, threshold)
    shift_y, lines_y = _best(moved.ys(), ys, threshold)
    guides = tuple(Guide("x", at, what) for at, what in lines_x) + tuple(
        Guide("y", at, what) for at, what in lines_y
    )
    return Snap(dx + shift_x, dy + shift_y, guides)
