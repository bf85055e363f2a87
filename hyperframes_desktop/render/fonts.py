"""Bundled fonts: text renders the same on every machine, whatever fonts it has installed.

The HyperFrames compiler swaps common font families for fonts it bundles (Inter for the usual
sans-serif system faces, EB Garamond for the serif ones) so a render does not depend on the
machine. This module does the same for our pages: :func:`font_face_css` declares each mapped
family name with ``@font-face`` rules pointing at the variable WOFF2 files in
``resources/fonts`` (one file covers every weight; italics have their own file; latin and
latin-ext are separate subsets chosen per character by ``unicode-range``).

Generic families (``sans-serif``, ``serif`` …) cannot be redefined by ``@font-face``, so only
named families are mapped. Qt-free: the capture worker and the studio preview both load the
CSS and the preload script into their pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop import resource_paths
from hyperframes_desktop.project.font_families import GARAMOND_FAMILIES, INTER_FAMILIES

# Subsets as Google Fonts cuts them (the same ranges the @fontsource packages declare).
_LATIN = (
    "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,"
    "U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD"
)
_LATIN_EXT = (
    "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,"
    "U+1D00-1DBF,U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,"
    "U+A720-A7FF"
)
#: One character of each subset, so a preload fetches both files of a face.
_PRELOAD_TEXT = "A\u0100"


@dataclass(frozen=True)
class FontFile:
    """One bundled WOFF2 file: a variable font's weight range, its style and its subset."""

    file: str
    weight: tuple[int, int]
    style: str  # "normal" | "italic"
    unicode_range: str


@dataclass(frozen=True)
class BundledFont:
    """A bundled typeface and the family names that render with it."""

    name: str
    families: tuple[str, ...]
    files: tuple[FontFile, ...]


def _variable_files(prefix: str, weight: tuple[int, int]) -> tuple[FontFile, ...]:
    return tuple(
        FontFile(f"{prefix}-{subset}-wght-{style}.woff2", weight, style, ranges)
        for style in ("normal", "italic")
        for subset, ranges in (("latin", _LATIN), ("latin-ext", _LATIN_EXT))
    )


BUNDLED_FONTS: tuple[BundledFont, ...] = (
    BundledFont("Inter", INTER_FAMILIES, _variable_files("inter", (100, 900))),
    BundledFont("EB Garamond", GARAMOND_FAMILIES, _variable_files("eb-garamond", (400, 800))),
)


class BundledFontsMissing(FileNotFoundError):
    """The bundled font files are not where the application expects them (a broken install).

    ``str()`` is the whole sentence: what is missing and how to fix it.
    """


_WHAT = "The bundled fonts (Inter, EB Garamond)"


def _missing_files(folder: Path) -> list[str]:
    return [f.file for font in BUNDLED_FONTS for f in font.files if not (folder / f.file).is_file()]


def _check_folder(folder: Path, fix: str) -> Path:
    missing = _missing_files(folder)
    if missing:
        raise BundledFontsMissing(
            f"{_WHAT} are incomplete: {folder} lacks {', '.join(missing)}. Fix: {fix}."
        )
    return folder


def bundled_fonts_dir() -> Path:
    """The folder holding the bundled font files: ``fonts`` in the resources folder that
    :mod:`hyperframes_desktop.resource_paths` finds. Raises :class:`BundledFontsMissing`
    naming what is missing and how to fix it."""
    folder = resource_paths.fonts_dir()
    if folder is None:
        searched = " and ".join(str(c / "fonts") for c in resource_paths.candidates())
        raise BundledFontsMissing(
            f"{_WHAT} were not found (looked in {searched}). Fix: {resource_paths.REINSTALL_FIX}."
        )
    return _check_folder(folder, resource_paths.REINSTALL_FIX)


def _fonts_dir(resources_dir: Path | None) -> Path:
    if resources_dir is None:
        return bundled_fonts_dir()
    return _check_folder(Path(resources_dir) / "fonts", "put every bundled font file there")


def mapped_families() -> dict[str, str]:
    """Every mapped family name → the bundled typeface it renders with."""
    return {family: font.name for font in BUNDLED_FONTS for family in font.families}


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def font_face_css(resources_dir: Path | None = None) -> str:
    """``@font-face`` rules declaring every mapped family with the bundled files.

    ``resources_dir`` is the application's ``resources`` folder (the files are in its
    ``fonts`` subfolder); by default :func:`bundled_fonts_dir` finds them. URLs are absolute
    ``file://`` URLs, so the page's ``<base>`` does not affect them.
    """
    folder = _fonts_dir(resources_dir).resolve()
    rules: list[str] = []
    for font in BUNDLED_FONTS:
        for family in font.families:
            for f in font.files:
                url = (folder / f.file).as_uri()  # percent-encoded: no quotes or backslashes
                low, high = f.weight
                rules.append(
                    "@font-face{"
                    f"font-family:{_css_string(family)};"
                    f'src:url("{url}") format("woff2");'
                    f"font-weight:{low} {high};"
                    f"font-style:{f.style};"
                    "font-display:block;"
                    f"unicode-range:{f.unicode_range}"
                    "}"
                )
    return "\n".join(rules)


def font_preload_js() -> str:
    """A ``<script>`` element that starts loading every bundled face at page load.

    ``@font-face`` files load lazily, only when laid-out text needs them, so text that first
    appears mid-render (``display:none`` at load, created by a script) could otherwise paint
    with a fallback on the frame where it appears. The script sets
    ``window.__hf_fonts_loading`` to a promise that settles once every face has loaded (or
    failed); it resolves to a list of the faces that failed (empty when all loaded). A renderer
    waits for it before capturing frame 0.
    """
    requests = [
        f"{style} 400 16px {_css_string(family)}"
        for font in BUNDLED_FONTS
        for family in font.families
        for style in ("normal", "italic")
    ]
    # Each request names one family and style; the text holds a latin and a latin-ext
    # character, so both subset files of that face load. Weight 400 lies in every face's
    # range, and one variable file serves every weight.
    script = (
        "(function(){"
        f"var fonts={json.dumps(requests)},text={json.dumps(_PRELOAD_TEXT)};"
        "if(!document.fonts||!document.fonts.load){"
        "window.__hf_fonts_loading=Promise.resolve([]);return;}"
        "window.__hf_fonts_loading=Promise.all(fonts.map(function(f){"
        "return document.fonts.load(f,text).then(function(faces){"
        "return faces.length?null:f+': no face matched';"
        "},function(e){return f+': '+(e&&e.message||e);});"
        "})).then(function(r){return r.filter(function(x){return x;});});"
        "})();"
    )
    return f"<script>{script}</script>"
