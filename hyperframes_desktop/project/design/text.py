"""Replacing an element's text in place, byte-exact.

The element's content is read as text nodes between its tags. The old and the new plain
text are compared character by character (``difflib``), and only the characters that differ
are replaced, inside the text nodes that held them: entities the user did not touch stay as
written (``&amp;`` stays ``&amp;``), new ``&``/``<``/``>`` are escaped, and inline markup
(``<b>``, ``<br>``, ``<span>``) keeps its place. An element whose text a script writes
(``textContent``/``innerHTML``/``innerText`` or a GSAP ``text:`` tween naming it) is refused:
the page would overwrite the edit at once.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

from ..scanner import Element, scan
from ..timeline.changes import Change, Edit, EditRefused, ReplaceText, decode_source, element_end
from ..timeline.editing import finish
from ..timeline.model import Timeline
from .element_keys import is_source_key
from .move import NOTHING_CHANGED, ElementRef, find_element

_ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_VOID_TEXT_TAGS = frozenset({"script", "style", "template", "textarea", "title"})


@dataclass(frozen=True)
class TextRun:
    """One decoded character's source span."""

    char: str
    begin: int
    end: int


def _text_runs(text: str, begin: int, end: int, elements: list[Element]) -> list[TextRun]:
    """The characters of the text nodes in ``text[begin:end]`` with their source spans
    (tags and comments skipped)."""
    runs: list[TextRun] = []
    i = begin
    while i < end:
        if text.startswith("<!--", i):
            close = text.find("-->", i + 4)
            i = end if close < 0 else close + 3
            continue
        if text[i] == "<" and i + 1 < end and (text[i + 1].isalpha() or text[i + 1] in "/!"):
            close = text.find(">", i)
            i = end if close < 0 else close + 1
            continue
        if text[i] == "&":
            match = _ENTITY.match(text, i)
            if match:
                decoded = html.unescape(match.group())
                if decoded != match.group():
                    runs.extend(TextRun(c, i, match.end()) for c in decoded[:1])
                    i = match.end()
                    continue
        runs.append(TextRun(text[i], i, i + 1))
        i += 1
    return runs


def escape_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _content_span(text: str, element: Element) -> tuple[int, int]:
    end = element_end(text, element)
    if element.end_tag and element.closed_at is not None:
        end = element.closed_at
    return element.span[1], end


def script_writes_text(
    sources_text: list[str], element_id: str | None, classes: tuple[str, ...] = ()
) -> bool:
    """True when a script of the project names the element (by its id, or by one of its
    classes) and writes text."""
    patterns = [rf"['\"`]\.{re.escape(c)}['\"`\s,.:\[]" for c in classes]
    if element_id:
        patterns += [
            rf"getElementById\(\s*['\"`]{re.escape(element_id)}['\"`]",
            rf"['\"`]#{re.escape(element_id)}['\"`\s,]",
        ]
    if not patterns:
        return False
    named = re.compile("|".join(patterns))
    writes = re.compile(r"\.(textContent|innerHTML|innerText|outerHTML)\s*=|\btext\s*:")
    for text in sources_text:
        for script in re.finditer(r"<script\b[^>]*>(.*?)</script>", text, re.DOTALL | re.I):
            body = script.group(1)
            if named.search(body) and writes.search(body):
                return True
    return False


def script_writes_text_of(timeline: Timeline, ref: ElementRef) -> bool:
    """``script_writes_text`` for the element ``ref`` points at."""
    element, _ = find_element(timeline, ref)
    texts = [decode_source(data)[0] for data in timeline.sources.values()]
    if not is_source_key(ref.element_id):
        return script_writes_text(texts, ref.element_id)
    # no id to look for: its own classes (HyperFrames' "clip" marks every clip; not telling)
    classes = tuple(c for c in element.classes() if c != "clip")
    return script_writes_text(texts, None, classes)


def plain_text(timeline: Timeline, ref: ElementRef) -> str:
    """The element's text as the page shows it before any script runs (tags dropped)."""
    element, _ = find_element(timeline, ref)
    text, _ = decode_source(timeline.sources[ref.file])
    begin, end = _content_span(text, element)
    return "".join(r.char for r in _text_runs(text, begin, end, scan(text)))


def set_text(timeline: Timeline, ref: ElementRef, new_text: str) -> Edit:
    """Replace ``ref``'s text with ``new_text``, changing only the characters that differ."""
    element, _ = find_element(timeline, ref)
    if element.tag in _VOID_TEXT_TAGS or element.closed_at in (None, element.span[1]):
        raise EditRefused(f"{ref.label} has no text to edit; {NOTHING_CHANGED}.")
    if script_writes_text_of(timeline, ref):
        raise EditRefused(
            f"A script writes the text of {ref.label}, so an edit here would be "
            f"overwritten when the page runs; change it in the script ({NOTHING_CHANGED})."
        )
    text, _ = decode_source(timeline.sources[ref.file])
    begin, end = _content_span(text, element)
    runs = _text_runs(text, begin, end, scan(text))
    old = "".join(r.char for r in runs)
    if old == new_text:
        return Edit(f"Edit text of {ref.label}", ())
    if not runs:
        raise EditRefused(f"{ref.label} has no text to edit; {NOTHING_CHANGED}.")
    changes: list[Change] = []
    matcher = difflib.SequenceMatcher(None, old, new_text, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        inserted = escape_text(new_text[j1:j2])
        if op == "insert":  # after the last kept character (or before the first)
            at = runs[i1 - 1].end if i1 else runs[0].begin
            changes.append(ReplaceText(ref.file, element.span[0], (at, at), inserted))
            continue
        # the first node of the changed characters gets the new ones; the rest of them go
        # (tags between them stay where they are)
        groups: list[list[TextRun]] = [[runs[i1]]]
        for run in runs[i1 + 1 : i2]:
            if run.begin == groups[-1][-1].end:
                groups[-1].append(run)
            else:
                groups.append([run])
        for index, group in enumerate(groups):
            span = (group[0].begin, group[-1].end)
            changes.append(
                ReplaceText(ref.file, element.span[0], span, inserted if index == 0 else "")
            )
    return finish(
        timeline,
        f"Edit text of {ref.label}",
        changes,
        merge_key=f"text:{ref.file}#{ref.element_id}",
    )
