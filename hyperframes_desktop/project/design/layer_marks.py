"""Hide and lock marks that stay on their element when the file's structure changes.

The Layers dock keeps hide and lock per element key. An element with an id keeps its key
whatever happens around it; an element without one is known by its place in the file
(``element_keys``), and that place changes when an element is added or removed before it
(the studio's own Delete or paste, or another program's save). A mark kept by place alone
would then hide or lock whichever element sits there now.

So a mark on an id-less element also records the element's *signature*: its tag, its
attributes and the start of its text, once with its ``style`` and once without (stage edits
change ``style``). When the files change, :func:`follow` keeps a mark whose key still shows
its element, moves it to the one element of the file that matches it now (the whole
signature first, then the one without ``style``), and drops it when none does (or when
several alike elements are equally near its old place): a lost mark is one click to set
again, a mark on the wrong element hides what the user is working on. The caller signs its
marks again after each change (:func:`sign`), so the stored ``style`` follows the stage's
edits.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..scanner import Element, scan
from ..timeline.changes import decode_source
from ..timeline.model import Timeline
from .element_keys import file_label, is_source_key, key_file, keys_by_element

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_TEXT_CHARS = 200


def _digest(facts: object) -> str:
    return hashlib.sha256(json.dumps(facts, ensure_ascii=True).encode("utf-8")).hexdigest()[:20]


def signature(text: str, element: Element) -> str:
    """What an id-less element is, independent of where it sits in its file: ``whole:loose``,
    the loose half leaving ``style`` out."""
    attrs = sorted((name, value or "") for name, value in element.attrs.items())
    end = element.closed_at if element.closed_at is not None else element.span[1]
    inner = _SPACE.sub(" ", _TAG.sub(" ", text[element.span[1] : end])).strip()[:_TEXT_CHARS]
    loose = [(name, value) for name, value in attrs if name != "style"]
    return f"{_digest([element.tag, attrs, inner])}:{_digest([element.tag, loose, inner])}"


def _half(signed: str, part: int) -> str:
    halves = signed.split(":")
    return halves[part] if len(halves) == 2 else signed


class _File:
    """One file's elements, keys and signatures, read once."""

    def __init__(self, root: Path, path: Path, data: bytes) -> None:
        self.text, _ = decode_source(data)
        self.elements = scan(self.text)
        self.keys = keys_by_element(root, path, self.elements)
        self.index_of = {key: index for index, key in self.keys.items()}
        self._signatures: dict[int, str] = {}

    def signature_at(self, index: int) -> str:
        if index not in self._signatures:
            self._signatures[index] = signature(self.text, self.elements[index])
        return self._signatures[index]


class MarkFiles:
    """The timeline's files as marks need them, each read and scanned once however many
    signs and follows ask (the Layers dock does three per change)."""

    def __init__(self, timeline: Timeline) -> None:
        self._timeline = timeline
        self._read: dict[str, _File | None] = {}

    def file(self, label: str) -> _File | None:
        if label not in self._read:
            self._read[label] = None
            root = self._timeline.project_root
            for path, data in self._timeline.sources.items():
                if file_label(root, path) == label:
                    with contextlib.suppress(UnicodeDecodeError):  # not text: no marks there
                        self._read[label] = _File(root, path, data)
                    break
        return self._read[label]

    def sign(self, keys: Iterable[str]) -> dict[str, str]:
        """See the module's :func:`sign`."""
        signed: dict[str, str] = {}
        for key in keys:
            file = self.file(key_file(key)) if is_source_key(key) else None
            index = file.index_of.get(key) if file is not None else None
            if file is not None and index is not None:
                signed[key] = file.signature_at(index)
        return signed

    def follow(self, marks: Mapping[str, str]) -> dict[str, str | None]:
        """See the module's :func:`follow`."""
        return _follow(self, marks)


def sign(timeline: Timeline, keys: Iterable[str]) -> dict[str, str]:
    """The signature of each id-less element in ``keys`` as the timeline's files hold it now
    (keys that show no element are left out; ids need none)."""
    return MarkFiles(timeline).sign(keys)


def _shared_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def follow(timeline: Timeline, marks: Mapping[str, str]) -> dict[str, str | None]:
    """Where each marked id-less element is now: old key -> new key (the same key when it did
    not move), or None when the element is gone or cannot be told apart from another. Marks
    in files the timeline does not show are left out. ``marks`` maps a source key to its
    :func:`signature`; ids are not looked at."""
    return MarkFiles(timeline).follow(marks)


def _follow(files: MarkFiles, marks: Mapping[str, str]) -> dict[str, str | None]:
    moved: dict[str, str | None] = {}
    claimed: set[str] = set()
    pending = []
    for key, wanted in marks.items():
        file = files.file(key_file(key)) if is_source_key(key) else None
        if file is not None:
            pending.append((key, wanted, file))
    for part in (0, 1):  # the whole signature, then the one without ``style``
        left = []
        for key, wanted, file in pending:  # in place first: a moved mark takes no one's place
            index = file.index_of.get(key)
            if index is not None and _half(file.signature_at(index), part) == _half(wanted, part):
                moved[key] = key
                claimed.add(key)
            else:
                left.append((key, wanted, file))
        pending = []
        for key, wanted, file in left:
            found = [
                file.keys[i]
                for i in range(len(file.elements))
                if _half(file.signature_at(i), part) == _half(wanted, part)
                and file.keys[i] not in claimed
            ]
            if len(found) > 1:  # alike elements: only the nearest by place, if one is
                best = max(_shared_prefix(key, c) for c in found)
                found = [c for c in found if _shared_prefix(key, c) == best]
            if len(found) == 1:
                moved[key] = found[0]
                claimed.add(found[0])
            else:
                pending.append((key, wanted, file))
    for key, _, _ in pending:
        moved[key] = None
    return moved
