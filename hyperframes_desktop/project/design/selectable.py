"""Which elements of a composition a user can select on the stage: every element with an
id in the composition's files, except the composition roots, templates' insides and the
elements that draw nothing themselves (scripts, styles, metadata)."""

from __future__ import annotations

from pathlib import Path

from ..scanner import scan
from ..timeline.changes import decode_source
from ..timeline.model import Timeline

_NOT_SELECTABLE = frozenset(
    [
        "html",
        "head",
        "body",
        "script",
        "style",
        "template",
        "meta",
        "link",
        "title",
        "noscript",
        "source",
        "track",
    ]
)


def selectable_ids(timeline: Timeline | None) -> dict[str, Path]:
    """id -> file for every element of the composition a user can select on the stage."""
    found: dict[str, Path] = {}
    if timeline is None:
        return found
    for path, data in timeline.sources.items():
        try:
            text, _ = decode_source(data)
        except UnicodeDecodeError:
            continue
        for element in scan(text):
            element_id = element.attrs.get("id")
            if (
                element_id
                and element.tag not in _NOT_SELECTABLE
                and element.template is None
                and "data-composition-id" not in element.attrs
            ):
                found.setdefault(element_id, path)
    return found
