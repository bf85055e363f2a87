"""Resizing and rotating an element on the stage, written as inline declarations.

- Resize sets ``width``/``height`` in px (changing only those declarations when they are
  inline, adding them otherwise) and moves the element when its left or top edge moved
  (see ``move.move_changes``: ``left``/``top`` when inline, else ``translate``).
- Rotate adds to the element's inline ``rotate`` (the CSS individual transform property,
  which composes with any ``transform`` an animation sets), in whole degrees.
"""

from __future__ import annotations

import re
from fractions import Fraction

from ..timeline.changes import Change, Edit, EditRefused, SetStyle
from ..timeline.editing import finish
from ..timeline.model import Timeline
from .declarations import get
from .move import NOTHING_CHANGED, ElementRef, find_element, format_px, move_changes

_DEG = re.compile(r"^\s*(-?\d+(?:\.\d+)?)deg\s*$", re.IGNORECASE)
MIN_SIZE = 1.0


def resize_element(
    timeline: Timeline,
    ref: ElementRef,
    *,
    dx: float,
    dy: float,
    width: float,
    height: float,
    old_size: tuple[float, float],
) -> Edit:
    """Give ``ref`` the size ``width`` x ``height`` CSS px, its top-left moved by (dx, dy).
    ``old_size`` is its size on the stage now: a dimension that did not change is left
    alone."""
    if width < MIN_SIZE or height < MIN_SIZE:
        raise EditRefused(f"{ref.label} would have no size left; {NOTHING_CHANGED}.")
    element, _style = find_element(timeline, ref)
    changes: list[Change] = []
    if dx or dy:
        changes += move_changes(timeline, ref, dx, dy)
    for name, new, old in (("width", width, old_size[0]), ("height", height, old_size[1])):
        if round(new, 3) != round(old, 3):
            changes.append(SetStyle(ref.file, element.span[0], name, format_px(Fraction(new))))
    return finish(
        timeline,
        f"Resize {ref.label}",
        changes,
        merge_key=f"resize:{ref.file}#{ref.element_id}",
    )


def rotate_element(timeline: Timeline, ref: ElementRef, degrees: float) -> Edit:
    """Turn ``ref`` by ``degrees`` (clockwise) more than its inline ``rotate`` says."""
    element, style = find_element(timeline, ref)
    current = get(style, "rotate")
    if current is None or not current.strip() or current.strip() == "none":
        base = 0.0
    else:
        match = _DEG.match(current)
        if match is None:
            raise EditRefused(
                f'{ref.label} has a rotate the studio cannot add to ("{current}"); '
                f"{NOTHING_CHANGED}."
            )
        base = float(match[1])
    total = round(base + degrees) % 360
    total = total - 360 if total > 180 else total
    change = SetStyle(ref.file, element.span[0], "rotate", f"{total}deg")
    return finish(
        timeline,
        f"Rotate {ref.label}",
        [change],
        merge_key=f"rotate:{ref.file}#{ref.element_id}",
    )
