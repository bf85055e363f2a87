"""Copy and paste of elements: what goes on the clipboard, and how it goes back into a file.

Copy takes each selected element's exact source markup, start tag to end tag, from the file
it is written in. An element whose end tag the source omitted (``<p class=clip>A`` closed by
the next block) is copied with ``</p>`` added, so the markup stands on its own wherever it is
pasted; nothing else is rewritten (entities, quoting, line endings inside stay as written).
An element inside another selected element is copied once, as part of its ancestor.

Paste inserts the copies, in document order, as the last children of the current
composition's root through the write-back's insertion (``timeline.insertion.insert_markup``):
one atomic write, refused when the file changed on disk, one undo step. Every id inside the
pasted markup that the project already uses gets a fresh one (``title`` -> ``title-2``), and
the pasted markup's own attributes that refer to a renamed id follow it: ``data-start``
("title + 1"), id lists (``for``, ``aria-labelledby`` …) and ``#title`` / ``url(#title)``
values. Text and ``<style>``/``<script>`` content is not rewritten.

Timing: a pasted clip keeps its ``data-start`` and ``data-duration`` (the same times, in the
time of the composition it lands in) and moves to the first track, from its own upwards, that
is free over its window (so a copy pasted beside its original lands on the next free track).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..scanner import Element, scan
from ..timeline.changes import EditRefused, decode_source, element_end
from ..timeline.insertion import VOID, free_track, insert_markup, used_ids
from ..timeline.model import Timeline
from ..timeline.tags import rewrite_start_tag
from ..timeline.writeback import AppliedEdit
from .element_keys import is_source_key, key_label, keys_by_element
from .move import NOTHING_CHANGED, ElementRef
from .selectable import selectable_ids

#: The studio's own clipboard format (JSON), beside plain text holding the markup.
STUDIO_MIME = "application/x-hyperframes-elements+json"

_ID_LISTS = frozenset(
    {
        "for",
        "form",
        "list",
        "headers",
        "aria-activedescendant",
        "aria-controls",
        "aria-describedby",
        "aria-details",
        "aria-errormessage",
        "aria-flowto",
        "aria-labelledby",
        "aria-owns",
    }
)
_NUMBER = r"[0-9]*\.?[0-9]+"


@dataclass(frozen=True)
class CopiedElement:
    """One copied element: its markup, and its clip window and track when it was a clip."""

    markup: str
    window: tuple[float, float] | None = None  # seconds, in its composition's time
    track: int | None = None


@dataclass(frozen=True)
class Clipboard:
    elements: tuple[CopiedElement, ...]

    def plain_text(self) -> str:
        return "\n".join(e.markup for e in self.elements)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": 1,
                "elements": [
                    {"markup": e.markup, "window": e.window, "track": e.track}
                    for e in self.elements
                ],
            }
        )

    @classmethod
    def from_json(cls, data: str) -> Clipboard:
        """The clipboard's studio data; EditRefused with a sentence when it is not usable."""
        try:
            raw = json.loads(data)
            elements = tuple(
                CopiedElement(
                    str(item["markup"]),
                    tuple(map(float, item["window"])) if item.get("window") else None,  # type: ignore[arg-type]
                    int(item["track"]) if item.get("track") is not None else None,
                )
                for item in raw["elements"]
            )
        except (ValueError, TypeError, KeyError):
            raise EditRefused(
                "The clipboard holds no elements the studio can paste; copy them again "
                f"({NOTHING_CHANGED})."
            ) from None
        return cls(elements)


def _own_markup(text: str, element: Element) -> str:
    markup = text[element.span[0] : element_end(text, element)]
    if element.tag not in VOID and not element.end_tag:
        markup += f"</{element.tag}>"  # the source left it to be closed by what follows
    return markup


def selection_refs(timeline: Timeline, keys: Iterable[str]) -> list[ElementRef]:
    """The selected elements (the model's selection: element ids, source keys, or clip keys
    whose last part is the id) in the files of ``timeline``, its own file first."""
    files = [timeline.file, *(p for p in timeline.sources if p != timeline.file)]
    keyed = {k: p for k, p in selectable_ids(timeline).items() if is_source_key(k)}
    ids_by_file: dict[Path, set[str]] = {}
    for path in files:
        text, _ = decode_source(timeline.sources.get(path, b""))
        ids_by_file[path] = {str(e.attrs["id"]) for e in scan(text) if e.attrs.get("id")}
    refs: list[ElementRef] = []
    for key in sorted(keys):
        if is_source_key(key):
            if key in keyed:
                refs.append(ElementRef(keyed[key], key))
            continue
        element_id = key.rsplit("/", 1)[-1]
        path = next((p for p in files if element_id in ids_by_file[p]), None)
        if path is not None:
            refs.append(ElementRef(path, element_id))
    return refs


