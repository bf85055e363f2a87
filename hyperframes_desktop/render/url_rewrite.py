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
from hyperframes_desktop.project.asset_paths import page_url, resolve_asset
from hyperframes_desktop.render.span_elements import Edit, elements_in

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
    edits: list[Edit] = []
    for element in elements_in(text, span):
        begin, end = element.span
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


def iframe_edits(
    comp: Composition, span: tuple[int, int], out_dir: Path, shim: str, counter: list[int]
) -> list[Edit]:
    """Edits that point every ``<iframe src>`` naming a local HTML file at a copy of it in
    ``out_dir`` whose first script is ``shim`` (the page's virtual clock, so the frame's
    requestAnimationFrame and Date run on the composition's time, as in HyperFrames). The
    copy keeps resolving its own relative URLs from the original's folder (``<base>``)."""
    text = comp.text
    edits: list[Edit] = []
    for element in elements_in(text, span):
        begin, end = element.span
        if element.tag != "iframe":
            continue
        match = next(
            (m for m in _ATTR.finditer(text[begin:end]) if m.group(1).lower() == "src"), None
        )
        if match is None:
            continue
        group = next(g for g in (2, 3, 4) if match.group(g) is not None)
        target = resolve_asset(comp, html.unescape(match.group(group)))
        if target is None or target.suffix.lower() not in (".html", ".htm") or not target.is_file():
            continue
        try:
            document = target.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        counter[0] += 1
        copy = out_dir / f"hf-frame-{counter[0]}.html"
        base = html.escape(target.parent.as_uri().rstrip("/") + "/", quote=True)
        copy.write_text(
            insert_head(document, f'<base href="{base}"><script>{shim}</script>'),
            encoding="utf-8",
        )
        start = begin + match.start(group)
        edits.append((start, start + len(match.group(group)), html.escape(copy.as_uri())))
    return edits


def insert_head(document: str, injection: str) -> str:
    """``document`` with ``injection`` first in its ``<head>`` (one made when it has none)."""
    lower = document.lower()
    head = lower.find("<head")
    if head != -1:
        close = lower.find(">", head)
        return document[: close + 1] + injection + document[close + 1 :]
    html_tag = lower.find("<html")
    if html_tag != -1:
        close = lower.find(">", html_tag)
        return document[: close + 1] + "<head>" + injection + "</head>" + document[close + 1 :]
    return "<!doctype html><html><head>" + injection + "</head><body>" + document + "</body></html>"
