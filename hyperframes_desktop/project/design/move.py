"""Moving elements on the stage: the smallest style change that puts them ``dx``/``dy`` CSS
pixels away, written where the position is defined inline.

- An element whose inline style gives ``left`` (``top``) in px gets that value changed.
- Otherwise its inline ``translate`` (the CSS individual transform property, which composes
  with any ``transform`` a GSAP tween or a CSS rule sets) is added to, or written.

One move of several elements is one edit (one undo step); consecutive moves of the same
elements share a ``merge_key`` so a drag or a run of nudges folds into one undo step.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..scanner import Element, scan
from ..timeline.changes import Change, Edit, EditRefused, SetStyle, decode_source
from ..timeline.editing import finish
from ..timeline.model import Timeline
from .declarations import get
from .element_keys import find_by_key, is_source_key, key_label

NOTHING_CHANGED = "nothing was changed"
_PX = re.compile(r"^\s*(-?\d+(?:\.\d+)?)px\s*$", re.IGNORECASE)
_ZERO = re.compile(r"^\s*-?0(?:\.0+)?\s*$")


@dataclass(frozen=True)
class ElementRef:
    """An element of a composition file, by the studio's key for it (what the canvas
    picks): its id, or its source key when it has none (``element_keys``)."""

    file: Path
    element_id: str

    @property
    def label(self) -> str:
        """``"title"`` or ``<p>``: how messages and undo labels name the element."""
        return (
            key_label(self.element_id)
            if is_source_key(self.element_id)
            else (f'"{self.element_id}"')
        )


def format_px(value: Fraction | float) -> str:
    """``12px``, ``-3.5px``: at most 3 decimals, no trailing zeros."""
    number = round(float(value), 3)
    text = f"{number:.3f}".rstrip("0").rstrip(".")
    return f"{'0' if text in ('-0', '') else text}px"


def _px(value: str | None) -> Fraction | None:
    if value is None:
        return None
    if _ZERO.match(value):
        return Fraction(0)
    match = _PX.match(value)
    return Fraction(match[1]) if match else None


def find_element(timeline: Timeline, ref: ElementRef) -> tuple[Element, str]:
    """(the element, its inline style text) or EditRefused naming what is missing."""
    data = timeline.sources.get(ref.file)
    if data is None:
        raise EditRefused(f"{ref.file.name} is not part of this composition; {NOTHING_CHANGED}.")
    text, _ = decode_source(data)
    elements = scan(text)
    if is_source_key(ref.element_id):
        found = find_by_key(timeline.project_root, ref.file, elements, ref.element_id)
        if found is None:
            raise EditRefused(
                f"{ref.file.name} no longer has the {ref.label} element the studio selected: "
                f"the file changed since; select the element again ({NOTHING_CHANGED})."
            )
        return found, html.unescape(found.attrs.get("style") or "")
    hits = [e for e in elements if e.attrs.get("id") == ref.element_id]
    if len(hits) != 1:
        what = "no element" if not hits else f"{len(hits)} elements"
        raise EditRefused(
            f'{ref.file.name} has {what} with id "{ref.element_id}"; give the element a unique '
            f"id and try again ({NOTHING_CHANGED})."
        )
    return hits[0], html.unescape(hits[0].attrs.get("style") or "")


def _translate(value: str | None) -> tuple[Fraction, Fraction] | None:
    if value is None or not value.strip() or value.strip() == "none":
        return Fraction(0), Fraction(0)
    parts = value.split()
    if len(parts) > 3:
        return None
    x = _px(parts[0])
    y = _px(parts[1]) if len(parts) > 1 else Fraction(0)
    if x is None or y is None or (len(parts) == 3 and _px(parts[2]) != 0):
        return None
    return x, y


def move_changes(timeline: Timeline, ref: ElementRef, dx: float, dy: float) -> list[Change]:
    element, style = find_element(timeline, ref)
    start = element.span[0]
    dx_f, dy_f = Fraction(dx).limit_denominator(1000), Fraction(dy).limit_denominator(1000)
    left, top = _px(get(style, "left")), _px(get(style, "top"))
    changes: list[Change] = []
    rest_x, rest_y = dx_f, dy_f
    if left is not None and dx_f:
        changes.append(SetStyle(ref.file, start, "left", format_px(left + dx_f)))
        rest_x = Fraction(0)
    if top is not None and dy_f:
        changes.append(SetStyle(ref.file, start, "top", format_px(top + dy_f)))
        rest_y = Fraction(0)
    if rest_x or rest_y:
        current = _translate(get(style, "translate"))
        if current is None:
            raise EditRefused(
                f"{ref.label} has a translate the studio cannot add to "
                f'("{get(style, "translate")}"); {NOTHING_CHANGED}.'
            )
        x, y = current[0] + rest_x, current[1] + rest_y
        changes.append(SetStyle(ref.file, start, "translate", f"{format_px(x)} {format_px(y)}"))
    return changes


def move_elements(timeline: Timeline, refs: Iterable[ElementRef], dx: float, dy: float) -> Edit:
    """Move every element of ``refs`` by (dx, dy) CSS pixels, as one edit."""
    refs = list(dict.fromkeys(refs))
    if not refs:
        raise EditRefused(f"Nothing is selected; {NOTHING_CHANGED}.")
    changes: list[Change] = []
    for ref in refs:
        changes += move_changes(timeline, ref, dx, dy)
    names = ", ".join(r.label for r in refs[:3]) + ("…" if len(refs) > 3 else "")
    key = "move:" + "|".join(sorted(f"{r.file}#{r.element_id}" for r in refs))
    return finish(timeline, f"Move {names}", changes, merge_key=key)
