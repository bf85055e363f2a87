"""The inspector's edits: one CSS property of one element, written where it is defined.

- In the element's ``style`` attribute when the property is written there;
- else in an ``#id`` rule of the same file that declares it (such a rule matches this element
  alone, see ``rules``);
- else inline, and the edit says so (a class rule or an inherited value stays as it was,
  now overridden for this element).

One declaration changes per edit. Consecutive edits of the same property of the same element
share a ``merge_key``, so a slider's drag is one undo step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..scanner import scan
from ..timeline.changes import (
    Change,
    Edit,
    EditRefused,
    SetRuleDeclaration,
    SetStyle,
    decode_source,
)
from ..timeline.editing import finish
from ..timeline.model import Timeline
from .declarations import get
from .element_keys import is_source_key
from .move import NOTHING_CHANGED, ElementRef, find_element
from .rules import IdRule, rule_for

#: The properties the inspector edits (CSS names).
PROPERTIES = (
    "font-family",
    "font-size",
    "font-weight",
    "color",
    "background-color",
    "opacity",
    "border-radius",
    "left",
    "top",
    "width",
    "height",
    "rotate",
)
_BAD = re.compile(r"[;{}<>]|/\*")


@dataclass(frozen=True)
class Where:
    """Where a property of an element is written in the source."""

    kind: str  # "inline", "rule" or "none"
    value: str | None  # the value written there

    def describe(self) -> str:
        return {
            "inline": "the element's style attribute",
            "rule": "its #id rule",
            "none": "not set on this element (inherited, a class rule, or the default)",
        }[self.kind]


def _id_rule(text: str, ref: ElementRef, name: str) -> IdRule | None:
    """The ``#id`` rule declaring ``name`` for ``ref`` (never for an element without id)."""
    return None if is_source_key(ref.element_id) else rule_for(text, ref.element_id, name)


def where_defined(timeline: Timeline, ref: ElementRef, name: str) -> Where:
    _element, style = find_element(timeline, ref)
    inline = get(style, name)
    if inline is not None:
        return Where("inline", inline)
    text, _ = decode_source(timeline.sources[ref.file])
    rule = _id_rule(text, ref, name)
    if rule is not None:
        return Where("rule", get(rule.body(text), name))
    return Where("none", None)


def set_property(timeline: Timeline, ref: ElementRef, name: str, value: str) -> Edit:
    """Write ``name: value`` for ``ref`` where the property is defined (see module doc)."""
    name = name.strip().lower()
    value = value.strip()
    if name not in PROPERTIES:
        raise EditRefused(f"The studio does not edit {name}; {NOTHING_CHANGED}.")
    if not value or _BAD.search(value):
        raise EditRefused(
            f'"{value}" is not a usable value for {name}: leave out ; {{ }} < > and comments '
            f"({NOTHING_CHANGED})."
        )
    element, style = find_element(timeline, ref)
    text, _ = decode_source(timeline.sources[ref.file])
    warnings: tuple[str, ...] = ()
    change: Change
    if get(style, name) is not None:
        change = SetStyle(ref.file, element.span[0], name, value)
    elif (rule := _id_rule(text, ref, name)) is not None:
        style_element = next(
            e
            for e in scan(text)
            if e.tag == "style" and e.span[1] <= rule.block_begin <= (e.closed_at or -1)
        )
        change = SetRuleDeclaration(
            ref.file, style_element.span[0], (rule.block_begin, rule.block_end), name, value
        )
    else:
        change = SetStyle(ref.file, element.span[0], name, value)
        warnings = (f"{name} was not set on this element: it is now set in its style attribute.",)
    edit = finish(
        timeline,
        f"Set {name} of {ref.label}",
        [change],
        merge_key=f"prop:{ref.file}#{ref.element_id}:{name}",
    )
    return Edit(
        edit.label,
        edit.changes,
        edit.result,
        warnings=warnings,
        merge_key=edit.merge_key,
    )
