"""The event taxonomy: pinned names and one helper per event.

Helpers never raise and return whether the event was queued. They only send what they
build themselves (numbers, short labels, redacted text), never caller-supplied paths.
"""

from __future__ import annotations

import logging
import re
import threading
from os import PathLike
from typing import Any

from hyperframes_desktop.render.perf import PerfSummary
from hyperframes_desktop.telemetry.client import TelemetryClient, get_client
from hyperframes_desktop.telemetry.perf_mapping import normalize_source, summary_to_properties
from hyperframes_desktop.telemetry.redact import redact_text

log = logging.getLogger(__name__)

RENDER_COMPLETE = "render_complete"
RENDER_ERROR = "render_error"
STUDIO_SESSION_START = "studio_session_start"
STUDIO_RENDER_START = "studio_render_start"
EVENT_NAMES = (RENDER_COMPLETE, RENDER_ERROR, STUDIO_SESSION_START, STUDIO_RENDER_START)

_LABEL = re.compile(r"[A-Za-z0-9_\-]{1,32}")
_session_lock = threading.Lock()
_session_started = False


def track_render_complete(
    summary: PerfSummary, source: str = "cli", *, client: TelemetryClient | None = None
) -> bool:
    """``render_complete`` with every mapped perf field."""
    try:
        props = summary_to_properties(summary, source)
    except Exception:
        log.debug("render_complete mapping failed", exc_info=True)
        return False
    return _track(client, RENDER_COMPLETE, props)


def track_render_error(
    failed_stage: str,
    elapsed_ms: float,
    error: BaseException | str,
    source: str = "cli",
    summary: PerfSummary | None = None,
    *,
    fps: float | None = None,
    quality: str | None = None,
    format: str | None = None,
    workers: int | None = None,
    client: TelemetryClient | None = None,
) -> bool:
    """``render_error``: the failed stage, elapsed time and a redacted error message.

    ``summary`` (what the engine measured before failing) adds the mapped perf fields;
    ``fps``/``quality``/``format``/``workers`` fill in what a failure before the summary
    existed still knows.
    """
    try:
        props: dict[str, Any] = {}
        if summary is not None:
            props.update(summary_to_properties(summary, source))
        for key, value in (("fps", fps), ("workers", workers)):
            if isinstance(value, int | float) and not isinstance(value, bool):
                props[key] = value
        for key, value in (("quality", quality), ("format", format)):
            if value is not None:
                props[key] = _label(value)
        props["source"] = normalize_source(source)
        props["failed_stage"] = _label(failed_stage) or "unknown"
        props["elapsed_ms"] = round(float(elapsed_ms), 3)
        props["error_type"] = type(error).__name__ if isinstance(error, BaseException) else None
        props["error_message"] = redact_text(_error_text(error))
    except Exception:
        log.debug("render_error properties failed", exc_info=True)
        return False
    return _track(client, RENDER_ERROR, props)


def track_studio_session_start(has_project: bool, *, client: TelemetryClient | None = None) -> bool:
    """``studio_session_start``, at most once per process (re-created windows do not count)."""
    global _session_started
    with _session_lock:
        if _session_started:
            return False
        _session_started = True
    return _track(client, STUDIO_SESSION_START, {"has_project": bool(has_project)})


def track_studio_render_start(
    fps: float,
    quality: str,
    format: str,
    resolution: tuple[int, int],
    composition: str | PathLike[str] | None,
    *,
    client: TelemetryClient | None = None,
) -> bool:
    """``studio_render_start``, fired as the user starts a render.

    ``composition`` is reduced to a category: ``"index"`` when it is the project's root
    ``index.html``, otherwise ``"other"`` - never its path, name or contents.
    """
    try:
        width, height = (int(v) for v in resolution)
        props = {
            "source": "studio",
            "fps": fps if isinstance(fps, int | float) and not isinstance(fps, bool) else None,
            "quality": _label(quality),
            "format": _label(format),
            "resolution": f"{width}x{height}",
            "composition": composition_category(composition),
        }
    except Exception:
        log.debug("studio_render_start properties failed", exc_info=True)
        return False
    return _track(client, STUDIO_RENDER_START, props)


def composition_category(composition: str | PathLike[str] | None) -> str:
    """``"index"`` if the file's name without extension is ``index``, else ``"other"``."""
    if composition is None:
        return "other"
    name = re.split(r"[\\/]", str(composition))[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return "index" if stem.lower() == "index" else "other"


def _track(client: TelemetryClient | None, event: str, props: dict[str, Any]) -> bool:
    try:
        return (client or get_client()).track(event, props)
    except Exception:
        return False


def _label(value: Any) -> str | None:
    """Enum-like strings only: anything else (a path, a sentence) is dropped."""
    text = str(value)
    return text if _LABEL.fullmatch(text) else None


def _error_text(error: BaseException | str) -> str:
    if isinstance(error, BaseException):
        text = str(error)
        return text or type(error).__name__
    return str(error)


def _reset_session_guard_for_tests() -> None:
    global _session_started
    with _session_lock:
        _session_started = False
