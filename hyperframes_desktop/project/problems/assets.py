"""Files a composition loads besides its media clips: scripts, stylesheets, images and CSS
``url()`` references. A missing script is an error (the page would run without it, e.g.
without GSAP); a missing image, stylesheet or CSS file only draws wrong, so a warning."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from ..asset_paths import resolve_asset
from ..errors import Problem, display_name
from ..files import is_remote, resolve_src
from ..gsap_fallback import GSAP_FALLBACK_VERSION, gsap_fallback_url
from ..media_files import file_trouble
from ..scanner import Element
from ..tree import granted_links, outside_links, resolves_inside
from .source import CssText, Source, line_of, strip_comments

_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def _reference(element: Element) -> tuple[str, str, str] | None:
    """(attribute, value, what) for an element that loads a file, else None."""
    tag = element.tag
    if tag == "script" and element.attrs.get("src"):
        return "src", element.attrs["src"] or "", "script"
    if tag == "img" and element.attrs.get("src"):
        return "src", element.attrs["src"] or "", "image"
    if tag == "link" and element.attrs.get("href"):
        rel = (element.attrs.get("rel") or "").lower().split()
        if "stylesheet" in rel:
            return "href", element.attrs["href"] or "", "stylesheet"
    return None


def _is_local(value: str) -> bool:
    """A file of the project: not a fragment, a URL or a protocol-relative ``//host/…``."""
    value = value.strip()
    return bool(value) and not value.startswith(("#", "//")) and not is_remote(value)


def _missing(source: Source, base: Path | None, value: str) -> tuple[str, str] | None:
    """(the file as shown to the user, what is wrong with it) when the file ``value`` names
    (relative to ``base``; None: as written in the composition's own file, by the one
    rule of project.asset_paths) cannot be used; None when it can, or is not a file."""
    path = resolve_asset(source.comp, value) if base is None else resolve_src(base, value)
    trouble = file_trouble(path, media=False) if path is not None else None
    if path is None or trouble is None:
        return None
    return display_name(path, source.root), trouble


def _left_out(source: Source, value: str) -> str | None:
    """The link (its path in the project) through which the file ``value`` names leads out of
    the project folder, when no grant of the user follows it (project.tree); else None."""
    found = resolve_asset(source.comp, value)  # links followed
    root = source.root
    if found is None or not found.exists() or resolves_inside(root, found):
        return None
    for link in outside_links(root):
        target = Path(os.path.realpath(link.target))
        if found == target or target in found.parents:
            return None if link in granted_links(root) else link.rel
    return None  # not reached through a link (``../x.css``): another rule's business


def stylesheets(source: Source) -> Iterator[tuple[Element, Path]]:
    """Linked local stylesheets that exist, with the element that links them."""
    for element in source.elements:
        ref = _reference(element)
        if ref and ref[2] == "stylesheet" and source.used(element) and _is_local(ref[1]):
            path = resolve_asset(source.comp, ref[1])
            if path is not None and path.is_file():
                yield element, path


def linked_css(source: Source) -> list[CssText]:
    """The text of every linked local stylesheet (unreadable ones are reported elsewhere)."""
    found = []
    for _element, path in stylesheets(source):
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found.append(CssText(text, path, text, 0, None))
    return found


def check_assets(source: Source) -> list[Problem]:
    problems: list[Problem] = []
    for element in source.elements:
        ref = _reference(element)
        if ref is None or not source.used(element) or not _is_local(ref[1]):
            continue
        attribute, value, what = ref
        link = _left_out(source, value)
        if link is not None:
            problems.append(
                source.problem(
                    "warning",
                    f'<{element.tag}> {attribute} "{value}": the {what} is reached through '
                    f'"{link}", a link leading outside the project folder, which renders and '
                    "the preview leave out",
                    "copy what the link points to into the project folder; or, if you trust "
                    'this project, allow the link (--follow-outside-links, or "Allow for this '
                    'project" in the studio)',
                    line=element.line,
                    attribute=attribute,
                    element=element,
                )
            )
            continue
        missing = _missing(source, None, value)
        if missing is None:
            continue
        shown, trouble = missing
        if what == "script" and gsap_fallback_url(value):
            problems.append(
                source.problem(
                    "warning",
                    f'<script> src "{value}": the script {shown} {trouble}; '
                    f"GSAP {GSAP_FALLBACK_VERSION} is loaded from the npm registry instead, "
                    "as HyperFrames does",
                    "put gsap.min.js there, or name the version you want by its CDN URL",
                    line=element.line,
                    attribute=attribute,
                    element=element,
                )
            )
            continue
        problems.append(
            source.problem(
                "error" if what == "script" else "warning",
                f'<{element.tag}> {attribute} "{value}": the {what} {shown} {trouble}',
                f"put the file there or correct {attribute} (paths are relative to the "
                "composition's own folder; in a sub-composition, ../ is relative to its file)",
                line=element.line,
                attribute=attribute,
                element=element,
            )
        )
    for css in [*source.css, *linked_css(source)]:
        problems.extend(_css_urls(source, css))
    return problems


def _css_urls(source: Source, css: CssText) -> list[Problem]:
    problems = []
    # a linked stylesheet's url()s are relative to it; the composition's own CSS follows the rule
    base = css.file.parent if css.file != source.comp.path else None
    clean = strip_comments(css.css)
    for pattern in (_URL, _IMPORT):
        for match in pattern.finditer(clean):
            value = next((g for g in match.groups() if g is not None), "").strip()
            if not _is_local(value) or value.lower().startswith("data:"):
                continue
            missing = _missing(source, base, value)
            if missing is None:
                continue
            shown, trouble = missing
            problems.append(
                source.problem(
                    "warning",
                    f'CSS url("{value}"): {shown} {trouble}',
                    "put the file there or correct the url (relative to the file that "
                    "contains the CSS)",
                    line=line_of(css.text, css.offset + match.start()),
                    element=css.element,
                    file=css.file,
                )
            )
    return problems
