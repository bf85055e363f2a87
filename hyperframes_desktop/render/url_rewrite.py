"""Rewrites the relative URLs of a sub-composition as it is inlined into the compiled page,
by the one rule of :mod:`hyperframes_desktop.project.asset_paths` (HyperFrames' rule): the
``src``/``href`` attributes, ``style`` attributes and ``<style>`` blocks of its markup.

Returns edits (start, end, replacement) into the composition's text; only URL bytes change.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from hyperframes_desktop.project import Composition
from hyperframes_desktop.project.asset_paths import page_url
from hyperframes_desktop.project.scanner import scan

Edit = tuple[int, int, str]

_ATTR = re.compile(
    r"""\s(src|href|style)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE
)
_CSS_URL = re.compile(r"""\burl\(\s*(["']?)([^)"'\s](?:[^)"']*[^)"'\s])?)\1\s*\)""")


def _css(comp: Composition, css: str, page_dir: Path) -> str:
    def one(match: re.Match[str]) -> str:
        value = match.group(2)
        new = page_url(comp, value, page_dir)
        return match.group(0) if new == value else f"url({match.group(1)}{new}{match.group(1)})"

    return _CSS_URL.sub(one, css)


def url_edits(comp: Composition, span: tuple[int, int], page_dir: Path) -> list[Edit]:
    """Edits that rewrite the URLs in ``comp.text[span[0]:span[1]]`` for the page."""
    if not comp.sub:
        return []
    text = comp.text
    lo, hi = span
    edits: list[Edit] = []
    for element in scan(text):
        begin, end = element.span
        if begin < lo or begin >= hi:
            continue
        tag = text[begin:end]
        for match in _ATTR.finditer(tag):
            group = next(g for g in (2, 3, 4) if match.group(g) is not None)
            raw = match.group(group)
            value = html.unescape(raw)
            if match.group(1).lower() == "style":
                new = _css(comp, value, page_dir)
            else:
                new = page_url(comp, value, page_dir)
            if new != value.strip() and new != value:
                start = begin + match.start(group)
                edits.append((start, start + len(raw), html.escape(new, quote=True)))
        if element.tag == "style" and element.closed_at is not None:
            css = text[end : element.closed_at]
            new_css = _css(comp, css, page_dir)
            if new_css != css:
                edits.append((end, element.closed_at, new_css))
    return edits
