"""The compile stage: one self-contained HTML page that the capture worker (and the studio
preview) can seek frame by frame.

Nested compositions are inlined into their hosts, every timed element gets its absolute
window as ``data-hf-start``/``data-hf-end``, every host the time its child's local 0 falls
on (``data-hf-origin``), and the seek runtime is injected before any composition script.
The page is written to a scratch folder; a ``<base>`` element keeps every relative URL
resolving against the project folder, so nothing is written into the user's project.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from pathlib import Path

from hyperframes_desktop.project import Clip, Composition, CompositionHost, MediaElement
from hyperframes_desktop.project.design.element_keys import PAGE_ATTRIBUTE
from hyperframes_desktop.project.design.selectable import page_keys
from hyperframes_desktop.project.outside_links import OutsideLink
from hyperframes_desktop.project.scanner import scan
from hyperframes_desktop.render.fonts.generic import promote_generic_families
from hyperframes_desktop.render.png_checksums import repair_png_data_uris
from hyperframes_desktop.render.raster_needs import may_animate
from hyperframes_desktop.render.resources.cache import sha256_hex
from hyperframes_desktop.render.resources.local_files import write_followed_links
from hyperframes_desktop.render.script_scope import SCOPE_ATTRIBUTE, script_scope_edits
from hyperframes_desktop.render.url_rewrite import iframe_edits, insert_head, url_edits
from hyperframes_desktop.render.variables import resolve_variables

#: Rows of the frame-index strip painted below the stage (cropped off). The capture view gets
#: this many DEVICE pixels below the scaled stage at every scale (at 0.25x, 4 CSS pixels would be
#: one device row, and the strip could vanish to rounding); the strip fills whatever is there.
STRIP_HEIGHT = 4
#: CSS pixels of the strip's width, from the left edge: at least 4 device columns at the
#: smallest scale (0.25x), around the column the capture view reads (x = 2). Only this corner
#: changes with every seek: Chromium redraws one rectangle around everything that changed, so
#: a full-width strip below the stage made every frame redraw the full width from the moving
#: elements down to the bottom edge.
STRIP_WIDTH = 16

_HIDE_STYLE = (
    "[data-hf-hidden]{visibility:hidden !important}\n[data-hf-gone]{display:none !important}\n"
)


@dataclass(frozen=True)
class CompiledPage:
    """A compiled composition, ready to load in a QWebEngineView."""

    html_path: Path
    width: int
    height: int
    fps: Fraction
    frame_count: int
    duration: float
    composition_id: str
    no_timeline: bool
    strip: bool
    media: tuple[PlacedMedia, ...] = ()
    source_name: str = "index.html"  # the user's file, for messages about the page
    #: the project folder: links inside it that lead outside are not loaded (project.tree)
    project_root: str = ""
    #: the page may run CSS or Web Animations: its capture worker rasters changed tiles
    #: whole (render.raster_needs); True unless compile_page proved otherwise
    whole_tile_raster: bool = True

    @property
    def page_height(self) -> int:
        """Stage height plus the frame strip when there is one (composition pixels at 1x;
        the capture view keeps ``STRIP_HEIGHT`` device rows for the strip at any scale)."""
        return self.height + (STRIP_HEIGHT if self.strip else 0)


#: The page-side runtime, in load order: the virtual clock (before any composition script),
#: HyperFrames' layout rules and adapters, then the seek runtime: together, "what HyperFrames'
#: runtime does", loaded by renders, stills, farm chunks and the studio preview alike.
RUNTIME_FILES = (
    "js/hf_virtual_time.js",
    "js/hf_layout.js",
    "js/hf_adapters.js",
    "js/hf_script_scope.js",
    "js/seek_runtime.js",
    "js/hf_shader_layers.js",
    "js/frame_fingerprint.js",
)


def _runtime_file(name: str) -> str:
    return resources.files("hyperframes_desktop.render").joinpath(name).read_text(encoding="utf-8")


def runtime_source() -> str:
    return "\n".join(_runtime_file(name) for name in RUNTIME_FILES)


def _start_tag_attrs(text: str, span: tuple[int, int]) -> dict[str, str | None]:
    """The attributes of the start tag at ``span`` of ``text``, as written."""
    elements = scan(text[span[0] : span[1]])
    return elements[0].attrs if elements else {}


def _inherited_size(parent: Composition, host: CompositionHost) -> dict[str, str]:
    """HyperFrames gives a host without data-width/data-height its inner root's values (the
    page-side layout rules then size the host from them)."""
    host_attrs = _start_tag_attrs(parent.text, host.span)
    child_attrs = _start_tag_attrs(host.child.text, host.child.root_span)
    inherited: dict[str, str] = {}
    for name in ("data-width", "data-height"):
        value = child_attrs.get(name)
        if value and not host_attrs.get(name):
            inherited[name] = value
    return inherited


def _fmt(value: float) -> str:
    return repr(round(float(value), 9))


def _attrs(pairs: dict[str, str]) -> str:
    return "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in pairs.items())


def _clip_window(clip: Clip, origin: float, comp_duration: float) -> tuple[float, float]:
    start = origin + clip.start
    end = origin + (clip.start + clip.duration if clip.duration is not None else comp_duration)
    return start, end


@dataclass(frozen=True)
class PlacedMedia:
    """A ``<video>``/``<audio>`` element with its window on the ROOT timeline.

    ``key`` is the element's ``data-hf-media`` attribute in the compiled page, so later stages
    (video frames, audio mix) can find it. ``end`` is None when it plays to the end.
    """

    key: str
    element: MediaElement
    start: float
    end: float


class _Inliner:
    """Builds the page markup, numbering media elements as it goes (nested ones included)."""

    def __init__(
        self, page_dir: Path, out_dir: Path | None = None, source_keys: bool = False
    ) -> None:
        self.page_dir = page_dir  # relative URLs of the page resolve against this folder
        self.out_dir = out_dir  # where iframe documents get their clock (None: not compiling)
        self.source_keys = source_keys  # the studio preview: mark id-less elements
        self._frames = [0]
        self._scopes = 0  # sub-composition instances inlined so far
        self.media: list[PlacedMedia] = []
        self.variables: dict[str, dict] = {}

    def inline(
        self,
        comp: Composition,
        origin: float,
        until: float | None = None,
        inner: bool = False,
        scope: str = "",
    ) -> str:
        """The composition's markup with timing attributes and inlined children.

        ``origin`` is the absolute time (seconds) at which this composition's local time 0
        falls. For a sub-composition file only its ``<template>`` content is returned.
        ``until`` is where the host showing this composition ends: its media stop there too.
        ``inner`` marks the composition's root element as a sub-composition's inner root.
        ``scope`` names its host's instance (``data-hf-scope``): its scripts' own document.
        """
        tag_attrs: dict[int, dict[str, str]] = {}
        if inner:
            tag_attrs[comp.root_name_end] = {"data-hf-inner-root": ""}
        if self.source_keys:
            for name_end, key in page_keys(comp.project_root, comp.path, comp.text).items():
                tag_attrs.setdefault(name_end, {})[PAGE_ATTRIBUTE] = key
        after_tag: list[tuple[int, str]] = []
        for clip in comp.clips:
            if isinstance(clip, CompositionHost):
                continue
            start, end = _clip_window(clip, origin, comp.duration)
            tag_attrs.setdefault(clip.name_end, {}).update(
                {"data-hf-start": _fmt(start), "data-hf-end": _fmt(end)}
            )
        for media in comp.media:
            start, end = _clip_window(media, origin, comp.duration)
            key = str(len(self.media))
            self.media.append(PlacedMedia(key, media, start, min(end, until or end)))
            tag_attrs.setdefault(media.name_end, {})["data-hf-media"] = key
        for host in comp.hosts:
            start, end = _clip_window(host, origin, comp.duration)
            child_origin = start - host.playback_start
            if host.child.variables_schema is not None or host.variable_values:
                key = str(len(self.variables))
                where = f'{comp.path.name}: host "{host.element_id or host.composition_id}"'
                self.variables[key] = resolve_variables(
                    host.child.variables_schema, host.variable_values, where
                )
                tag_attrs.setdefault(host.name_end, {})["data-hf-vars"] = key
            tag_attrs.setdefault(host.name_end, {}).update(
                {
                    **_inherited_size(comp, host),
                    "data-hf-start": _fmt(start),
                    "data-hf-end": _fmt(end),
                    "data-hf-origin": _fmt(child_origin),
                    "data-hf-comp": host.composition_id,
                }
            )
            self._scopes += 1
            child_scope = str(self._scopes)
            tag_attrs[host.name_end][SCOPE_ATTRIBUTE] = child_scope
            child_until = min(end, until) if until is not None else end
            child_markup = self.inline(
                host.child, child_origin, child_until, inner=True, scope=child_scope
            )
            after_tag.append((host.span[1], child_markup))
        text = comp.text
        lo, hi = comp.template_span if comp.is_template and comp.template_span else (0, len(text))
        edits = [(pos, pos, _attrs(attrs)) for pos, attrs in tag_attrs.items()]
        edits += [(pos, pos, snippet) for pos, snippet in after_tag]
        edits += url_edits(comp, (lo, hi), self.page_dir)
        edits += script_scope_edits(comp, (lo, hi), scope)
        if self.out_dir is not None:
            shim = _runtime_file("js/hf_virtual_time.js")
            edits += iframe_edits(comp, (lo, hi), self.out_dir, shim, self._frames)
        pieces: list[str] = []
        cursor = lo
        for start, end, snippet in sorted(edits, key=lambda item: (item[0], item[1])):
            if not lo <= start <= hi or start < cursor:
                continue
            pieces.append(text[cursor:start])
            pieces.append(snippet)
            cursor = end
        pieces.append(text[cursor:hi])
        return "".join(pieces)


def frame_count(duration: float, fps: Fraction) -> int:
    """duration × fps frames, rounding a float hair's breadth down (at least one frame)."""
    return max(1, math.ceil(duration * fps - 1e-6))


