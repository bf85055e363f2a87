"""Seconds as written into ``data-*`` attributes: exact decimals, at most 6 places.

A value that is not an exact 6-place decimal (frame 25 at 24 fps is 1.041666…) is rounded
DOWN, so the written time lies within a microsecond before the frame's time: the renderer's
visibility rule (``start <= t < end``) then shows the clip from exactly the intended frame.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

PLACES = 6
_SCALE = 10**PLACES


def exact(value: float | int | str | Fraction | Decimal) -> Fraction:
    """A float as the decimal its repr shows (2.5 -> 5/2, 0.1 -> 1/10), others exactly."""
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return Fraction(value)
    return Fraction(value)


def floor_seconds(value: Fraction) -> Fraction:
    """``value`` rounded down to 6 decimal places."""
    return Fraction(math.floor(value * _SCALE), _SCALE)


def format_seconds(value: Fraction) -> str:
    """'2', '0.5', '1.041666', '-0.25' (rounded down to 6 places)."""
    scaled = math.floor(value * _SCALE)
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), _SCALE)
    if not frac:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{frac:06d}".rstrip("0")


def format_relative(ref: str, offset: Fraction, template: str) -> str:
    """``ref`` plus ``offset`` seconds in the style of ``template`` (the old data-start):
    'intro + 0.5', 'intro+0.5', or just 'intro' for a zero offset."""
    offset = floor_seconds(offset)
    if offset == 0:
        return ref
    spaced = any(f" {op}" in template or f"{op} " in template for op in "+-") or (
        template.strip() == ref
    )
    op = "+" if offset > 0 else "-"
    magnitude = format_seconds(abs(offset))
    return f"{ref} {op} {magnitude}" if spaced else f"{ref}{op}{magnitude}"
