"""Anonymous, opt-out telemetry shared by the CLI and the studio (no Qt imports here).

Public API (see each module for details)::

    telemetry_state() -> TelemetryState            # effective state + reason (gates)
    get_client() -> TelemetryClient                # .track(), .flush(timeout), .recent_payloads()
    track_render_complete / track_render_error / track_studio_session_start /
    track_studio_render_start                      # the pinned events
    ensure_cli_notice(stream) / notice_pending() / record_notice_shown() / NOTICE_TEXT
    set_metadata_hook(fn)                          # studio: screen, DPR, language, tz offset
    set_telemetry_enabled(bool)                    # settings dialog / CLI enable|disable
"""

from __future__ import annotations

from hyperframes_desktop.telemetry.client import TelemetryClient, get_client, set_client
from hyperframes_desktop.telemetry.config import (
    ConfigUnavailable,
    config_path,
    load_config,
    set_telemetry_enabled,
    update_config,
)
from hyperframes_desktop.telemetry.events import (
    RENDER_COMPLETE,
    RENDER_ERROR,
    STUDIO_RENDER_START,
    STUDIO_SESSION_START,
    track_render_complete,
    track_render_error,
    track_studio_render_start,
    track_studio_session_start,
)
from hyperframes_desktop.telemetry.gates import TelemetryState, telemetry_state
from hyperframes_desktop.telemetry.metadata import set_metadata_hook
from hyperframes_desktop.telemetry.notice import (
    NOTICE_TEXT,
    ensure_cli_notice,
    notice_pending,
    record_notice_shown,
)

__all__ = [
    "NOTICE_TEXT",
    "RENDER_COMPLETE",
    "RENDER_ERROR",
    "STUDIO_RENDER_START",
    "STUDIO_SESSION_START",
    "ConfigUnavailable",
    "TelemetryClient",
    "TelemetryState",
    "config_path",
    "ensure_cli_notice",
    "get_client",
    "load_config",
    "notice_pending",
    "record_notice_shown",
    "set_client",
    "set_metadata_hook",
    "set_telemetry_enabled",
    "telemetry_state",
    "track_render_complete",
    "track_render_error",
    "track_studio_render_start",
    "track_studio_session_start",
    "update_config",
]
