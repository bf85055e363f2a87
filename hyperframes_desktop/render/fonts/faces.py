"""Deterministic fonts: text renders the same on every machine, whatever fonts it has installed.

The HyperFrames compiler gives the families it bundles (Inter, Montserrat, … 18 of them)
``@font-face`` rules pointing at its own copies of the ``@fontsource`` files, and renders
common system family names with the nearest of them (Arial → Inter, Georgia → EB Garamond,
Bebas Neue → League Gothic …; :mod:`hyperframes_desktop.project.font_families`). So a
``font-family: Montserrat`` renders with the bundled Montserrat even when the page links no
stylesheet for it. :func:`font_face_css` declares every such name the same way, with the files
of :mod:`.catalog`; Inter and EB Garamond (and their aliases) use the variable files, so every
weight is exact, as before.

Generic families (``sans-serif`` …) cannot be redefined by ``@font-face``, so only named
families are mapped. Every URL of a bundled file is made by :func:`font_file_url`. Qt-free:
the capture worker and the studio preview both load the CSS and the preload script.
"""

from __future__ import annotations

import json
from pathlib import Path

from hyperframes_desktop.project.font_families import BUNDLED_FAMILIES, FAMILY_NAMES

from .catalog import BundledFontsMissing, BundledPackage, bundled_fonts_dir, packages

__all__ = [
    "BundledFontsMissing",
    "font_face_css",
    "font_file_url",
    "font_preload_js",
    "mapped_families",
    "typefaces",
]

#: Bundled families drawn from the variable package (every weight from one file).
_VARIABLE = {
    "Inter": "@fontsource-variable/inter",
    "EB Garamond": "@fontsource-variable/eb-garamond",
}
#: One latin and one latin-ext character, so a preload fetches both files of a face.
_PRELOAD_TEXT = "A\u0100"


def font_file_url(path: Path) -> str:
    """The URL a page loads a bundled font file from: the one place that makes it.

    Absolute ``file://`` URLs (percent-encoded: no quotes or backslashes), so the page's
    ``<base>`` does not affect them; the farm rewrites the fonts folder's prefix per worker.
    """
    return Path(path).resolve().as_uri()


def _folder(resources_dir: Path | None) -> Path:
    if resources_dir is None:
        return bundled_fonts_dir()
    return Path(resources_dir) / "fonts"


def typefaces(resources_dir: Path | None = None) -> dict[str, BundledPackage]:
    """Each bundled family → the package whose files draw it under a mapped name."""
    by_package = {p.package: p for p in packages(_folder(resources_dir))}
    chosen = {}
    for family, slug in BUNDLED_FAMILIES.items():
        name = _VARIABLE.get(family, f"@fontsource/{slug}")
        if name not in by_package:
            raise BundledFontsMissing(
                f"The bundled fonts lack {name} for {family}. Fix: add it to "
                "resources/fonts/bundled.json and run scripts/fetch_fonts.py."
            )
        chosen[family] = by_package[name]
    return chosen


def mapped_families() -> dict[str, str]:
    """Every mapped family name → the bundled family it renders with."""
    return dict(FAMILY_NAMES)


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def font_face_css(resources_dir: Path | None = None) -> str:
    """``@font-face`` rules declaring every mapped family name with the bundled files.

    ``resources_dir`` is the application's ``resources`` folder (the files are in its
    ``fonts`` subfolder); by default :func:`bundled_fonts_dir` finds them. The rules load
    lazily: a page pays only for the faces its text uses.
    """
    faces = typefaces(resources_dir)
    rules: list[str] = []
    for name, family in FAMILY_NAMES.items():
        package = faces[family]
        for face in package.faces:
            low, high = face.weight
            weight = f"{low} {high}" if high != low else str(low)
            url = font_file_url(package.folder / face.file)
            rules.append(
                "@font-face{"
                f"font-family:{_css_string(name)};"
                f'src:url("{url}") format("woff2");'
                f"font-weight:{weight};"
                f"font-style:{face.style};"
                "font-display:block;"
                + (f"unicode-range:{face.unicode_range}" if face.unicode_range else "")
                + "}"
            )
    return "\n".join(rules)


def _preload_faces(resources_dir: Path | None) -> dict[str, list[str]]:
    """Lower-case family name → the ``style weight`` pairs to load for it."""
    faces = typefaces(resources_dir)
    out = {}
    for name, family in FAMILY_NAMES.items():
        pairs = dict.fromkeys(f"{f.style} {f.weight[0]}" for f in faces[family].faces)
        if faces[family].variable:
            pairs = dict.fromkeys(f"{f.style} 400" for f in faces[family].faces)
        out[name.lower()] = list(pairs)
    return out


_PRELOAD_JS = Path(__file__).resolve().parent.parent / "js" / "font_preload.js"


def font_preload_js(resources_dir: Path | None = None) -> str:
    """A ``<script>`` element that loads the bundled faces the page uses before frame 0.

    Once the document is parsed it (``render/js/font_preload.js``) loads every bundled face
    (weights and styles) of the mapped families the page's style rules and elements use.
    ``@font-face`` files load lazily, only when laid-out text needs them, so text that first
    appears mid-render (``display:none`` at load, created by a script) could otherwise paint
    with a fallback on the frame where it appears. It sets ``window.__hf_fonts_loading`` to
    a promise that settles once the faces have loaded (or failed), resolving to a list of
    the faces that failed (empty when all loaded). A renderer waits for it before capturing
    frame 0.
    """
    source = _PRELOAD_JS.read_text(encoding="utf-8")
    values = {
        "__FACES__": json.dumps(_preload_faces(resources_dir), separators=(",", ":")),
        "__TEXT__": json.dumps(_PRELOAD_TEXT),
    }
    for key, value in values.items():
        source = source.replace(key, value)
    return f"<script>{source}</script>"
