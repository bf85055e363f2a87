"""Fonts that will be substituted: a ``font-family`` the render cannot honour.

A family renders as written when it is generic (``sans-serif`` …), declared by the
composition's own ``@font-face``, one of the families bundled with the renderer or mapped to
them (Inter, Montserrat, Roboto … Arial, Georgia, Bebas Neue …), or named by a Google Fonts
stylesheet the page links or ``@import``s (the resource resolver serves it from the
``@fontsource`` packages). Any other family depends on the fonts of the machine that renders
and, on a clean one, falls back: a warning, once per family and file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import Problem
from ..font_families import MAPPED_FAMILIES
from ..google_fonts import is_google_fonts_url, parse_google_fonts_url
from .assets import linked_css
from .source import CssText, Source, line_of, strip_comments

GENERIC_FAMILIES = frozenset(
    {
        "serif",
        "sans-serif",
        "monospace",
        "cursive",
        "fantasy",
        "system-ui",
        "ui-serif",
        "ui-sans-serif",
        "ui-monospace",
        "ui-rounded",
        "emoji",
        "math",
        "fangsong",
        "inherit",
        "initial",
        "unset",
        "revert",
        "revert-layer",
    }
)

_FONT_FACE = re.compile(r"@font-face\s*\{(?P<body>[^}]*)\}", re.IGNORECASE)
_DECLARATION = re.compile(
    r"(?<![-\w])(?P<prop>font-family|font)\s*:\s*(?P<value>[^;}{]+)", re.IGNORECASE
)
# In the ``font`` shorthand the families follow the size (and optional /line-height).
_SIZE = re.compile(
    r"(?:^|\s)(?:[\d.]+(?:px|pt|pc|em|rem|ex|ch|%|vh|vw|vmin|vmax|cm|mm|in|q)|xx-small|x-small"
    r"|small|medium|large|x-large|xx-large|xxx-large|smaller|larger)(?:\s*/\s*\S+)?\s+",
    re.IGNORECASE,
)
_SYSTEM_FONTS = frozenset({"caption", "icon", "menu", "message-box", "small-caption", "status-bar"})


def split_families(value: str) -> list[str]:
    """``"Open Sans", Arial, serif`` → ``['Open Sans', 'Arial', 'serif']``."""
    families = []
    for part in re.findall(r'"[^"]*"|\'[^\']*\'|[^,]+', value):
        name = part.strip().strip("\"'").strip()
        name = re.sub(r"\s*!important$", "", name, flags=re.IGNORECASE)
        if name and name != ",":
            families.append(name)
    return families


def _families_of(prop: str, value: str) -> str | None:
    value = value.strip()
    if prop.lower() == "font-family":
        return value
    if value.lower() in _SYSTEM_FONTS or value.lower() in GENERIC_FAMILIES:
        return None
    match = _SIZE.search(" " + value)
    return (" " + value)[match.end() :] if match else None


def declared_families(pieces: Iterable[CssText]) -> set[str]:
    """Families the composition declares itself with ``@font-face`` (lower case)."""
    declared = set()
    for css in pieces:
        for face in _FONT_FACE.finditer(strip_comments(css.css)):
            for decl in _DECLARATION.finditer(face["body"]):
                if decl["prop"].lower() == "font-family":
                    declared.update(f.lower() for f in split_families(decl["value"]))
    return declared


_IMPORT = re.compile(
    r"""@import\s+(?:url\(\s*)?(?P<q>["']?)(?P<url>[^"')\s;]+)(?P=q)""", re.IGNORECASE
)


def google_fonts_families(source: Source, pieces: Iterable[CssText]) -> set[str]:
    """Families (lower case) of the Google Fonts stylesheets the page links or imports."""
    urls = [
        element.attrs.get("href") or ""
        for element in source.elements
        if element.tag == "link" and source.used(element)
    ]
    for css in pieces:
        urls += [m["url"] for m in _IMPORT.finditer(strip_comments(css.css))]
    return {
        request.family.lower()
        for url in urls
        if is_google_fonts_url(url)
        for request in parse_google_fonts_url(url)
    }


def check_fonts(source: Source) -> list[Problem]:
    pieces = [*source.css, *linked_css(source)]
    known = (
        set(MAPPED_FAMILIES)
        | declared_families(pieces)
        | GENERIC_FAMILIES
        | google_fonts_families(source, pieces)
    )
    reported: set[tuple[str, str]] = set()
    problems: list[Problem] = []
    for css in pieces:
        clean = _FONT_FACE.sub(lambda m: " " * len(m.group(0)), strip_comments(css.css))
        for decl in _DECLARATION.finditer(clean):
            value = _families_of(decl["prop"], decl["value"])
            if value is None or "var(" in value.lower():
                continue
            for family in split_families(value):
                key = (str(css.file), family.lower())
                if family.lower() in known or key in reported:
                    continue
                reported.add(key)
                problems.append(
                    source.problem(
                        "warning",
                        f'font-family "{family}" is neither bundled, nor declared with '
                        "@font-face, nor linked from Google Fonts, so it renders in a fallback "
                        "font on machines without it",
                        "add an @font-face rule pointing at the font file in the project, link "
                        'the family from Google Fonts (<link href="https://fonts.googleapis'
                        f'.com/css2?family={family.replace(" ", "+")}">), or use a bundled '
                        "family (Inter, Montserrat, Roboto, Open Sans, Lato, Poppins, Oswald, "
                        "JetBrains Mono, EB Garamond, Playfair Display … or a name mapped to "
                        "them such as Arial, Helvetica, Georgia, Times New Roman)",
                        line=line_of(css.text, css.offset + decl.start()),
                        attribute="style" if css.element is not None else None,
                        element=css.element,
                        file=css.file,
                    )
                )
    return problems
