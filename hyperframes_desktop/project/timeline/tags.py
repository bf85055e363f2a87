"""Surgical edits of start tags: attribute spans found by a small tokenizer with offsets.

Nothing is re-serialised: a change replaces the characters of one attribute value (keeping its
quote character), removes one attribute with the whitespace before it, or inserts one
attribute after the last one. Everything else in the file stays byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"[^\s/>\"'=][^\s/>=]*")
_SPACE = re.compile(r"[\s/]*")
_EQ = re.compile(r"\s*=\s*")
_UNQUOTED = re.compile(r"[^\s>]+")
_TAG_NAME = re.compile(r"<([A-Za-z][^\s/>]*)")


@dataclass(frozen=True)
class AttributeSpan:
    """One attribute of a start tag; offsets index the text the tag was read from."""

    name: str  # lower case, as the HTML parser reports it
    begin: int  # first character of the name
    end: int  # one past the value (or the name, for a bare attribute)
    value_begin: int | None  # first character of the value, inside the quotes
    value_end: int | None
    quote: str  # '"', "'", or "" (unquoted or bare)


@dataclass(frozen=True)
class StartTag:
    begin: int
    name_end: int
    close: int  # offset of the ">" (or of "/" in "/>")
    end: int  # one past ">"
    attributes: tuple[AttributeSpan, ...]

    def find(self, name: str) -> AttributeSpan | None:
        """The first occurrence (browsers ignore repeats)."""
        return next((a for a in self.attributes if a.name == name.lower()), None)


def read_start_tag(text: str, begin: int) -> StartTag:
    """Tokenize the start tag at ``text[begin]`` ("<")."""
    match = _TAG_NAME.match(text, begin)
    if match is None:
        raise ValueError(f"no start tag at offset {begin}")
    pos = match.end()
    attributes: list[AttributeSpan] = []
    while True:
        pos = _SPACE.match(text, pos).end()
        if pos >= len(text) or text[pos] == ">":
            break
        name = _NAME.match(text, pos)
        if name is None:  # a stray quote or "=": skip one character, as the parser does
            pos += 1
            continue
        eq = _EQ.match(text, name.end())
        if eq is None:
            attributes.append(AttributeSpan(name.group().lower(), pos, name.end(), None, None, ""))
            pos = name.end()
            continue
        vpos = eq.end()
        quote = text[vpos] if vpos < len(text) and text[vpos] in "\"'" else ""
        if quote:
            close = text.find(quote, vpos + 1)
            close = len(text) if close < 0 else close
            span = AttributeSpan(name.group().lower(), pos, close + 1, vpos + 1, close, quote)
        else:
            value = _UNQUOTED.match(text, vpos)
            vend = value.end() if value else vpos
            span = AttributeSpan(name.group().lower(), pos, vend, vpos, vend, "")
        attributes.append(span)
        pos = span.end
    close = pos
    if close > begin and text[close - 1] == "/" and (close - 1) >= match.end():
        close -= 1
    end = min(pos + 1, len(text))
    return StartTag(begin, match.end(), close, end, tuple(attributes))


def escape_value(value: str, quote: str) -> str:
    """``value`` escaped for an attribute written with ``quote``."""
    value = value.replace("&", "&amp;")
    if quote == "'":
        return value.replace("'", "&#39;")
    return value.replace('"', "&quot;")


def _preferred_quote(tag: StartTag) -> str:
    quotes = [a.quote for a in tag.attributes if a.quote]
    if quotes and quotes.count("'") > quotes.count('"'):
        return "'"
    return '"'


def rewrite_start_tag(text: str, begin: int, changes: dict[str, str | None]) -> tuple[int, str]:
    """New text of the start tag at ``begin`` with ``changes`` applied: name -> new value,
    None removing the attribute. Returns (end of the old tag, new tag text)."""
    tag = read_start_tag(text, begin)
    edits: list[tuple[int, int, str]] = []
    inserts: list[str] = []
    quote = _preferred_quote(tag)
    for name, value in changes.items():
        attr = tag.find(name)
        if attr is None:
            if value is not None:
                inserts.append(f" {name}={quote}{escape_value(value, quote)}{quote}")
            continue
        if value is None:
            start = attr.begin
            while start > tag.name_end and text[start - 1] in " \t\r\n\f":
                start -= 1
            edits.append((start, attr.end, ""))
        elif attr.value_begin is None:
            edits.append((attr.end, attr.end, f"={quote}{escape_value(value, quote)}{quote}"))
        elif attr.quote:
            edits.append(
                (
                    attr.value_begin,
                    attr.value_end or attr.value_begin,
                    escape_value(value, attr.quote),
                )
            )
        elif value and not re.search(r"[\s\"'=<>`]", value):
            edits.append((attr.value_begin, attr.value_end or attr.value_begin, value))
        else:
            edits.append(
                (
                    attr.value_begin,
                    attr.value_end or attr.value_begin,
                    f'"{escape_value(value, chr(34))}"',
                )
            )
    if inserts:
        after = tag.attributes[-1].end if tag.attributes else tag.name_end
        edits.append((after, after, "".join(inserts)))
    out = text[begin : tag.end]
    for start, stop, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[: start - begin] + replacement + out[stop - begin :]
    return tag.end, out