def _head_injection(
    comp: Composition,
    fps: Fraction,
    strip: bool,
    variables: dict,
    out_dir: Path,
    extra_css: str,
    extra_head: str,
) -> str:
    """One line of markup for the top of ``<head>``.

    Everything long (the runtime, extra CSS and scripts) goes into files beside the page and
    is referenced, so the injection adds no line: errors in the user's scripts keep the line
    numbers of the user's file.
    """
    config = {
        "variables": variables,
        "rootId": comp.composition_id,
        "width": comp.width,
        "height": comp.height,
        "fpsNum": fps.numerator,
        "fpsDen": fps.denominator,
        "frameCount": frame_count(comp.duration, fps),
        "duration": comp.duration,
        "noTimeline": comp.no_timeline,
        "durationFromPage": comp.duration_from_page,
        "strip": strip,
        "stripWidth": STRIP_WIDTH,
    }
    runtime = _asset(out_dir, "hf-runtime.js", runtime_source())
    sheet = _HIDE_STYLE + extra_css
    styles = _asset(out_dir, "hf-page.css", sheet)
    # Relative URLs resolve from the composition file's own folder, as they would in a browser.
    base = comp.path.parent.as_uri().rstrip("/") + "/"
    return (
        f'<base href="{html.escape(base, quote=True)}">'
        f'<link rel="stylesheet" href="{styles}" {SHEET_DIGEST_ATTRIBUTE}="{sheet_digest(sheet)}">'
        f"<script>window.__HF_CONFIG={json.dumps(config)};</script>"
        f'<script src="{runtime}"></script>' + _externalize_scripts(extra_head, out_dir)
    )


