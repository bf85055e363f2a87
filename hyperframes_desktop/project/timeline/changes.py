"""Edits as minimal sets of changes to the HTML text, and applying them to text in memory.

An :class:`Edit` is what every timeline operation returns: attribute changes at start tags,
byte copies of elements (a split) and removals (a delete), each pointing at an element by the
offset of its start tag in the text the timeline was built from.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..design.declarations import set_declaration
from ..scanner import Element, scan
from .tags import escape_value, read_start_tag, rewrite_start_tag

if TYPE_CHECKING:
    from .model import Timeline


class EditRefused(Exception):
    """The operation was refused and nothing changed; ``str()`` is a sentence saying why."""


@dataclass(frozen=True)
class SetAttribute:
    """Set ``name`` to ``value`` on the element whose start tag begins at ``element_start``;
    ``value`` None removes the attribute."""

    file: Path
    element_start: int
    name: str
    value: str | None


@dataclass(frozen=True)
class InsertCopy:
    """Insert a byte copy of the element at ``element_start`` (start tag to end tag) right
    after it; ``changes`` (offsets of the ORIGINAL elements inside it) apply to the copy."""

    file: Path
    element_start: int
    changes: tuple[SetAttribute, ...] = ()


@dataclass(frozen=True)
class RemoveElement:
    """Remove the element (and its line, when it stands alone on it)."""

    file: Path
    element_start: int


@dataclass(frozen=True)
class SetStyle:
    """Set one declaration of the element's inline ``style`` attribute (None removes it);
    only that declaration's value changes (see ``project.design.declarations``)."""

    file: Path
    element_start: int
    name: str
    value: str | None


@dataclass(frozen=True)
class SetRuleDeclaration:
    """Set one declaration inside a CSS rule of the ``<style>`` element at
    ``element_start``; ``block`` is the rule's body [begin, end) in the file's text."""

    file: Path
    element_start: int
    block: tuple[int, int]
    name: str
    value: str | None


@dataclass(frozen=True)
class ReplaceText:
    """Replace the characters ``span`` [begin, end) of text inside the element at
    ``element_start`` with ``text`` (already escaped); no tag may be inside ``span``."""

    file: Path
    element_start: int
    span: tuple[int, int]
    text: str


Change = SetAttribute | InsertCopy | RemoveElement | SetStyle | SetRuleDeclaration | ReplaceText


@dataclass(frozen=True)
class Edit:
    """A timeline operation's outcome, not yet written.

    ``result`` is the timeline the files will describe once the edit is written (the edit
    was resolved with the same loader the renderer uses). ``needs_confirmation`` edits carry
    a warning the user must accept first (see ``writeback.apply_edit(confirmed=True)``).
    ``merge_key``: consecutive edits with the same key fold into one undo step.
    """

    label: str
    changes: tuple[Change, ...]
    result: Timeline | None = field(default=None, repr=False, compare=False)
    warnings: tuple[str, ...] = ()
    needs_confirmation: bool = False
    merge_key: str | None = None
    select: str | None = None  # key of the clip to select afterwards

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(dict.fromkeys(change.file for change in self.changes))


def element_end(text: str, element: Element) -> int:
    """One past the element's end tag (its start tag's end for void/self-closed ones).

    An element whose end tag was omitted (``<p class=clip>`` followed by another block, or
    by its parent's end tag) ends where its content ends: the tag at ``closed_at`` belongs
    to the next element or to the parent and is never part of it."""
    closed = element.closed_at
    if closed is None or closed < element.span[1]:
        return element.span[1]
    if element.end_tag and text.startswith("</", closed):
        close = text.find(">", closed)
        return len(text) if close < 0 else close + 1
    end = closed
    while end > element.span[1] and text[end - 1] in " \t\r\n\f":
        end -= 1
    return end


def _element_at(elements: list[Element], offset: int, file: Path) -> Element:
    for element in elements:
        if element.span[0] == offset:
            return element
    raise EditRefused(
        f"{file.name} no longer has the element this edit points at; reload the project "
        "and try again."
    )


def _line_bounds(text: str, begin: int, end: int) -> tuple[int, int, str] | None:
    """(line start, line end incl. newline, indent) when ``[begin, end)`` stands alone on
    its line(s), else None."""
    line_start = text.rfind("\n", 0, begin) + 1
    indent = text[line_start:begin]
    if indent.strip():
        return None
    newline = text.find("\n", end)
    tail = text[end : len(text) if newline < 0 else newline]
    if tail.strip():
        return None
    return line_start, len(text) if newline < 0 else newline + 1, indent


