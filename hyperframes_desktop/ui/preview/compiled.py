"""Compile a composition for the studio's web views exactly as the renderer does, minus the
frame strip: same seek runtime, same bundled fonts."""

from __future__ import annotations

import functools
from pathlib import Path

from hyperframes_desktop.project import Composition
from hyperframes_desktop.project.tree import granted_links
from hyperframes_desktop.render.compile import CompiledPage, compile_page
from hyperframes_desktop.render.fonts import BundledFontsMissing, font_face_css, font_preload_js


@functools.cache
def _fonts() -> tuple[str, str]:
    """The bundled fonts' CSS and preload script: built once (they do not change while the
    studio runs), not on every hot reload."""
    try:
        return font_face_css(), font_preload_js()
    except BundledFontsMissing:  # a damaged install: preview with system fonts rather than not
        return "", ""


def compile_for_view(
    comp: Composition, folder: Path, extra_head: str = "", variables: dict | None = None
) -> CompiledPage:
    css, head = _fonts()
    return compile_page(
        comp,
        folder,
        strip=False,
        extra_css=css,
        extra_head=head + extra_head,
        variables=variables,
        source_keys=True,
        follow=granted_links(comp.project_root),  # links out of the project the user allowed
    )
