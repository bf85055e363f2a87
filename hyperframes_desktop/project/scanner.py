"""Turn HTML text into a flat list of elements with exact character offsets.

``html.parser`` reports positions as (line, column); a table of line starts converts them to
offsets into the very text that was parsed, so other code can splice attributes into start tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

VOID_TAGS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


@dataclass
class Element:
    """One start tag and where it sits in the document tree (as far as the scanner can tell)."""

    index: int
    tag: str  # lower case
    attrs: dict[str, str | None]  # first occurrence wins, like browsers
    span: tuple[int, int]  # start tag [begin, end)
    name_end: int
    parent: int | None
    template: int | None  # innermost enclosing <template> element
    line: int  # 1-based line of the start tag, for messages
    closed_at: int | None = None  # offset of the end tag's "<" (or text end)

    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def has(self, name: str) -> bool:
        return name in self.attrs


class _Scanner(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.elements: list[Element] = []
        self.stack: list[Element] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _add(self, tag: str, attrs: list[tuple[str, str | None]]) -> Element:
        begin = self._offset()
        raw = self.get_starttag_text() or ""
        if self.text[begin : begin + len(raw)] != raw:  # pragma: no cover - parser invariant
            begin = self.text.find(raw, begin)
        values: dict[str, str | None] = {}
        for name, value in attrs:
            values.setdefault(name, value)
        parent = self.stack[-1] if self.stack else None
        if parent is None:
            template = None
        elif parent.tag == "template":
            template = parent.index
        else:
            template = parent.template
        element = Element(
            index=len(self.elements),
            tag=tag,
            attrs=values,
            span=(begin, begin + len(raw)),
            name_end=begin + 1 + len(tag),
            parent=parent.index if parent else None,
            template=template,
            line=self.getpos()[0],
        )
        self.elements.append(element)
        return element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = self._add(tag, attrs)
        if tag in VOID_TAGS:
            element.closed_at = element.span[1]
        else:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = self._add(tag, attrs)
        element.closed_at = element.span[1]

    def handle_endtag(self, tag: str) -> None:
        at = self._offset()
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].tag == tag:
                for element in self.stack[depth:]:
                    element.closed_at = at
                del self.stack[depth:]
                return
        # a stray end tag: ignored, as browsers do

    def finish(self) -> list[Element]:
        self.close()
        for element in self.stack:
            element.closed_at = len(self.text)
        self.stack.clear()
        return self.elements


def scan(text: str) -> list[Element]:
    """All start tags of ``text`` in document order."""
    scanner = _Scanner(text)
    scanner.feed(text)
    return scanner.finish()


def is_inside(elements: list[Element], element: Element, ancestor: Element) -> bool:
    """True when ``ancestor`` is a strict ancestor of ``element``."""
    parent = element.parent
    while parent is not None:
        if parent == ancestor.index:
            return True
        parent = elements[parent].parent
    return False
