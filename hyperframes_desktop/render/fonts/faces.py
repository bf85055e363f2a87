"""Deterministic fonts: text renders the same on every machine, whatever fonts it has installed.

The HyperFrames compiler gives the families it bundles (Inter, Montserrat, … 18 of them)
``@font-face`` rules pointing at its own copies of the static ``@fontsource`` files (400, 700,
900 where the family has them), and renders common system family names with the nearest of
them (Arial → Inter, Georgia → EB Garamond, Bebas Neue → League Gothic …;
:mod:`hyperframes_desktop.project.font_families`). So a ``font-family: Montserrat`` renders
with the bundled Montserrat even when the page links no stylesheet for it. Weights the bundle
lacks it fetches from Google Fonts when it can (Inter 800, say): one rule per run of weights
between the bundled ones, never spanning a bundled weight. :func:`font_face_css` declares every
such name the same way: the static files of :mod:`.catalog` at their own weights (HF's exact
bytes), then, for Inter and EB Garamond, the bundled variable files for the weights between
(what Google Fonts serves for them), so every weight is drawn, offline too.

``HYPERFRAMES_HF_OFFLINE_FONTS=1`` declares only what HyperFrames embeds, the upright static
faces: text then renders as HyperFrames renders it when Google Fonts cannot be reached (Inter
800 is drawn with the 900 face by CSS font matching, italics are slanted by the browser), and
the resolver leaves Google Fonts stylesheets unanswered. The conformance runner
(``bench/hf_conformance.py``) sets it, because the HyperFrames CLI it compares with runs
offline here.

Generic families (``sans-serif`` …) cannot be redefined by ``@font-face``, so only named
families are mapped. Every URL of a bundled file is made by :func:`font_file_url`. Qt-free:
the capture worker and the studio preview both load the CSS and the preload script.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path

from hyperframes_desktop.project.font_families import BUNDLED_FAMILIES, FAMILY_NAMES

from .catalog import BundledFontsMissing, BundledPackage, Face, bundled_fonts_dir, packages

__all__ = [
    "BundledFontsMissing",
    "font_face_css",
    "font_file_url",
    "font_preload_js",
    "hf_offline_fonts",
    "mapped_families",
    "typefaces",
]

#: Bundled families whose variable package draws the weights the static files lack.
_VARIABLE = {
    "Inter": "@fontsource-variable/inter",
    "EB Garamond": "@fontsource-variable/eb-garamond",
}
#: One latin and one latin-ext character, so a preload fetches both files of a face.
_PRELOAD_TEXT = "A\u0100"
#: Set to 1: only the static bundled faces, as HyperFrames renders when it is offline.
OFFLINE_ENV = "HYPERFRAMES_HF_OFFLINE_FONTS"
_WEIGHTS = range(100, 1000, 100)


def hf_offline_fonts() -> bool:
    """True when ``HYPERFRAMES_HF_OFFLINE_FONTS`` asks for HyperFrames' offline fonts: only
    the faces it embeds, and Google Fonts stylesheets left unanswered (the resolver asks)."""
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def supplements_enabled() -> bool:
    return not hf_offline_fonts()


def font_file_url(path: Path) -> str:
    """The URL a page loads a bundled font file from: the one place that makes it.

    Absolute ``file://`` URLs (percent-encoded: no quotes or backslashes), so the page's
    ``<base>`` does not affect them; the farm rewrites the fonts folder's prefix per worker.
    """
    return _file_uri(Path(path))


@functools.lru_cache(maxsize=4096)
def _file_uri(path: Path) -> str:
    """Resolving is a few syscalls per path component; a page's @font-face rules name each of
    their ~160 files six times over (≈ 90 ms a render uncached)."""
    return path.resolve().as_uri()


def _folder(resources_dir: Path | None) -> Path:
    if resources_dir is None:
        return bundled_fonts_dir()
    return Path(resources_dir) / "fonts"


def typefaces(resources_dir: Path | None = None) -> dict[str, BundledPackage]:
    """Each bundled family → the static package whose files draw it under a mapped name."""
    return _chosen(resources_dir, lambda family, slug: f"@fontsource/{slug}")


def _variables(resources_dir: Path | None) -> dict[str, BundledPackage]:
    """Inter and EB Garamond → their variable package (the weights between the static ones)."""
    names = {f: p for f, p in _VARIABLE.items() if f in BUNDLED_FAMILIES}
    return _chosen(resources_dir, lambda family, slug: names.get(family), only=set(names))


def _chosen(
    resources_dir: Path | None,
    package_of: Callable[[str, str], str | None],
    only: set[str] | None = None,
) -> dict[str, BundledPackage]:
    by_package = {p.package: p for p in packages(_folder(resources_dir))}
    chosen = {}
    for family, slug in BUNDLED_FAMILIES.items():
        if only is not None and family not in only:
            continue
        name = package_of(family, slug)
        if name not in by_package:
            raise BundledFontsMissing(
                f"The bundled fonts lack {name} for {family}. Fix: add it to "
                "resources/fonts/bundled.json and run scripts/fetch_fonts.py."
            )
        chosen[family] = by_package[name]
    return chosen


def _weight_runs(covered: set[int], low: int, high: int) -> list[tuple[int, int]]:
    """The weights in ``low..high`` (steps of 100) not in ``covered``, as runs that never
    span a covered weight (so a bundled face always wins its own weight)."""
    runs: list[list[int]] = []
    for weight in _WEIGHTS:
        if not low <= weight <= high or weight in covered:
            if runs and runs[-1]:
                runs.append([])
            continue
        if not runs:
            runs.append([])
        runs[-1].append(weight)
    return [(run[0], run[-1]) for run in runs if run]


def _rule(name: str, package: BundledPackage, face: Face, weight: str) -> str:
    url = font_file_url(package.folder / face.file)
    return (
        "@font-face{"
        f"font-family:{_css_string(name)};"
        f'src:url("{url}") format("woff2");'
        f"font-weight:{weight};"
        f"font-style:{face.style};"
        "font-display:block;"
        + (f"unicode-range:{face.unicode_range}" if face.unicode_range else "")
        + "}"
    )


def _family_rules(
    name: str, static: BundledPackage, variable: BundledPackage | None
) -> list[tuple[str, str, str]]:
    """(rule, style, weight) for one family name: the static faces, then the supplements.
    Offline (``variable`` None), only the upright static faces: HyperFrames embeds no italics."""
    out = []
    for face in static.faces:
        if variable is None and face.style != "normal" and not supplements_enabled():
            continue
        low, high = face.weight
        weight = f"{low} {high}" if high != low else str(low)
        out.append((_rule(name, static, face, weight), face.style, weight))
    if variable is None:
        return out
    for face in variable.faces:
        covered = {f.weight[0] for f in static.faces if f.style == face.style}
        for low, high in _weight_runs(covered, *face.weight):
            weight = f"{low} {high}" if high != low else str(low)
            out.append((_rule(name, variable, face, weight), face.style, weight))
    return out


def mapped_families() -> dict[str, str]:
    """Every mapped family name → the bundled family it renders with."""
    return dict(FAMILY_NAMES)


def _css_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def font_face_css(resources_dir: Path | None = None) -> str:
    """``@font-face`` rules declaring every mapped family name with the bundled files.

    ``resources_dir`` is the application's ``resources`` folder (the files are in its
    ``fonts`` subfolder); by default :func:`bundled_fonts_dir` finds them. The rules load
    lazily: a page pays only for the faces its text uses. The static faces come first, then
    (unless :func:`supplements_enabled` says no) the variable supplements.
    """
    return "\n".join(rule for rule, _, _ in _all_rules(resources_dir))


def _all_rules(resources_dir: Path | None) -> list[tuple[str, str, str]]:
    static = typefaces(resources_dir)
    variables = _variables(resources_dir) if supplements_enabled() else {}
    rules = []
    for name, family in FAMILY_NAMES.items():
        rules += [(name, *r) for r in _family_rules(name, static[family], variables.get(family))]
    return [(rule, style, weight) for _, rule, style, weight in rules]


def _preload_faces(resources_dir: Path | None) -> dict[str, list[str]]:
    """Lower-case family name → the ``style weight`` pairs to load for it (one per rule
    weight: the low end of a supplement's range)."""
    static = typefaces(resources_dir)
    variables = _variables(resources_dir) if supplements_enabled() else {}
    out = {}
    for name, family in FAMILY_NAMES.items():
        rules = _family_rules(name, static[family], variables.get(family))
        pairs = dict.fromkeys(f"{style} {weight.split()[0]}" for _, style, weight in rules)
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
