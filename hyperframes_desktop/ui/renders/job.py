"""One render on a pool thread: a QRunnable around the engine's RenderJob.

The engine starts and supervises its own capture and FFmpeg processes; this runnable only
runs it off the GUI thread, turns its callbacks into queued Qt signals (throttled, so a
fast render cannot flood the event loop) and forwards cancel().
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, Signal

from hyperframes_desktop.project import ProjectError
from hyperframes_desktop.render import (
    Progress,
    RenderCancelled,
    RenderError,
    RenderJob,
    RenderOptions,
    RenderResult,
)

_PROGRESS_INTERVAL_S = 0.1


@dataclass(frozen=True)
class Failure:
    stage: str
    message: str  # a sentence for the job row
    elapsed_ms: float
    error: BaseException


class JobSignals(QObject):
    """Lives on the GUI thread; the runnable emits from its pool thread (queued delivery)."""

    progress = Signal(object)  # Progress
    succeeded = Signal(object)  # RenderResult
    failed = Signal(object)  # Failure
    cancelled = Signal()


class RenderRunnable(QRunnable):
    def __init__(self, options: RenderOptions) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the queue keeps it until its last signal arrived
        self.signals = JobSignals()
        self.job = RenderJob(options, self._on_progress)
        self._last_emit = 0.0
        self._last_status = ""

    def cancel(self) -> None:
        """Safe from any thread, before or during run()."""
        self.job.cancel()

    def run(self) -> None:
        try:
            result: RenderResult = self.job.run()
        except RenderCancelled:
            self.signals.cancelled.emit()
        except (ProjectError, RenderError) as exc:
            stage = exc.stage if isinstance(exc, RenderError) else "compile"
            self._fail(stage, str(exc), exc)
        except Exception as exc:  # a bug: still end the job in words, never hang the row
            self._fail(self.job.stage, f"Unexpected error ({type(exc).__name__}): {exc}", exc)
        else:
            self.signals.succeeded.emit(result)

    def _fail(self, stage: str, message: str, exc: BaseException) -> None:
        if self.job.cancelled:
            self.signals.cancelled.emit()
            return
        self.signals.failed.emit(Failure(stage, message, self.job.elapsed_ms(), exc))

    def _on_progress(self, progress: Progress) -> None:
        now = time.monotonic()
        changed = progress.status != self._last_status
        if changed or now - self._last_emit >= _PROGRESS_INTERVAL_S:
            self._last_emit = now
            self._last_status = progress.status
            self.signals.progress.emit(progress)
