"""The render engine (Qt-widget-free; the capture worker runs QtWebEngine in its own process)."""

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
