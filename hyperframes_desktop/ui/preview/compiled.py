"""Compile a composition for the studio's web views exactly as the renderer does, minus the
frame strip: same seek runtime, same bundled fonts."""

from __future__ import annotations

from pathlib import Path

from hyperframes_desktop.project import Composition
from hyperframes_desktop.render.compile import CompiledPage, compile_page
from hyperframes_desktop.render.fonts import BundledFontsMissing, font_face_css, font_preload_js


def compile_for_view(
    comp: Composition, folder: Path, extra_head: str = "", variables: dict | None = None
) -> CompiledPage:
    try:
        css, head = font_face_css(), font_preload_js()
    except BundledFontsMissing:  # a damaged install: preview with system fonts rather than not
        css, head = "", ""
    return compile_page(
        comp, folder, strip=False, extra_css=css, extra_head=head + extra_head, variables=variables
    )
