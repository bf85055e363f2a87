"""Farm failures as sentences. Messages never name the farm, its hosts or its workers
(they may reach telemetry as ``error_message``); ``details`` may, for the user's eyes only."""

from __future__ import annotations

from hyperframes_desktop.render.options import RenderError


class FarmError(RenderError):
    def __init__(self, message: str, stage: str = "farm", details: list[str] | None = None):
        super().__init__(message, stage=stage)
        self.details = list(details or [])
