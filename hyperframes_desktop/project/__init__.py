"""Read a HyperFrames project: compositions, clips, media and nested sub-compositions.

Pure standard library (no Qt), so the renderer, CLI and UI can all share it.

The names below are loaded on first use (PEP 562): a capture worker process imports only
``project.gsap_fallback`` (through page delivery) and must not pay for the loader, the
listing and the HTML scanner it never runs (~15 % of its imports, every worker of every
render).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hyperframes_desktop.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from .errors import ProjectError
    from .listing import list_compositions
    from .loader import load_composition
    from .model import Clip, Composition, CompositionHost, CompositionInfo, MediaElement
    from .values import parse_fps

#: Each public name and the module that defines it.
_HOMES = {
    "Clip": "model",
    "Composition": "model",
    "CompositionHost": "model",
    "CompositionInfo": "model",
    "MediaElement": "model",
    "ProjectError": "errors",
    "list_compositions": "listing",
    "load_composition": "loader",
    "parse_fps": "values",
}

__all__ = [
    "Clip",
    "Composition",
    "CompositionHost",
    "CompositionInfo",
    "MediaElement",
    "ProjectError",
    "list_compositions",
    "load_composition",
    "parse_fps",
]


__getattr__ = lazy_exports(__name__, _HOMES)
