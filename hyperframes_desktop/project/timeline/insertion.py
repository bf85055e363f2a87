"""Inserting new elements into a composition: the write-back module's element insertion.

Same rules as every other write-back (``writeback.py``): the rest of the file keeps its
exact bytes (BOM, CRLF, the user's quoting and omitted end tags), the file is replaced
atomically, the insertion is refused when the file changed on disk since it was read, and the
result is an :class:`AppliedEdit` that ``EditHistory`` undoes byte for byte (undo removes the
element by restoring the bytes from before).

Several elements (a paste, ``insert_markup``) go in together, in order, each on its own
line; the elements of the new text must then be exactly the old ones plus the inserted ones
under the root (``check_insertion``), or nothing is written.

Where the element goes: as the LAST child of the composition's root element, on its own line,
indented like its siblings, when the root has an explicit end tag that closes nothing else
implicitly. Otherwise (``</div>`` missing, or a child such as ``<p>`` left open to be closed by
it, which would swallow a ``<video>`` inserted after it) as the FIRST child, right after the
root's start tag, where no open element can adopt it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..scanner import Element, scan
from .changes import EditRefused, decode_source
from .model import Timeline
from .times import exact, format_seconds
from .writeback import AppliedEdit, FileWrite, changed_on_disk, write_all

VOID = frozenset({"img", "source", "track", "br", "hr", "input", "meta", "link", "wbr"})
_SAFE_NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9_.:-]*$")


@dataclass(frozen=True)
class NewElement:
    """An element to insert: tag, attributes in writing order (None = bare attribute)."""

    tag: str
    attrs: tuple[tuple[str, str | None], ...]
    text: str = ""

    def markup(self) -> str:
        if not _SAFE_NAME.match(self.tag) or any(not _SAFE_NAME.match(n) for n, _ in self.attrs):
            raise EditRefused(f"<{self.tag}> cannot be written: a name is not valid HTML.")
        parts = [self.tag]
        for name, value in self.attrs:
            parts.append(name if value is None else f'{name}="{html.escape(value, quote=True)}"')
        start = f"<{' '.join(parts)}>"
        if self.tag in VOID:
            return start
        return f"{start}{html.escape(self.text, quote=False)}</{self.tag}>"


def _newline(text: str) -> str:
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def _line_indent(text: str, offset: int) -> tuple[int, str] | None:
    """(line start, indent) when only whitespace precedes ``offset`` on its line."""
    line_start = max(text.rfind("\n", 0, offset) + 1, 0)
    indent = text[line_start:offset]
    return (line_start, indent) if not indent.strip() else None


def root_element(text: str, composition_id: str) -> Element:
    for element in scan(text):
        if element.attrs.get("data-composition-id") == composition_id and element.template is None:
            return element
    for element in scan(text):
        if element.attrs.get("data-composition-id") == composition_id:
            return element
    raise EditRefused(
        f'The composition "{composition_id}" has no root element in its file any more; reload '
        "the project and try again."
    )


def _child_indent(text: str, elements: list[Element], root: Element) -> str:
    children = [e for e in elements if e.parent == root.index]
    for child in reversed(children):
        found = _line_indent(text, child.span[0])
        if found is not None:
            return found[1]
    own = _line_indent(text, root.span[0])
    base = own[1] if own else ""
    return base + ("\t" if base.startswith("\t") else "  ")


def insert_into_text(text: str, root_start: int, markup: str | Sequence[str]) -> tuple[str, int]:
    """``text`` with ``markup`` (one element's, or several on their own lines) inserted as a
    child of the element whose start tag begins at ``root_start``; returns (new text, offset
    of the first inserted start tag)."""
    elements = scan(text)
    root = next((e for e in elements if e.span[0] == root_start), None)
    if root is None:
        raise EditRefused("The composition's root element moved; reload and try again.")
    newline = _newline(text)
    indent = _child_indent(text, elements, root)
    if not isinstance(markup, str):
        markup = f"{newline}{indent}".join(markup)
    end = root.closed_at
    explicit_end = end is not None and text.startswith(f"</{root.tag}", end)
    left_open = any(
        e.closed_at == end and e.index != root.index and e.tag not in VOID
        for e in elements
        if e.index > root.index and e.span[0] < (end or 0)
    )
    if explicit_end and not left_open:
        assert end is not None
        found = _line_indent(text, end)
        if found is not None:
            at = found[0]
            insert = f"{indent}{markup}{newline}"
            return text[:at] + insert + text[at:], at + len(indent)
        root_line = _line_indent(text, root.span[0])
        closing_indent = root_line[1] if root_line else ""
        insert = f"{newline}{indent}{markup}{newline}{closing_indent}"
        return text[:end] + insert + text[end:], end + len(newline) + len(indent)
    at = root.span[1]
    insert = f"{newline}{indent}{markup}"
    return text[:at] + insert + text[at:], at + len(newline) + len(indent)


@dataclass(frozen=True)
class Insertion:
    """One element to add to a timeline's composition, not yet written."""

    file: Path
    composition_id: str
    element: NewElement
    label: str
    select: str | None = None


def apply_insertion(insertion: Insertion, timeline: Timeline) -> AppliedEdit:
    """Write ``insertion`` into the file ``timeline`` was built from. Raises
    :class:`FileChangedError` when the file changed on disk, :class:`EditRefused` otherwise."""
    return insert_markup(
        timeline,
        insertion.file,
        insertion.composition_id,
        [insertion.element.markup()],
        insertion.label,
        insertion.select,
    )


def insert_markup(
    timeline: Timeline,
    path: Path,
    composition_id: str,
    fragments: Sequence[str],
    label: str,
    select: str | None = None,
) -> AppliedEdit:
    """Write ``fragments`` (each one element's complete markup, written as is) as the last
    children of the composition's root in ``path``: atomically, refused when the file
    changed on disk or when the new text would not hold exactly the old elements plus these.
    One :class:`AppliedEdit` (one undo step) for all of them."""
    before = timeline.sources.get(path)
    if before is None:
        raise EditRefused(f"{path.name} is not part of this timeline; nothing was changed.")
    if not fragments:
        raise EditRefused(f"There is nothing to insert; {path.name} was not changed.")
    text, bom = decode_source(before)
    root = root_element(text, composition_id)
    new_text, at = insert_into_text(text, root.span[0], fragments)
    added = len(new_text) - len(text)
    check_insertion(text, new_text, (at, at + added), root.index, fragments, path)
    after = bom + new_text.encode("utf-8")
    changed_on_disk(path, before, timeline.project_root, f'"{label}"')
    write = FileWrite(path, before, after)
    write_all((write,), forward=True)
    return AppliedEdit(label, (write,), None, select)


_Signature = tuple[str, tuple[tuple[str, str | None], ...], int]


def _signatures(elements: list[Element], shift: int = 0) -> list[_Signature]:
    depths: list[int] = []
    for element in elements:
        depths.append(0 if element.parent is None else depths[element.parent] + 1)
    return [(e.tag, tuple(sorted(e.attrs.items())), depths[e.index] + shift) for e in elements]


def check_insertion(
    before: str,
    after: str,
    inserted: tuple[int, int],
    root_index: int,
    fragments: Sequence[str],
    path: Path,
) -> None:
    """Refuse unless ``after``'s elements are ``before``'s, unchanged and nested as before,
    plus the fragments' elements (nested as in the fragments) under the root: catches a
    fragment that would close or adopt a neighbour (an omitted end tag, a stray ``</div>``)."""
    old, new = scan(before), scan(after)
    begin, end = inserted
    inside = [e for e in new if begin <= e.span[0] < end]
    outside = [e for e in new if not begin <= e.span[0] < end]
    new_signatures = _signatures(new)
    root_depth = _signatures(old)[root_index][2]
    expected_inside = [
        s for fragment in fragments for s in _signatures(scan(fragment), root_depth + 1)
    ]
    if [new_signatures[e.index] for e in outside] != _signatures(old) or [
        new_signatures[e.index] for e in inside
    ] != expected_inside:
        raise EditRefused(
            f"Inserting this markup would change more of {path.name} than the new elements "
            "(an element next to it or around it would change too), so nothing was changed. "
            "Close the copied elements' tags explicitly and try again."
        )


# -- what to insert --------------------------------------------------------------------------


def used_ids(sources: Iterable[bytes]) -> set[str]:
    ids: set[str] = set()
    for data in sources:
        text, _ = decode_source(data)
        ids.update(str(e.attrs["id"]) for e in scan(text) if e.attrs.get("id"))
    return ids


def unique_id(base: str, taken: set[str]) -> str:
    """``base`` made a valid, unused id: ``intro``, ``intro-2``, ``intro-3``…"""
    stem = re.sub(r"[^a-zA-Z0-9_-]+", "-", base).strip("-").lower() or "clip"
    if not stem[0].isalpha():
        stem = f"clip-{stem}"
    candidate, n = stem, 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def free_track(
    timeline: Timeline,
    start: float,
    end: float,
    wanted: int = 0,
    taken: Iterable[tuple[int, float, float]] = (),
) -> int:
    """``wanted`` if nothing on that root track overlaps ``[start, end)``, else the next
    track up that is free there; ``taken`` (track, start, end) are windows of elements about
    to be inserted with the same write."""
    busy: dict[int, list[tuple[float, float]]] = {}
    for track in timeline.tracks:
        busy[track.index] = [(c.start, c.end) for c in track.clips]
    for index, begin, stop in taken:
        busy.setdefault(index, []).append((begin, stop))
    track = max(0, wanted)
    while any(s < end and start < e for s, e in busy.get(track, [])):
        track += 1
    return track


def seconds_text(value: float | Fraction) -> str:
    return format_seconds(exact(value))


def media_clip(
    kind: str, src: str, *, clip_id: str, start: float, duration: float, track: int
) -> NewElement:
    """A ``<video>``, ``<audio>`` or ``<img>`` clip of the given window."""
    timing = (
        ("data-start", seconds_text(start)),
        ("data-duration", seconds_text(duration)),
        ("data-track-index", str(track)),
    )
    fill = "position: absolute; left: 0; top: 0; width: 100%; height: 100%; object-fit: cover"
    if kind == "video":
        attrs = (("id", clip_id), ("class", "clip"), ("src", src), *timing)
        flags: tuple[tuple[str, str | None], ...] = (("muted", None), ("playsinline", None))
        return NewElement("video", (*attrs, *flags, ("style", fill)))
    if kind == "audio":
        return NewElement("audio", (("id", clip_id), ("class", "clip"), ("src", src), *timing))
    if kind == "image":
        attrs = (("id", clip_id), ("class", "clip"), ("src", src), ("alt", ""), *timing)
        return NewElement("img", (*attrs, ("style", fill)))
    raise EditRefused(f"A {kind} file cannot be placed on the timeline.")


def composition_host(
    composition_id: str,
    src: str,
    *,
    clip_id: str,
    start: float,
    duration: float | None,
    track: int,
    size: tuple[int, int] | None = None,
) -> NewElement:
    """The host element that mounts ``src`` (a block) at ``start`` on ``track``."""
    attrs: list[tuple[str, str | None]] = [
        ("id", clip_id),
        ("data-composition-id", composition_id),
        ("data-composition-src", src),
        ("data-start", seconds_text(start)),
    ]
    if duration:
        attrs.append(("data-duration", seconds_text(duration)))
    attrs.append(("data-track-index", str(track)))
    if size:
        attrs += [("data-width", str(size[0])), ("data-height", str(size[1]))]
    return NewElement("div", tuple(attrs))
