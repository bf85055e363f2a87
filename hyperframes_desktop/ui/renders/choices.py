"""What the render form offers: format names, and the output sizes a composition allows."""

from __future__ import annotations

from hyperframes_desktop.render.options import FORMAT_EXTENSIONS, RESOLUTION_PRESETS
from hyperframes_desktop.render.output import MAX_SCALE, MIN_SCALE

FORMAT_LABELS = {
    "mp4": "MP4 (H.264)",
    "webm": "WebM (VP9, transparency)",
    "mov": "MOV (ProRes 4444, transparency)",
    "gif": "GIF",
    "png-sequence": "PNG sequence (folder)",
}


def format_label(name: str) -> str:
    return FORMAT_LABELS.get(name, name.upper())


def is_folder_format(name: str) -> bool:
    return FORMAT_EXTENSIONS.get(name, ".x") == ""


def resolution_presets(width: int, height: int) -> list[tuple[str, int, int]]:
    """Presets of the composition's shape that the renderer can scale to (its own size
    excluded: that is the default choice)."""
    found = []
    for name, (w, h) in RESOLUTION_PRESETS.items():
        same_shape = w * height == h * width
        if same_shape and MIN_SCALE <= w / width <= MAX_SCALE and (w, h) != (width, height):
            found.append((name, w, h))
    return found


def output_size(width: int, height: int, preset: str | None) -> tuple[int, int]:
    """The video size for ``preset`` (None or a preset that does not fit: the composition's)."""
    for name, w, h in resolution_presets(width, height):
        if name == preset:
            return w, h
    return width, height
