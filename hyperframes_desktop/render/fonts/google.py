"""Google Fonts stylesheets answered from the ``@fontsource`` packages of the npm registry.

A page's ``<link href="https://fonts.googleapis.com/css2?family=Inter:wght@400;700">`` (or an
``@import`` of it, or the older ``/css?family=Lato:400,700i``) never reaches Google: the
resource resolver asks :func:`google_fonts_css` and serves its CSS. The rules are built from
the family's ``@fontsource/<slug>`` package: its ``metadata.json`` (weights, styles, subsets)
and ``unicode.json`` (each subset's ``unicode-range``), read through the resolver's
:class:`NpmFiles` (bundled copy first, then the cache, then the registry). Font URLs are
jsDelivr npm URLs of the package's files, which the resolver answers like any npm URL.

Every face is declared ``font-display:block`` whatever ``display=`` says, so a frame never
paints a fallback while a face loads; ``text=`` is ignored (whole subsets are served, a
superset of what Google would send). A family with no ``@fontsource`` package is listed in
``missing_families``: its text falls back, and the caller warns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Protocol

from hyperframes_desktop.project.google_fonts import (
    FamilyRequest,
    parse_google_fonts_url,
)
from hyperframes_desktop.project.google_fonts import (
    is_google_fonts_url as _is_google_fonts_url,
)

from .catalog import BundledFontsMissing, find_package

CDN = "https://cdn.jsdelivr.net/npm"
_SLUG = re.compile(r"[^a-z0-9]+")


class NpmFiles(Protocol):
    """Files of npm packages, as the resource resolver provides them."""

    def read(self, package: str, spec: str, path: str) -> bytes | None:
        """One file of an npm package (spec: exact, range or dist-tag), from the bundled
        fonts, the cache or the registry; None when the package, version or file is missing."""

    def resolve_version(self, package: str, spec: str) -> str | None:
        """The exact version the registry would give for spec (None if none)."""


@dataclass(frozen=True)
class GoogleFontsCss:
    css: str  # @font-face rules with unicode-range per subset
    missing_families: tuple[str, ...]  # families with no @fontsource package: fall back + warn


def is_google_fonts_url(url: str) -> bool:
    """True for a ``fonts.googleapis.com/css`` or ``/css2`` stylesheet URL."""
    return _is_google_fonts_url(url)


def fontsource_package(family: str) -> str:
    """``"IBM Plex Mono"`` → ``"@fontsource/ibm-plex-mono"`` (fontsource's id rule)."""
    return "@fontsource/" + _SLUG.sub("-", family.strip().lower()).strip("-")


def _bundled_version(package: str) -> str | None:
    try:
        bundled = find_package(package)
    except BundledFontsMissing:
        return None
    return bundled.version if bundled is not None else None


def _json(npm: NpmFiles, package: str, version: str, path: str) -> dict | None:
    data = npm.read(package, version, path)
    if data is None:
        return None
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _css_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _faces(request: FamilyRequest, weights: list[int], styles: list[str]) -> list[tuple[str, int]]:
    """The (style, weight) faces of the package that answer the request, Google's order."""
    asked = request.faces or (("normal", 400, 400),)
    chosen: list[tuple[str, int]] = []
    for style, low, high in asked:
        if style not in styles:
            continue
        for weight in weights:
            if low <= weight <= high:
                chosen.append((style, weight))
    # Google sorts by style (upright first), then weight.
    return sorted(dict.fromkeys(chosen), key=lambda f: (f[0] != "normal", f[1]))


def _family_css(request: FamilyRequest, npm: NpmFiles) -> str | None:
    package = fontsource_package(request.family)
    version = _bundled_version(package) or npm.resolve_version(package, "latest")
    if version is None:
        return None
    metadata = _json(npm, package, version, "metadata.json")
    if metadata is None or not isinstance(metadata.get("id"), str):
        return None
    ranges = _json(npm, package, version, "unicode.json") or {}
    subsets = list(ranges) or [metadata.get("defSubset", "latin")]
    weights = sorted(int(w) for w in metadata.get("weights", []) if str(w).isdigit())
    styles = [str(s) for s in metadata.get("styles", ["normal"])]
    faces = _faces(request, weights, styles)
    if not faces:
        return None
    slug = metadata["id"]
    family = str(metadata.get("family") or request.family)
    rules = []
    for style, weight in faces:
        for subset in subsets:
            name = subset.strip("[]")
            url = f"{CDN}/{package}@{version}/files/{slug}-{name}-{weight}-{style}.woff2"
            unicode_range = ranges.get(subset)
            rules.append(
                f"/* {slug}-{name}-{weight}-{style} */\n"
                "@font-face {\n"
                f"  font-family: {_css_string(family)};\n"
                f"  font-style: {style};\n"
                f"  font-weight: {weight};\n"
                "  font-display: block;\n"
                f"  src: url({url}) format('woff2');\n"
                + (f"  unicode-range: {unicode_range};\n" if unicode_range else "")
                + "}"
            )
    return "\n".join(rules)


def google_fonts_css(url: str, npm: NpmFiles) -> GoogleFontsCss:
    """The stylesheet Google Fonts would answer for ``url``, built from @fontsource packages.

    The page names the family as Google spells it (``Open Sans``); the rules declare the
    package's own family name, which is the same.
    """
    pieces: list[str] = []
    missing: list[str] = []
    for request in parse_google_fonts_url(url):
        css = _family_css(request, npm)
        if css is None:
            if request.family not in missing:
                missing.append(request.family)
            continue
        pieces.append(css)
    return GoogleFontsCss("\n\n".join(pieces) + ("\n" if pieces else ""), tuple(missing))