def copy_elements(timeline: Timeline, refs: list[ElementRef]) -> Clipboard:
    """The selected elements' markup in document order, file by file."""
    if not refs:
        raise EditRefused("Nothing is selected; select an element and copy again.")
    wanted: dict[Path, set[str]] = {}
    for ref in refs:
        wanted.setdefault(ref.file, set()).add(ref.element_id)
    copied: list[CopiedElement] = []
    for path, ids in wanted.items():
        data = timeline.sources.get(path)
        if data is None:
            raise EditRefused(f"{path.name} is not part of this composition; copy again.")
        text, _ = decode_source(data)
        elements = scan(text)
        keys = keys_by_element(timeline.project_root, path, elements)
        chosen = {e.index for e in elements if e.attrs.get("id") in ids or keys[e.index] in ids}
        found = {elements[i].attrs.get("id") for i in chosen} | {keys[i] for i in chosen}
        missing = sorted(ids - found)
        if missing and is_source_key(missing[0]):
            raise EditRefused(
                f"{path.name} no longer has the {key_label(missing[0])} element the studio "
                "selected: the file changed since; select it again and copy again."
            )
        if missing:
            raise EditRefused(
                f'The file has no element with id "{missing[0]}" any more; reload and copy again.'
            )
        for index in sorted(chosen):
            element, parent = elements[index], elements[index].parent
            while parent is not None and parent not in chosen:
                parent = elements[parent].parent
            if parent is not None:
                continue  # copied with its selected ancestor
            copied.append(_copied(timeline, path, text, element))
    return Clipboard(tuple(copied))


def _copied(timeline: Timeline, path: Path, text: str, element: Element) -> CopiedElement:
    clip = next(
        (c for c in timeline.all_clips() if c.file == path and c.element_start == element.span[0]),
        None,
    )
    if clip is None or not clip.timed:
        return CopiedElement(_own_markup(text, element))
    window = (clip.local_start, clip.local_start + clip.duration)
    return CopiedElement(_own_markup(text, element), window, clip.track)


# -- paste -----------------------------------------------------------------------------------


def _next_free(element_id: str, taken: set[str]) -> str:
    """``title`` -> ``title-2`` (``title-2`` -> ``title-3``), the first one not taken."""
    match = re.fullmatch(r"(.*?)-(\d+)", element_id)
    stem, n = (match.group(1), int(match.group(2))) if match else (element_id, 1)
    candidate = element_id
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def _renamed_value(name: str, value: str, renames: Mapping[str, str]) -> str:
    if name == "class":
        return value
    if name in ("id", "data-start"):
        match = re.fullmatch(rf"(\s*)(.+?)(\s*(?:[+-]\s*{_NUMBER}\s*)?)", value)
        if match and match.group(2) in renames and (name == "data-start" or not match.group(3)):
            return match.group(1) + renames[match.group(2)] + match.group(3)
        return value
    if name in _ID_LISTS:
        return re.sub(r"\S+", lambda m: renames.get(m.group(), m.group()), value)
    if value.startswith("#") and value[1:] in renames:
        return "#" + renames[value[1:]]

    def url(match: re.Match[str]) -> str:
        ref = match.group(2)
        return match.group(0) if ref not in renames else f"url({match.group(1)}#{renames[ref]}"

    return re.sub(r"url\(\s*(['\"]?)#([^'\")\s]+)", url, value)


def _rewrite(markup: str, renames: Mapping[str, str], track: int | None) -> str:
    """``markup`` with renamed ids and references, and the top element's new track."""
    elements = scan(markup)
    out = markup
    for element in reversed(elements):
        changes: dict[str, str | None] = {}
        for name, value in element.attrs.items():
            if value is not None:
                new = _renamed_value(name, value, renames)
                if new != value:
                    changes[name] = new
        top = element.parent is None and element.index == 0
        if top and track is not None and element.attrs.get("data-track-index") != str(track):
            changes["data-track-index"] = str(track)
        if changes:
            old_end, new_tag = rewrite_start_tag(out, element.span[0], changes)
            out = out[: element.span[0]] + new_tag + out[old_end:]
    return out


def paste_elements(
    timeline: Timeline, clipboard: Clipboard, pasted: list[str] | None = None
) -> AppliedEdit:
    """Insert the clipboard's elements into ``timeline``'s composition (see the module
    docstring); ``pasted`` receives the new ids of the pasted (outermost) elements."""
    if not clipboard.elements:
        raise EditRefused(f"The clipboard holds no elements ({NOTHING_CHANGED}).")
    taken = used_ids(timeline.sources.values())
    renames: dict[str, str] = {}
    for copied in clipboard.elements:
        for element in scan(copied.markup):
            old = element.attrs.get("id")
            if old and old not in renames:
                renames[old] = _next_free(old, taken)
                taken.add(renames[old])
    fragments: list[str] = []
    placed: list[tuple[int, float, float]] = []
    for copied in clipboard.elements:
        track = None
        if copied.window is not None:
            start, end = copied.window
            track = free_track(timeline, start, end, copied.track or 0, placed)
            placed.append((track, start, end))
        fragments.append(_rewrite(copied.markup, renames, track))
    tops = [scan(f)[0].attrs.get("id") for f in fragments if scan(f)]
    if pasted is not None:
        pasted[:] = [str(i) for i in tops if i]
    select = tops[0] if tops else None
    count = len(fragments)
    label = "Paste " + (f'"{select}"' if count == 1 and select else f"{count} elements")
    return insert_markup(timeline, timeline.file, timeline.composition_id, fragments, label, select)
