"""Every remote URL a composition names, found statically in its HTML and CSS (Qt-free, no
network): what ``lint`` lists, what a render resolves before capture, what ``vendor`` copies.

Found: ``<script src>``, ``<link href>`` (stylesheets), ``src``/``poster`` of images, media
and sources, CSS ``url()`` and ``@import``, and npm CDN URLs written as string literals in
scripts (the data a page fetches at run time, e.g. ``us-atlas@3/states-10m.json``).
A missing local ``gsap.min.js`` counts as the CDN URL that stands in for it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from .gsap_fallback import gsap_fallback_url
from .model import Composition

_TAG = re.compile(r"<(script|link|img|video|audio|source|image)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(
    r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE | re.DOTALL
)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]+))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_LITERAL = re.compile(
    r"""["'`](https://(?:cdn\.jsdelivr\.net/npm/|unpkg\.com/|fonts\.googleapis\.com/css)"""
    r"""[^"'`\s]*)["'`]"""
)
_REMOTE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)


@dataclass(frozen=True)
class RemoteRef:
    """One remote URL of a composition file. ``kind``: script, stylesheet, media, css (a
    ``url()``/``@import``) or fetch (a string literal a script may fetch)."""

    url: str
    kind: str
    file: Path
    line: int
    integrity: str | None = None
    attribute: str | None = None
    #: the URL as written in the file when it differs from ``url`` (``//host``, a missing
    #: local gsap.min.js): vendor rewrites this text
    written: str | None = None
    tag_begin: int | None = None  # offset of the "<" of the tag holding ``attribute``
    span: tuple[int, int] | None = None  # offsets of the URL text (css and fetch refs)


def _attrs(raw: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTR.finditer(raw):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        found.setdefault(match.group(1).lower(), html.unescape(value))
    return found


def _absolute(value: str) -> str | None:
    value = value.strip()
    if not _REMOTE.match(value):
        return None
    return "https:" + value if value.startswith("//") else value


def refs_in_text(text: str, file: Path, folder: Path) -> list[RemoteRef]:
    """The remote URLs of one HTML file's text (``folder``: where its relative URLs point)."""
    refs: list[RemoteRef] = []

    def line_at(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    for tag in _TAG.finditer(text):
        name, attrs = tag.group(1).lower(), _attrs(tag.group(2))
        line = line_at(tag.start())
        if name == "script" and attrs.get("src"):
            src = attrs["src"]
            url = _absolute(src)
            if url is None and not (folder / src.split("?")[0]).is_file():
                fallback = gsap_fallback_url(src)
                if fallback is not None:
                    refs.append(
                        RemoteRef(fallback, "script", file, line, None, "src", src, tag.start())
                    )
                continue
            if url is not None:
                integrity = attrs.get("integrity")
                refs.append(
                    RemoteRef(url, "script", file, line, integrity, "src", None, tag.start())
                )
        elif name == "link" and attrs.get("href"):
            rel = attrs.get("rel", "").lower().split()
            url = _absolute(attrs["href"])
            if url is not None and "stylesheet" in rel:
                integrity = attrs.get("integrity")
                refs.append(
                    RemoteRef(url, "stylesheet", file, line, integrity, "href", None, tag.start())
                )
        else:
            for attribute in ("src", "poster", "href", "xlink:href"):
                url = _absolute(attrs.get(attribute, ""))
                if url is not None:
                    refs.append(
                        RemoteRef(url, "media", file, line, None, attribute, None, tag.start())
                    )
    for pattern in (_CSS_URL, _CSS_IMPORT):
        for match in pattern.finditer(text):
            group = next(i for i, g in enumerate(match.groups(), 1) if g is not None)
            url = _absolute(html.unescape(match.group(group)))
            if url is not None:
                span = match.span(group)
                refs.append(RemoteRef(url, "css", file, line_at(match.start()), span=span))
    known = {ref.url for ref in refs}
    for match in _LITERAL.finditer(text):
        if match.group(1) not in known:
            known.add(match.group(1))
            refs.append(
                RemoteRef(match.group(1), "fetch", file, line_at(match.start()), span=match.span(1))
            )
    return refs


def remote_refs(comp: Composition) -> list[RemoteRef]:
    """The remote URLs of a composition and every composition it hosts, in file order."""
    found: list[RemoteRef] = []
    seen: set[Path] = set()

    def walk(c: Composition) -> None:
        if c.path in seen:
            return
        seen.add(c.path)
        found.extend(refs_in_text(c.text, c.path, c.path.parent))
        for host in c.hosts:
            walk(host.child)

    walk(comp)
    return found
