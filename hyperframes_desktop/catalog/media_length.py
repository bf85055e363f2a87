"""How long a video or sound file plays, asked of ffprobe through the one launching helper."""

from __future__ import annotations

import json
from pathlib import Path

from hyperframes_desktop.render.tools import ToolMissing, run_tool

from .errors import CatalogError


def media_duration(path: Path) -> float:
    """Seconds of ``path``; :class:`CatalogError` when it is not playable media."""
    try:
        result = run_tool(
            "ffprobe",
            ["-v", "error", "-show_entries", "format=duration", "-of", "json", f"file:{path}"],
            timeout=60,
        )
    except ToolMissing as exc:
        raise CatalogError(str(exc)) from None
    try:
        seconds = float(json.loads(result.stdout or "{}")["format"]["duration"])
    except (ValueError, KeyError, TypeError):
        seconds = 0.0
    if result.returncode != 0 or seconds <= 0:
        raise CatalogError(
            f'"{path}" is not a video or sound file FFmpeg can read. Fix: give an MP4, MOV, '
            "WebM, MP3, WAV or M4A file."
        )
    return seconds
