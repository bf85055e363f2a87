"""The one mapping from the engine's :class:`PerfSummary` to event properties.

The CLI and the studio both go through :func:`summary_to_properties`, so a render looks the
same in analytics wherever it ran. Property names follow HyperFrames (FACTS §3), including
the legacy ``extract_phase3_ms`` for the breakdown's ``extractMs``.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from typing import Any

from hyperframes_desktop.render.perf import PerfSummary

SOURCES = ("cli", "studio")

#: summary.stages key -> property. Stages absent from the summary (e.g. assemble for gif)
#: are omitted rather than sent as 0, which would read as "took no time".
STAGE_PROPERTIES: dict[str, str] = {
    "compileMs": "stage_compile_ms",
    "videoExtractMs": "stage_video_extract_ms",
    "audioProcessMs": "stage_audio_process_ms",
    "captureMs": "stage_capture_ms",
    "captureSetupMs": "stage_capture_setup_ms",
    "captureFrameMs": "stage_capture_frame_ms",
    "encodeMs": "stage_encode_ms",
    "assembleMs": "stage_assemble_ms",
}

#: Breakdown fields whose property is not simply ``extract_<snake_case>``.
BREAKDOWN_RENAMES: dict[str, str] = {"extractMs": "extract_phase3_ms"}

#: PerfSummary attribute -> property, for the plain one-to-one fields.
SCALAR_PROPERTIES: dict[str, str] = {
    "captureAvgMs": "capture_avg_ms",
    "captureP50Ms": "capture_p50_ms",
    "capturePeakMs": "capture_peak_ms",
    "compositionWidth": "composition_width",
    "compositionHeight": "composition_height",
    "totalFrames": "total_frames",
    "videoCount": "video_count",
    "audioCount": "audio_count",
    "peakRssMb": "peak_memory_mb",
    "memoryFreeMb": "memory_free_mb",
    "tmpPeakBytes": "tmp_peak_bytes",
    "totalElapsedMs": "duration_ms",
    "fps": "fps",
    "workers": "workers",
}

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case(name: str) -> str:
    """``cacheHits`` -> ``cache_hits``."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def breakdown_property(field_name: str) -> str:
    return BREAKDOWN_RENAMES.get(field_name, f"extract_{snake_case(field_name)}")


def normalize_source(source: str) -> str:
    return source if source in SOURCES else "unknown"


def summary_to_properties(summary: PerfSummary, source: str = "cli") -> dict[str, Any]:
    """Event properties for a finished (or partly finished) render."""
    props: dict[str, Any] = {"source": normalize_source(source)}
    for attr, prop in SCALAR_PROPERTIES.items():
        props[prop] = _number(getattr(summary, attr, None))
    for key, prop in STAGE_PROPERTIES.items():
        if key in summary.stages:
            props[prop] = _number(summary.stages[key])
    props.update(_breakdown_properties(summary.videoExtractBreakdown))
    props["composition_duration_ms"] = _number(summary.compositionDurationSeconds * 1000.0)
    props["speed_ratio"] = _speed_ratio(summary)
    props["quality"] = _label(summary.quality)
    props["format"] = _label(summary.format)
    resolution = summary.resolution or {}
    props["output_width"] = _number(resolution.get("width"))
    props["output_height"] = _number(resolution.get("height"))
    if getattr(summary, "farmChunks", 0):
        # counts only: never the farm's address, hosts or worker names
        props["farm"] = True
        props["chunks"] = _number(summary.farmChunks)
        props["farm_workers"] = _number(summary.farmWorkers)
    return props


def _breakdown_properties(breakdown: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(breakdown) and not isinstance(breakdown, type):
        values: Mapping[str, Any] = {
            f.name: getattr(breakdown, f.name) for f in dataclasses.fields(breakdown)
        }
    elif isinstance(breakdown, Mapping):
        values = breakdown
    else:
        return {}
    return {breakdown_property(str(name)): _number(value) for name, value in values.items()}


def _speed_ratio(summary: PerfSummary) -> float:
    """``PerfSummary.speed_ratio`` (0 for zero elapsed), also 0 when it is not finite."""
    try:
        ratio = _number(float(summary.speed_ratio))
    except (TypeError, ValueError, ZeroDivisionError):
        return 0.0
    return round(ratio, 4) if ratio is not None else 0.0


def _number(value: Any) -> int | float | None:
    """A JSON-safe number: ints stay ints, floats are rounded, NaN/inf/non-numbers -> None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value, 3) if math.isfinite(value) else None
    return None


def _label(value: Any) -> str | None:
    """Short enum-like labels only (quality, format); anything path-like is dropped."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_\-]{1,32}", value):
        return None
    return value
