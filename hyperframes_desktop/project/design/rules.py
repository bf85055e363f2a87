"""``#id`` rules in a file's ``<style>`` elements: the one place besides the ``style``
attribute where the studio may write a declaration, because such a rule matches that
element alone.

Only plain rules whose whole selector is ``#id`` are used (not ``div#id``, not lists, not
inside ``@media``), and only when the id is unique in the file; everything else is left to
the inline style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..scanner import scan
from .declarations import get

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


@dataclass(frozen=True)
class IdRule:
    block_begin: int  # offset (in the file's text) one past the rule's "{"
    block_end: int  # offset of its "}"

    def body(self, text: str) -> str:
        return text[self.block_begin : self.block_end]


def _blank_comments(css: str) -> str:
    return _COMMENT.sub(lambda m: " " * len(m.group()), css)


def id_rules(text: str, element_id: str) -> list[IdRule]:
    """Every top-level ``#id { … }`` rule of the file's ``<style>`` elements, in order."""
    found: list[IdRule] = []
    for element in scan(text):
        if element.tag != "style" or element.closed_at is None:
            continue
        begin, end = element.span[1], element.closed_at
        css = _blank_comments(text[begin:end])
        depth, selector_start, i = 0, 0, 0
        while i < len(css):
            ch = css[i]
            if ch == "{":
                if depth == 0:
                    selector = css[selector_start:i].strip()
                    close = _matching(css, i)
                    if selector == f"#{element_id}":
                        found.append(IdRule(begin + i + 1, begin + close))
                    i = close
                    selector_start = close + 1
                    continue
                depth += 1
            elif ch == ";" and depth == 0:  # an @import or @charset statement
                selector_start = i + 1
            i += 1
    return found


def _matching(css: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(css)):
        if css[i] == "{":
            depth += 1
        elif css[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return len(css)


def rule_for(text: str, element_id: str, name: str) -> IdRule | None:
    """The last ``#id`` rule that declares ``name`` (the one that wins among them)."""
    if sum(1 for e in scan(text) if e.attrs.get("id") == element_id) != 1:
        return None
    hits = [r for r in id_rules(text, element_id) if get(r.body(text), name) is not None]
    return hits[-1] if hits else None