#: On the generated sheet's ``<link>``: the digest of its text. The render cache's frame
#: fingerprint hashes this instead of the sheet's ~450 kB of rules (the bundled fonts'
#: ``@font-face`` rules), which every view used to serialize and hash on its first frame.
SHEET_DIGEST_ATTRIBUTE = "data-hf-digest"


def sheet_digest(text: str) -> str:
    """The digest the generated sheet's link carries (of exactly the text written)."""
    return sha256_hex(text.encode("utf-8"))[:32]


def _asset(out_dir: Path, name: str, text: str) -> str:
    path = out_dir / name
    path.write_text(text, encoding="utf-8")
    return html.escape(path.as_uri(), quote=True)


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def _externalize_scripts(snippet: str, out_dir: Path) -> str:
    """Inline ``<script>`` blocks of ``snippet`` as files, so the snippet fits on one line."""
    counter = iter(range(1_000_000))

    def to_file(match: re.Match[str]) -> str:
        url = _asset(out_dir, f"hf-extra-{next(counter)}.js", match.group(1))
        return f'<script src="{url}"></script>'

    return _INLINE_SCRIPT.sub(to_file, snippet).replace("\n", " ")


def place_media(comp: Composition) -> list[PlacedMedia]:
    """Every media element with its root-timeline window and its ``data-hf-media`` key,
    numbered exactly as ``compile_page`` numbers them (for stages that run before it)."""
    inliner = _Inliner(comp.path.parent)
    inliner.inline(comp, 0.0)
    return inliner.media


def compile_page(
    comp: Composition,
    out_dir: Path,
    *,
    fps: Fraction | None = None,
    strip: bool = True,
    extra_css: str = "",
    extra_head: str = "",
    variables: dict | None = None,
    source_keys: bool = False,
    follow: Collection[OutsideLink] = (),
) -> CompiledPage:
    """Write the seekable page for ``comp`` into ``out_dir`` (at ``fps``, default the
    composition's own) and describe it. ``source_keys`` (the studio preview only, never a
    render) marks every selectable element without an id with its source key, so the stage
    can find it (``project.design.element_keys``). ``follow``: the links leading out of the
    project that the user allowed (``project.tree.granted_links``); the page may load files
    through them."""
    fps = fps or comp.fps
    out_dir.mkdir(parents=True, exist_ok=True)
    inliner = _Inliner(comp.path.parent, out_dir, source_keys)
    body = inliner.inline(comp, 0.0)
    inliner.variables["root"] = resolve_variables(comp.variables_schema, variables, comp.path.name)
    if comp.is_template:
        document = f"<!doctype html><html><head></head><body>{body}</body></html>"
    else:
        document = body
    out_dir.mkdir(parents=True, exist_ok=True)
    injection = _head_injection(comp, fps, strip, inliner.variables, out_dir, extra_css, extra_head)
    document = promote_generic_families(insert_head(document, injection))
    document = repair_png_data_uris(document)  # as Chrome draws them (render/png_checksums)
    html_path = out_dir / "composition.html"
    write_followed_links(out_dir, follow)
    html_path.write_text(document, encoding="utf-8")
    return CompiledPage(
        html_path=html_path,
        width=comp.width,
        height=comp.height,
        fps=fps,
        frame_count=frame_count(comp.duration, fps),
        duration=comp.duration,
        composition_id=comp.composition_id,
        no_timeline=comp.no_timeline,
        strip=strip,
        media=tuple(inliner.media),
        source_name=comp.path.name,
        project_root=str(comp.project_root),
        whole_tile_raster=may_animate(document, comp.path.parent, out_dir),
    )