def _copy_text(text: str, element: Element, end: int, changes: tuple[SetAttribute, ...]) -> str:
    source = text[element.span[0] : end]
    by_tag: dict[int, dict[str, str | None]] = {}
    for change in changes:
        by_tag.setdefault(change.element_start - element.span[0], {})[change.name] = change.value
    for offset in sorted(by_tag, reverse=True):
        old_end, new_tag = rewrite_start_tag(source, offset, by_tag[offset])
        source = source[:offset] + new_tag + source[old_end:]
    return source


def apply_to_text(text: str, changes: list[Change], file: Path) -> str:
    """``text`` with ``changes`` (all for ``file``) applied; offsets refer to ``text``."""
    elements = scan(text)
    replacements: list[tuple[int, int, str]] = []
    by_tag: dict[int, dict[str, str | None]] = {}
    styles: dict[int, list[SetStyle]] = {}
    for change in changes:
        element = _element_at(elements, change.element_start, file)
        if isinstance(change, SetStyle):
            styles.setdefault(element.span[0], []).append(change)
        elif isinstance(change, SetRuleDeclaration):
            replacements.append(_rule_edit(text, element, change, file))
        elif isinstance(change, ReplaceText):
            begin, stop = change.span
            if not element.span[1] <= begin <= stop or "<" in text[begin:stop] + change.text:
                raise EditRefused(f"the text edit of {file.name} is not text; nothing was changed.")
            replacements.append((begin, stop, change.text))
        elif isinstance(change, SetAttribute):
            by_tag.setdefault(element.span[0], {})[change.name] = change.value
        elif isinstance(change, InsertCopy):
            end = element_end(text, element)
            copy = _copy_text(text, element, end, change.changes)
            bounds = _line_bounds(text, element.span[0], end)
            if bounds is None:
                replacements.append((end, end, copy))
            else:
                newline = "\r\n" if text.startswith("\r\n", end) else "\n"
                replacements.append((end, end, newline + bounds[2] + copy))
        else:
            end = element_end(text, element)
            bounds = _line_bounds(text, element.span[0], end)
            begin, stop = (bounds[0], bounds[1]) if bounds else (element.span[0], end)
            replacements.append((begin, stop, ""))
    expected_styles: dict[int, str] = {}
    for offset, style_changes in styles.items():
        if "style" in by_tag.get(offset, {}):
            raise EditRefused(f"the changes to {file.name} overlap; nothing was changed.")
        edit, style = _style_edit(text, offset, style_changes)
        expected_styles[offset] = style
        if edit is None:
            by_tag.setdefault(offset, {})["style"] = style
        else:
            replacements.append(edit)
    for offset, values in by_tag.items():
        old_end, new_tag = rewrite_start_tag(text, offset, values)
        replacements.append((offset, old_end, new_tag))
    replacements.sort(key=lambda r: (r[0], r[1]))
    for (_, a_end, _), (b_begin, _, _) in itertools.pairwise(replacements):
        if b_begin < a_end:
            raise EditRefused(f"the changes to {file.name} overlap; nothing was changed.")
    out = text
    for begin, stop, replacement in reversed(replacements):
        out = out[:begin] + replacement + out[stop:]
    check_element_set(elements, scan(out), changes, file, expected_styles)
    return out


def _rule_edit(
    text: str, element: Element, change: SetRuleDeclaration, file: Path
) -> tuple[int, int, str]:
    begin, end = change.block
    inside = element.span[1] <= begin <= end <= (element.closed_at or -1)
    if element.tag != "style" or not inside or text[begin - 1] != "{" or text[end] != "}":
        raise EditRefused(
            f"{file.name} no longer has the CSS rule this edit points at; reload the project "
            "and try again."
        )
    value = change.value
    if value is not None and (re.search(r"[;{}<>]", value) or not value.strip()):
        raise EditRefused(f'"{value}" is not a usable CSS value; nothing was changed.')
    return begin, end, set_declaration(text[begin:end], change.name, value)


