"""Which elements of a composition a user can select on the stage: every element of the
composition's files, except the composition roots, the insides of templates that the page
does not show (a sub-composition's ``<template>``, which the page shows, counts), and the
elements that draw nothing themselves (scripts, styles, metadata). Each is known by its id,
or by its source key when it has none (``element_keys``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from ..scanner import Element, scan
from ..timeline.changes import decode_source
from ..timeline.model import Timeline
from .element_keys import is_source_key, keys_by_element

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


#: Text-level markup that is part of its parent's text: without an id, a click on it selects
#: the element around it (whose text is what one edits).
_TEXT_MARKUP = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "br",
        "cite",
        "code",
        "data",
        "dfn",
        "em",
        "i",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    ]
)


def _inside_svg(elements: list[Element], element: Element) -> bool:
    parent = element.parent
    while parent is not None:
        if elements[parent].tag == "svg":
            return True
        parent = elements[parent].parent
    return False


def _shown(elements: list[Element], element: Element) -> bool:
    """Outside every ``<template>``, or inside one below a composition root (the template of
    a sub-composition file, whose content the compile stage puts on the page)."""
    if element.template is None:
        return True
    parent = element.parent
    while parent is not None and parent != element.template:
        if "data-composition-id" in elements[parent].attrs:
            return True
        parent = elements[parent].parent
    return False


def is_selectable(elements: list[Element], element: Element) -> bool:
    return (
        element.tag not in _NOT_SELECTABLE
        and "data-composition-id" not in element.attrs
        and _shown(elements, element)
    )


def element_id_of(element: Element) -> str | None:
    """The element's id when the studio may key it by that id (present, not a source key)."""
    element_id = element.attrs.get("id")
    return element_id if element_id and not is_source_key(element_id) else None


def element_keys(project_root: Path, file: Path, elements: list[Element]) -> dict[int, str]:
    """element index -> the studio's key (its id, else its source key) for every selectable
    element of ``file``."""
    sources = keys_by_element(project_root, file, elements)
    keys: dict[int, str] = {}
    for element in elements:
        if not is_selectable(elements, element):
            continue
        element_id = element_id_of(element)
        if element_id:
            keys[element.index] = element_id
        elif element.tag not in _TEXT_MARKUP and not _inside_svg(elements, element):
            keys[element.index] = sources[element.index]
    return keys


def page_keys(project_root: Path, file: Path, text: str) -> dict[int, str]:
    """start-tag name end -> source key, for the selectable elements of ``text`` that have
    no id: what the compile stage writes into the studio preview as ``data-hf-key``."""
    elements = scan(text)
    keys = element_keys(project_root, file, elements)
    return {elements[i].name_end: key for i, key in keys.items() if is_source_key(key)}


def selectable_ids(timeline: Timeline | None) -> dict[str, Path]:
    """key -> file for every element of the composition a user can select on the stage
    (keys: ids, and source keys for the elements without one)."""
    found: dict[str, Path] = {}
    if timeline is None:
        return found
    for path, data in timeline.sources.items():
        try:
            text, _ = decode_source(data)
        except UnicodeDecodeError:
            continue
        for key in element_keys(timeline.project_root, path, scan(text)).values():
            found.setdefault(key, path)
    return found


def clip_stage_keys(timeline: Timeline | None) -> dict[str, str]:
    """timeline clip key -> the stage's key for the same element (its id, or its source key
    when it has none): the timeline keys clips by id or file order and nests them under their
    hosts (``host/<p>#0``), the stage by element."""
    if timeline is None:
        return {}
    by_start: dict[Path, dict[int, str]] = {}
    for path, data in timeline.sources.items():
        try:
            text, _ = decode_source(data)
        except UnicodeDecodeError:
            continue
        elements = scan(text)
        keys = element_keys(timeline.project_root, path, elements)
        by_start[path] = {elements[i].span[0]: key for i, key in keys.items()}
    found: dict[str, str] = {}
    for clip in timeline.all_clips():
        key = by_start.get(clip.file, {}).get(clip.element_start)
        if key is not None:
            found[clip.key] = key
    return found


def stage_selection(
    selection: Iterable[str], files: Mapping[str, Path], aliases: Mapping[str, str]
) -> list[str]:
    """The stage keys of the selection (a clip selected on the timeline counts as its
    element), sorted."""
    keys = {k if k in files else aliases.get(k, k) for k in selection}
    return sorted(k for k in keys if k in files)
