"""Generic first families get Inter first, as the HyperFrames compiler does.

A ``font-family`` whose first family is generic (``sans-serif``, ``system-ui``,
``monospace``, ``-apple-system`` …) renders in whatever that machine has. The HyperFrames
compiler (0.8.x) puts its bundled Inter first in such declarations, in ``<style>`` elements
and ``style`` attributes, and in custom properties whose value starts with a generic family
(``--ui: system-ui, sans-serif``); it leaves the ``font`` shorthand and ``@font-face`` rules
as written. :func:`promote_generic_families` does the same to a compiled page, inserting only
``Inter, `` (never a line break: error line numbers keep pointing at the user's file).
"""

from __future__ import annotations

import re

PRIMARY = "Inter"
#: First families the HyperFrames compiler treats as host-dependent (lower case).
GENERIC_FIRST = frozenset(
    {
        "sans-serif",
        "serif",
        "monospace",
        "cursive",
        "fantasy",
        "system-ui",
        "ui-sans-serif",
        "ui-serif",
        "ui-monospace",
        "emoji",
        "math",
        "fangsong",
        "-apple-system",
        "blinkmacsystemfont",
    }
)

_STYLE_ELEMENT = re.compile(r"(<style\b[^>]*>)(.*?)(</style\s*>)", re.IGNORECASE | re.DOTALL)
_STYLE_ATTRIBUTE = re.compile(
    r"""(<[a-zA-Z][^<>]*?\sstyle\s*=\s*)("[^"]*"|'[^']*')""", re.IGNORECASE | re.DOTALL
)
_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
_DECLARATION = re.compile(
    r"(?P<head>(?<![-\w])(?:font-family|--[\w-]+)\s*:\s*)(?P<value>[^;{}]*)", re.IGNORECASE
)
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def _first_is_generic(value: str) -> bool:
    value = re.sub(r"!\s*important\s*$", "", value.strip(), flags=re.IGNORECASE)
    first = value.split(",", 1)[0].strip().strip("\"'").strip().lower()
    return first in GENERIC_FIRST


def _promote_declarations(css: str) -> str:
    # Comments and @font-face blocks are masked (same length) so offsets stay valid.
    masked = _COMMENT.sub(lambda m: " " * len(m.group(0)), css)
    masked = _FONT_FACE.sub(lambda m: " " * len(m.group(0)), masked)
    out, cursor = [], 0
    for match in _DECLARATION.finditer(masked):
        value = match["value"]
        if not value.strip() or not _first_is_generic(value):
            continue
        at = match.start("value") + (len(value) - len(value.lstrip()))
        out.append(css[cursor:at])
        out.append(f"{PRIMARY}, ")
        cursor = at
    out.append(css[cursor:])
    return "".join(out)


def _promote_attribute(match: re.Match[str]) -> str:
    quoted = match.group(2)
    return match.group(1) + quoted[0] + _promote_declarations(quoted[1:-1]) + quoted[-1]


def promote_generic_families(document: str) -> str:
    """``document`` with ``Inter, `` put before every generic first family of its
    ``font-family`` declarations and custom properties (``<style>`` and ``style=``)."""
    pieces, cursor = [], 0
    for script in _SCRIPT.finditer(document):  # script text is never CSS
        pieces.append(_promote_markup(document[cursor : script.start()]))
        pieces.append(script.group(0))
        cursor = script.end()
    pieces.append(_promote_markup(document[cursor:]))
    return "".join(pieces)


def _promote_markup(markup: str) -> str:
    def style_element(match: re.Match[str]) -> str:
        return match.group(1) + _promote_declarations(match.group(2)) + match.group(3)

    pieces, cursor = [], 0
    for element in _STYLE_ELEMENT.finditer(markup):
        pieces.append(_STYLE_ATTRIBUTE.sub(_promote_attribute, markup[cursor : element.start()]))
        pieces.append(style_element(element))
        cursor = element.end()
    pieces.append(_STYLE_ATTRIBUTE.sub(_promote_attribute, markup[cursor:]))
    return "".join(pieces)
