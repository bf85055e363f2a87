"""The render queue: what is waiting, running and done, and when the next job starts.

GUI-thread object. Jobs wait in our own list and go to the QThreadPool only when a slot is
free, so ``studio_render_start`` is sent (from the GUI thread, where the metadata hook may
read the screen) just before each job really starts, and a queued job cancels instantly.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import deque
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from hyperframes_desktop import telemetry
from hyperframes_desktop.project import CompositionInfo
from hyperframes_desktop.render import Progress, RenderOptions, RenderResult
from hyperframes_desktop.render.farm.progress import FarmProgress
from hyperframes_desktop.render.farm.settings import FarmSettings
from hyperframes_desktop.render.incremental.warm_pool import WarmPool
from hyperframes_desktop.render.options import FORMAT_EXTENSIONS
from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.background import start_task
from hyperframes_desktop.ui.renders.choices import is_folder_format, output_size
from hyperframes_desktop.ui.renders.job import Failure, RenderJob
from hyperframes_desktop.ui.renders.record import ACTIVE, JobRecord
from hyperframes_desktop.ui.store import RenderSettings


class RenderQueue(QObject):
    job_added = Signal(object)  # JobRecord
    job_updated = Signal(object)  # JobRecord
    job_removed = Signal(str)  # job id
    active_changed = Signal(int)  # jobs queued or running

    def __init__(
        self, max_concurrent: int = 1, history_dir: Path | None = None, parent=None
    ) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max(1, max_concurrent))
        self.max_concurrent = max(1, max_concurrent)
        self._history_dir = history_dir
        self.jobs: dict[str, JobRecord] = {}
        self._pending: deque[str] = deque()
        self._running: dict[str, RenderJob] = {}
        self.farm: FarmSettings | None = None  # Preferences → Render farm, when usable
        self.farm_problem: str | None = "No render farm is set up."
        #: capture processes kept warm between this studio's local renders (stopped on quit)
        self.warm_pool = WarmPool()
        for entry in store.load_history(history_dir):
            record = JobRecord.from_history(entry)
            self.jobs[record.job_id] = record

    # ---- queries ----------------------------------------------------------------------
    def active_count(self) -> int:
        return sum(1 for job in self.jobs.values() if job.active)

    def running_count(self) -> int:
        return len(self._running)

    def last_render_seconds(self) -> float | None:
        done = [j for j in self.jobs.values() if j.status == "complete"]
        return max(done, key=lambda j: j.finished_at).elapsed_s if done else None

    # ---- commands ---------------------------------------------------------------------
    def submit(
        self,
        project: Path,
        info: CompositionInfo,
        settings: RenderSettings,
        frames: tuple[int, int] | None = None,
        variables: dict | None = None,
    ) -> JobRecord:
        """Queue a render; ``frames`` (0-based, inclusive) renders only that range,
        ``variables`` are values for the composition's variables."""
        label = _label(info, project)
        if frames is not None:
            label += f" (frames {frames[0]}–{frames[1]})"
        if variables:
            label += f" ({', '.join(f'{k}={json.dumps(v)}' for k, v in variables.items())})"
        record = JobRecord(
            job_id=uuid.uuid4().hex[:12],
            project=project,
            composition=info.path,
            label=label,
            settings=settings.sanitized(),
            fps=float(settings.fps or info.fps or 30),
            frames=frames,
            farm=settings.run_on == "farm",
            variables=dict(variables) if variables else None,
        )
        record.width, record.height = output_size(
            info.width or 0, info.height or 0, record.settings.resolution
        )
        self.jobs[record.job_id] = record
        self._pending.append(record.job_id)
        self.job_added.emit(record)
        self._schedule()
        self.active_changed.emit(self.active_count())
        return record

    def set_farm(self, farm: FarmSettings | None, problem: str | None = None) -> None:
        """Where farm jobs go from now on; ``problem`` says why they cannot (farm None)."""
        self.farm = farm
        self.farm_problem = problem if farm is None else None

    def retry_failed_chunks(self, job_id: str) -> None:
        """Run a failed farm job again, reusing the chunks that finished (resume)."""
        record = self.jobs.get(job_id)
        if record is None or record.status != "failed" or not record.farm:
            return
        record.resume = True
        record.status, record.stage, record.error, record.error_details = "queued", "", "", []
        record.frames_done, record.eta_s, record.finished_at = 0, None, 0.0
        record.chunks = None  # the new run reports how many chunks it reused
        self._pending.append(job_id)
        self._save_history()
        self.job_updated.emit(record)
        self._schedule()
        self.active_changed.emit(self.active_count())

    def cancel(self, job_id: str) -> None:
        record = self.jobs.get(job_id)
        if record is None or not record.active:
            return
        job = self._running.get(job_id)
        if job is not None:
            job.cancel()  # the job ends in cancelled() once its processes are gone
            record.stage = record.stage or "compile"
            self.job_updated.emit(record)
            return
        if job_id in self._pending:
            self._pending.remove(job_id)
        self._finish(record, "cancelled")

    def cancel_all(self) -> None:
        for job_id in list(self._pending):
            self.cancel(job_id)
        for job in list(self._running.values()):
            job.cancel()

    def wait_for_idle(self, timeout_ms: int) -> bool:
        """Block until every running render has returned (used when quitting)."""
        return self.pool.waitForDone(timeout_ms)

    def stop_warm_processes(self) -> None:
        """Stop the capture processes kept warm between renders (when quitting)."""
        self.warm_pool.stop()

    def remove(self, job_id: str) -> None:
        record = self.jobs.get(job_id)
        if record is None or record.active:
            return
        del self.jobs[job_id]
        self._save_history()
        self.job_removed.emit(job_id)

    def set_max_concurrent(self, count: int) -> None:
        self.max_concurrent = max(1, int(count))
        self.pool.setMaxThreadCount(self.max_concurrent)
        self._schedule()

    # ---- scheduling -------------------------------------------------------------------
    def _schedule(self) -> None:
        while self._pending and len(self._running) < self.max_concurrent:
            self._start(self.jobs[self._pending.popleft()])

    def _start(self, record: JobRecord) -> None:
        settings = record.settings
        if record.farm and self.farm is None:
            record.error = self.farm_problem or "No render farm is set up."
            self._finish(record, "failed")
            return
        record.output = self._plan_output(record)
        options = RenderOptions(
            project=record.project,
            composition=str(record.composition),
            output=record.output,
            fps=Fraction(settings.fps) if settings.fps else None,
            quality=settings.quality,
            format=settings.format,
            resolution=settings.resolution,
            frames=record.frames,
            variables=record.variables,
            offline=not store.load_settings().download_resources,
            cache=True,  # a re-render after an edit captures only the chunks that changed
        )
        farm = replace(self.farm, resume=record.resume) if record.farm and self.farm else None
        job = RenderJob(options, farm, self.warm_pool)
        self._running[record.job_id] = job
        record.status, record.stage = "preprocessing", "compile"
        self.job_updated.emit(record)
        telemetry.track_studio_render_start(
            record.fps,
            settings.quality,
            settings.format,
            (record.width, record.height),
            record.composition,
        )
        start_task(
            job.run,
            context=self,
            pool=self.pool,
            progress=self._progress_slot(record),
            succeeded=self._success_slot(record),
            failed=self._failure_slot(record),
            cancelled=self._cancel_slot(record),
        )

    def _plan_output(self, record: JobRecord) -> Path:
        """A free file name (``id.mp4``, ``id-2.mp4``…): a new render never overwrites."""
        folder = Path(record.settings.output_folder or record.project / "renders").expanduser()
        ext = FORMAT_EXTENSIONS[record.settings.format]
        stem = record.composition.stem
        if record.frames is not None:
            stem += f"_frames{record.frames[0]}-{record.frames[1]}"  # a range render says so
        if is_folder_format(record.settings.format):
            stem += "_frames"  # a PNG sequence is a folder
        taken = {j.output for j in self.jobs.values() if j.active and j.output}
        candidate, n = folder / f"{stem}{ext}", 1
        while candidate.exists() or candidate in taken:
            n += 1
            candidate = folder / f"{stem}-{n}{ext}"
        return candidate

    # ---- results (GUI thread, via the task's reports) -----------------------------------
    def _progress_slot(self, record: JobRecord):
        def on_progress(progress: Progress) -> None:
            if not record.active:
                return
            record.status = progress.status if progress.status in ACTIVE else record.status
            record.stage = progress.stage
            if progress.frames_total:
                record.frames_done = progress.frames_done
                record.frames_total = progress.frames_total
            record.capture_fps = progress.fps or record.capture_fps
            record.eta_s = progress.eta_s
            record.elapsed_s = progress.elapsed_s
            if isinstance(progress, FarmProgress) and progress.chunks_total:
                record.chunks = progress
            self.job_updated.emit(record)

        return on_progress

    def _success_slot(self, record: JobRecord):
        def on_success(result: RenderResult) -> None:
            record.output = result.output
            record.fetched_urls = list(getattr(result, "fetched_urls", []))
            record.elapsed_s = result.perf.totalElapsedMs / 1000.0
            record.frames_done = record.frames_total = result.perf.totalFrames
            record.eta_s = None
            if result.perf.farmChunks:
                record.chunks = _final_chunks(record.chunks, result)
            telemetry.track_render_complete(result.perf, source="studio")
            self._finish(record, "complete")

        return on_success

    def _failure_slot(self, record: JobRecord):
        def on_failure(failure: Failure) -> None:
            record.stage = failure.stage
            record.error = failure.message
            record.error_details = list(getattr(failure.error, "details", None) or [])
            record.elapsed_s = failure.elapsed_ms / 1000.0
            settings = record.settings
            telemetry.track_render_error(
                failure.stage,
                failure.elapsed_ms,
                failure.error,
                source="studio",
                fps=record.fps,
                quality=settings.quality,
                format=settings.format,
            )
            self._finish(record, "failed")

        return on_failure

    def _cancel_slot(self, record: JobRecord):
        def on_cancel() -> None:
            self._finish(record, "cancelled")

        return on_cancel

    def _finish(self, record: JobRecord, status: str) -> None:
        record.status = status
        record.finished_at = time.time()
        record.eta_s = None
        if status != "complete":
            record.output = None
        self._running.pop(record.job_id, None)
        self._save_history()
        self.job_updated.emit(record)
        self.active_changed.emit(self.active_count())
        self._schedule()

    def _save_history(self) -> None:
        finished = [j.to_history() for j in self.jobs.values() if not j.active]
        store.save_history(finished, self._history_dir)


def _label(info: CompositionInfo, project: Path) -> str:
    try:
        return str(info.path.relative_to(project))
    except ValueError:
        return info.path.name


def _final_chunks(last: FarmProgress | None, result: RenderResult) -> FarmProgress:
    """The chunk picture of a finished farm render, from its summary."""
    perf = result.perf
    return FarmProgress(
        "assemble",
        "complete",
        perf.totalFrames,
        perf.totalFrames,
        0.0,
        None,
        perf.totalElapsedMs / 1000.0,
        chunks_done=perf.farmChunks,
        chunks_total=perf.farmChunks,
        chunks_reused=perf.farmChunksReused,
        retries=last.retries if last else 0,
        workers_in_use=perf.farmWorkers,
        blocklisted=last.blocklisted if last else 0,
    )
