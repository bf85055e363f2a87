"""One render on a pool thread: a render backend (this computer's engine or the render farm,
through the same ``RenderBackend`` interface) run through ``ui/background.py``.

The backend starts and supervises its own processes (here or on the farm's workers); this
job only runs it off the GUI thread, turns its callbacks into reports for the GUI thread
(throttled, so a fast render cannot flood the event loop) and forwards cancel().
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from hyperframes_desktop.project import ProjectError
from hyperframes_desktop.render import (
    Progress,
    RenderCancelled,
    RenderError,
    RenderOptions,
    RenderResult,
)
from hyperframes_desktop.render.backends import backend_for
from hyperframes_desktop.render.farm.progress import FarmProgress
from hyperframes_desktop.render.farm.settings import FarmSettings
from hyperframes_desktop.render.incremental.warm_pool import WarmPool
from hyperframes_desktop.ui.background import Reporter

_PROGRESS_INTERVAL_S = 0.1


@dataclass(frozen=True)
class Failure:
    stage: str
    message: str  # a sentence for the job row
    elapsed_ms: float
    error: BaseException


class RenderJob:
    """Sends ``progress`` (Progress; FarmProgress on the farm), then one of ``succeeded``
    (RenderResult), ``failed`` (Failure) or ``cancelled``."""

    def __init__(
        self,
        options: RenderOptions,
        farm: FarmSettings | None = None,
        warm_pool: WarmPool | None = None,
    ) -> None:
        self.options = options
        self.backend = backend_for(farm, warm_pool)
        self.stage = "compile"
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self._last_status = ""
        self._last_chunks: tuple[int, ...] = ()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Safe from any thread, before or during run()."""
        self._cancel.set()

    def run(self, report: Reporter) -> None:
        if self._cancel.is_set():
            report.send("cancelled")
            return
        try:
            result: RenderResult = self.backend.render(
                self.options, lambda progress: self._on_progress(progress, report), self._cancel
            )
        except RenderCancelled:
            report.send("cancelled")
        except (ProjectError, RenderError) as exc:
            stage = exc.stage if isinstance(exc, RenderError) else "compile"
            self._fail(report, stage, str(exc), exc)
        except Exception as exc:  # a bug: still end the job in words, never hang the row
            self._fail(report, self.stage, f"Unexpected error ({type(exc).__name__}): {exc}", exc)
        else:
            report.send("succeeded", result)

    def _fail(self, report: Reporter, stage: str, message: str, exc: BaseException) -> None:
        if self._cancel.is_set():
            report.send("cancelled")
            return
        report.send("failed", Failure(stage, message, self.backend.elapsed_ms(), exc))

    def _on_progress(self, progress: Progress, report: Reporter) -> None:
        self.stage = progress.stage or self.stage
        now = time.monotonic()
        changed = progress.status != self._last_status or self._chunks_changed(progress)
        if changed or now - self._last_emit >= _PROGRESS_INTERVAL_S:
            self._last_emit = now
            self._last_status = progress.status
            report.send("progress", progress)

    def _chunks_changed(self, progress: Progress) -> bool:
        """A chunk finished, was retried or a worker was blocklisted: always shown."""
        if not isinstance(progress, FarmProgress):
            return False
        counts = (progress.chunks_done, progress.retries, progress.blocklisted)
        changed, self._last_chunks = counts != self._last_chunks, counts
        return changed
