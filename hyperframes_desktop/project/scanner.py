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
    #: True when ``closed_at`` is the element's OWN end tag; False when the end tag was
    #: omitted (``<p>`` before a block, ``<li>`` before ``<li>``, or a parent's end tag),
    #: so the element ends at ``closed_at`` and the tag there belongs to something else.
    end_tag: bool = False

    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def has(self, name: str) -> bool:
        return name in self.attrs


#: Start tags that close an open ``<p>`` whose end tag was omitted (HTML's "close a p
#: element" rule for these block-level tags).
_CLOSES_P = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)
#: Open elements that stop the search for a ``<p>`` to close ("button scope").
_P_SCOPE = frozenset(
    [
        "applet",
        "button",
        "caption",
        "html",
        "marquee",
        "object",
        "table",
        "td",
        "template",
        "th",
        "svg",
        "math",
    ]
)
#: tag -> the open tags it implicitly ends (when one of them is the current element).
_IMPLIED_BY: dict[str, frozenset[str]] = {
    "li": frozenset({"li"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
    "option": frozenset({"option"}),
    "optgroup": frozenset({"option", "optgroup"}),
    "tr": frozenset({"tr", "td", "th"}),
    "td": frozenset({"td", "th"}),
    "th": frozenset({"td", "th"}),
    "thead": frozenset({"tbody", "tfoot", "tr", "td", "th"}),
    "tbody": frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}),
    "tfoot": frozenset({"thead", "tbody", "tr", "td", "th"}),
    "rt": frozenset({"rt", "rp"}),
    "rp": frozenset({"rt", "rp"}),
}


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

    def _close_implied(self, tag: str) -> None:
        """End the open elements whose end tag may be omitted before a ``tag`` start tag."""
        at = self._offset()
        ends = _IMPLIED_BY.get(tag, frozenset())
        while self.stack and self.stack[-1].tag in ends:
            self.stack.pop().closed_at = at
        if tag in _CLOSES_P:
            for depth in range(len(self.stack) - 1, -1, -1):
                open_tag = self.stack[depth].tag
                if open_tag in _P_SCOPE:
                    return
                if open_tag == "p":
                    for element in self.stack[depth:]:
                        element.closed_at = at
                    del self.stack[depth:]
                    return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        element = self._add(tag, attrs)
        if tag in VOID_TAGS:
            element.closed_at = element.span[1]
        else:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implied(tag)
        element = self._add(tag, attrs)
        element.closed_at = element.span[1]

    def handle_endtag(self, tag: str) -> None:
        at = self._offset()
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth].tag == tag:
                for element in self.stack[depth:]:
                    element.closed_at = at
                self.stack[depth].end_tag = True  # the others' end tags were omitted
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
