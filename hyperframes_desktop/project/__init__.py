"""Read a HyperFrames project: compositions, clips, media and nested sub-compositions.

Pure standard library (no Qt), so the renderer, CLI and UI can all share it.
"""

from .errors import ProjectError
from .listing import list_compositions
from .loader import load_composition
from .model import Clip, Composition, CompositionHost, CompositionInfo, MediaElement
from .values import parse_fps

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