def _style_edit(
    text: str, offset: int, changes: list[SetStyle]
) -> tuple[tuple[int, int, str] | None, str]:
    """(the splice that changes the style attribute's value in place, or None when the
    element has no style value yet; the decoded style text the browser will read)."""
    attr = read_start_tag(text, offset).find("style")
    if attr is None or attr.value_begin is None or attr.value_end is None:
        style = ""
        for change in changes:
            style = set_declaration(style, change.name, change.value)
        return None, style
    quote = attr.quote or '"'
    raw = text[attr.value_begin : attr.value_end]
    for change in changes:
        value = None if change.value is None else escape_value(change.value, quote)
        raw = set_declaration(raw, change.name, value)
    if attr.quote:
        return (attr.value_begin, attr.value_end, raw), html.unescape(raw)
    return (attr.value_begin, attr.value_end, f'"{raw}"'), html.unescape(raw)


Signature = tuple[str, tuple[tuple[str, str | None], ...], int]


def _depths(elements: list[Element]) -> list[int]:
    depths: list[int] = []
    for element in elements:
        depths.append(0 if element.parent is None else depths[element.parent] + 1)
    return depths


def _subtree(elements: list[Element], element: Element) -> list[Element]:
    """``element`` and its descendants, in document order."""
    inside = {element.index}
    out = [element]
    for other in elements[element.index + 1 :]:
        if other.parent in inside:
            inside.add(other.index)
            out.append(other)
    return out


def _signature(element: Element, depth: int, values: Mapping[str, str | None]) -> Signature:
    attrs = dict(element.attrs)
    for name, value in values.items():
        if value is None:
            attrs.pop(name.lower(), None)
        else:
            attrs[name.lower()] = value
    return element.tag, tuple(sorted(attrs.items())), depth


def check_element_set(
    before: list[Element],
    after: list[Element],
    changes: list[Change],
    file: Path,
    styles: Mapping[int, str] | None = None,
) -> None:
    """Refuse unless the elements of the new text are exactly the old ones with ``changes``
    applied: the same tags, attributes and nesting, minus removed elements (with what is
    inside them), plus copies. Catches an edit that would take a neighbour's or a parent's
    bytes with it (an omitted end tag read wrongly, say)."""
    depths = _depths(before)
    values: dict[int, dict[str, str | None]] = {}
    for offset, style in (styles or {}).items():
        element = next(e for e in before if e.span[0] == offset)
        values.setdefault(element.index, {})["style"] = style
    removed: set[int] = set()
    copies: dict[int, list[Signature]] = {}  # last index of the subtree -> copy
    for change in changes:
        element = next(e for e in before if e.span[0] == change.element_start)
        if isinstance(change, SetStyle | SetRuleDeclaration | ReplaceText):
            continue  # in ``styles``, or inside a <style> element's text
        if isinstance(change, SetAttribute):
            values.setdefault(element.index, {})[change.name] = change.value
        elif isinstance(change, RemoveElement):
            removed.update(e.index for e in _subtree(before, element))
        else:
            inner: dict[int, dict[str, str | None]] = {}
            for sub in change.changes:
                inner.setdefault(sub.element_start, {})[sub.name] = sub.value
            tree = _subtree(before, element)
            copies.setdefault(tree[-1].index, []).extend(
                _signature(e, depths[e.index], inner.get(e.span[0], {})) for e in tree
            )
    expected: list[Signature] = []
    for element in before:
        if element.index not in removed:
            expected.append(
                _signature(element, depths[element.index], values.get(element.index, {}))
            )
        expected.extend(copies.get(element.index, []))
    after_depths = _depths(after)
    found = [_signature(e, after_depths[e.index], {}) for e in after]
    if found != expected:
        raise EditRefused(
            f"This edit would change more of {file.name} than intended (an element next to "
            "it or around it would change too), so nothing was changed. Close the element's "
            "tags explicitly and try again."
        )


def decode_source(data: bytes) -> tuple[str, bytes]:
    """(text, BOM) of a composition file's bytes, as the loader reads them."""
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    return data[len(bom) :].decode("utf-8"), bom


def apply_changes(sources: Mapping[Path, bytes], changes: tuple[Change, ...]) -> dict[Path, bytes]:
    """The new bytes of every file ``changes`` touch (BOM and line endings kept)."""
    grouped: dict[Path, list[Change]] = {}
    for change in changes:
        grouped.setdefault(change.file, []).append(change)
    out: dict[Path, bytes] = {}
    for path, file_changes in grouped.items():
        if path not in sources:
            raise EditRefused(f"{path.name} is not part of this timeline; nothing was changed.")
        text, bom = decode_source(sources[path])
        out[path] = bom + apply_to_text(text, file_changes, path).encode("utf-8")
    return out
