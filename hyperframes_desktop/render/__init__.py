"""The render engine (Qt-widget-free; the capture worker runs QtWebEngine in its own process).

The names below are loaded on first use (PEP 562): a capture worker process imports
``render.worker`` and must not pay for the pipeline, the project model and the audio graph it
never runs (about a third of its start-up CPU, every worker of every render).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hyperframes_desktop.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from hyperframes_desktop.render.options import (
        FORMATS,
        QUALITY_PRESETS,
        STAGES,
        Progress,
        RenderCancelled,
        RenderError,
        RenderInputError,
        RenderOptions,
    )
    from hyperframes_desktop.render.perf import PerfSummary
    from hyperframes_desktop.render.pipeline import RenderJob, RenderResult
    from hyperframes_desktop.render.tools import ToolMissing, ffmpeg_available

#: Each public name and the module that defines it.
_HOMES = {
    "FORMATS": "options",
    "QUALITY_PRESETS": "options",
    "STAGES": "options",
    "Progress": "options",
    "RenderCancelled": "options",
    "RenderError": "options",
    "RenderInputError": "options",
    "RenderOptions": "options",
    "PerfSummary": "perf",
    "RenderJob": "pipeline",
    "RenderResult": "pipeline",
    "ToolMissing": "tools",
    "ffmpeg_available": "tools",
}

__all__ = [
    "FORMATS",
    "QUALITY_PRESETS",
    "STAGES",
    "PerfSummary",
    "Progress",
    "RenderCancelled",
    "RenderError",
    "RenderInputError",
    "RenderJob",
    "RenderOptions",
    "RenderResult",
    "ToolMissing",
    "ffmpeg_available",
]


__getattr__ = lazy_exports(__name__, _HOMES)
