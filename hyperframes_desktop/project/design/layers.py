"""The layers list: a composition's selectable elements as a tree, topmost first.

Siblings are listed in reverse document order (later siblings paint over earlier ones when
no ``z-index`` says otherwise); an element with ``data-composition-src`` has the nested
composition's elements as its children, so nested compositions unfold in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..files import resolve_src
from ..scanner import Element, scan
from ..timeline.changes import Change, Edit, EditRefused, RemoveElement, decode_source
from ..timeline.editing import finish
from ..timeline.model import Timeline
from .element_keys import is_source_key
from .move import NOTHING_CHANGED, ElementRef, find_element
from .selectable import element_id_of, element_keys


@dataclass
class Layer:
    element_id: str  # the studio's key: the id, or the source key of an element without one
    tag: str
    file: Path
    label: str
    children: list[Layer] = field(default_factory=list)


def _label(element: Element) -> str:
    classes = ".".join(c for c in element.classes() if c != "clip")
    element_id = element_id_of(element)
    name = f"{element.tag}#{element_id}" if element_id else element.tag
    return name + (f".{classes}" if classes else "")


def _tree(timeline: Timeline, file: Path, seen: tuple[Path, ...]) -> list[Layer]:
    data = timeline.sources.get(file)
    if data is None or file in seen:
        return []
    text, _ = decode_source(data)
    elements = scan(text)
    keys = element_keys(timeline.project_root, file, elements)
    made: dict[int, Layer] = {}
    top: list[Layer] = []
    for element in elements:
        key = keys.get(element.index)
        if key is None:
            continue
        parent = element.parent
        while parent is not None and parent not in made:
            parent = elements[parent].parent
        layer = Layer(key, element.tag, file, _label(element))
        src = element.attrs.get("data-composition-src")
        if src:
            child = resolve_src(timeline.project_root, src)
            if child is not None:
                layer.children = _tree(timeline, child, (*seen, file))
        made[element.index] = layer
        (made[parent].children if parent is not None else top).append(layer)
    for layer in made.values():
        if not layer.children or layer.children[0].file == layer.file:
            layer.children.reverse()
    top.reverse()
    return top


def layer_tree(timeline: Timeline | None) -> list[Layer]:
    """The current composition's layers, topmost first."""
    if timeline is None:
        return []
    return _tree(timeline, timeline.file, ())


def delete_elements(timeline: Timeline, refs: list[ElementRef]) -> Edit:
    """Remove the selected elements (and what is inside them) from their files, as one edit.
    Refused while another clip's ``data-start`` refers to one of them."""
    if not refs:
        raise EditRefused(f"Nothing is selected; {NOTHING_CHANGED}.")
    ids = {r.element_id for r in refs if not is_source_key(r.element_id)}
    changes: list[Change] = []
    for ref in refs:
        element, _ = find_element(timeline, ref)
        changes.append(RemoveElement(ref.file, element.span[0]))
    for data in timeline.sources.values():
        text, _ = decode_source(data)
        for element in scan(text):
            start = element.attrs.get("data-start") or ""
            other = element.attrs.get("id")
            if other in ids:
                continue
            for element_id in ids:
                if start.split("+")[0].split("-")[0].strip() == element_id:
                    raise EditRefused(
                        f'"{other or element.tag}" starts relative to "{element_id}" '
                        f'(data-start="{start}"): give it a start in seconds first '
                        f"({NOTHING_CHANGED})."
                    )
    names = ", ".join(r.label for r in refs[:3]) + ("…" if len(refs) > 3 else "")
    return finish(timeline, f"Delete {names}", changes)
