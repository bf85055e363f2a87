"""The render engine: compile → (video extract, audio) → capture ∥ encode → assemble.

``RenderJob(options, on_progress).run()`` blocks and returns a ``RenderResult``; ``cancel()``
may be called from any thread. Qt-free: widgets subscribe through ``on_progress``.
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

from hyperframes_desktop.project import Composition, load_composition
from hyperframes_desktop.render import tools
from hyperframes_desktop.render.capture_process import ChunkProcess, ChunkState
from hyperframes_desktop.render.compile import CompiledPage, compile_page
from hyperframes_desktop.render.encoders import concat_command, concat_list
from hyperframes_desktop.render.options import (
    FORMAT_EXTENSIONS,
    Progress,
    RenderCancelled,
    RenderError,
    RenderOptions,
)
from hyperframes_desktop.render.output import plan_output, validate_options
from hyperframes_desktop.render.perf import PerfSummary
from hyperframes_desktop.render.processes import ResourceSampler

ProgressCallback = Callable[[Progress], None]

#: A worker that says nothing for this long is considered hung and stopped.
_SILENCE_LIMIT_S = 45.0
#: Chunks smaller than this are not worth a second browser start-up.
_MIN_FRAMES_PER_WORKER = 45
_VIEWS_PER_WORKER = int(os.environ.get("HYPERFRAMES_CAPTURE_VIEWS", "2") or 2)


@dataclass
class RenderResult:
    output: Path
    perf: PerfSummary
    composition: Composition


def auto_workers(frames: int) -> int:
    cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4, frames // _MIN_FRAMES_PER_WORKER))


class RenderJob:
    def __init__(self, options: RenderOptions, on_progress: ProgressCallback | None = None):
        self.options = options
        self._on_progress = on_progress
        self._cancel = threading.Event()
        self._started = 0.0
        self.stage = "compile"
        self.render_id = uuid.uuid4().hex[:12]

    # ---- public -----------------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def elapsed_ms(self) -> float:
        return (time.monotonic() - self._started) * 1000.0 if self._started else 0.0

    def run(self) -> RenderResult:
        self._started = time.monotonic()
        stages: dict[str, float] = {}
        scratch = Path(tempfile.mkdtemp(prefix="hf-render-"))
        sampler = ResourceSampler(scratch)
        sampler.start()
        partial: Path | None = None
        try:
            self._set_stage("compile", "preprocessing", 0, 0)
            t0 = time.monotonic()
            validate_options(self.options)
            comp = load_composition(self.options.project, self.options.composition)
            fps = self.options.fps or comp.fps
            final, partial = plan_output(self.options, comp)
            if missing := tools.ffmpeg_available():
                raise RenderError(missing, stage="compile")
            page = compile_page(comp, scratch / "page", fps=fps)
            stages["compileMs"] = _ms(t0)
            stages["videoExtractMs"] = 0.0
            stages["audioProcessMs"] = 0.0
            self._check_cancel()

            chunks, capture_info = self._capture_and_encode(page, scratch, partial, stages)
            self._check_cancel()

            self._set_stage("assemble", "assembling", page.frame_count, page.frame_count)
            t0 = time.monotonic()
            if len(chunks) > 1:
                self._assemble(chunks, scratch, partial)
            stages["assembleMs"] = _ms(t0)
            self._check_cancel()
            if not partial.is_file() or partial.stat().st_size == 0:
                raise RenderError("FFmpeg finished but wrote no video.", stage="assemble")
            os.replace(partial, final)
            partial = None
            sampler.stop()
            perf = self._summary(comp, page, stages, capture_info, sampler, final)
            self._set_stage("assemble", "complete", page.frame_count, page.frame_count)
            return RenderResult(output=final, perf=perf, composition=comp)
        except RenderCancelled:
            self._emit_status("cancelled")
            raise
        finally:
            sampler.stop()
            if partial is not None:
                with contextlib.suppress(OSError):
                    partial.unlink()
            shutil.rmtree(scratch, ignore_errors=True)

    # ---- stages -----------------------------------------------------------------------
    def _capture_and_encode(
        self, page: CompiledPage, scratch: Path, partial: Path, stages: dict[str, float]
    ) -> tuple[list[Path], dict]:
        total = page.frame_count
        workers = self.options.workers or auto_workers(total)
        workers = max(1, min(workers, total))
        bounds = [round(i * total / workers) for i in range(workers + 1)]
        events: queue.Queue = queue.Queue()
        procs: list[ChunkProcess] = []
        for i in range(workers):
            out = partial if workers == 1 else scratch / f"chunk-{i:02d}.mp4"
            state = ChunkState(index=i, first=bounds[i], end=bounds[i + 1], output=out)
            procs.append(
                ChunkProcess(state, page, self.options.quality, scratch, events, _VIEWS_PER_WORKER)
            )
        self._set_stage("capture", "rendering", 0, total)
        t_capture = time.monotonic()
        try:
            for proc in procs:
                proc.start()
            capture_end = self._supervise(procs, events, total)
            self._set_stage("encode", "encoding", total, total)
            for proc in procs:
                self._wait_ffmpeg(proc)
        except BaseException:
            for proc in procs:
                proc.stop()
            raise
        encode_end = max((p.encode_end or time.monotonic()) for p in procs)
        setup = max(p.state.setup_ms for p in procs)
        stages["captureMs"] = (capture_end - t_capture) * 1000.0
        stages["captureSetupMs"] = setup
        stages["captureFrameMs"] = max(0.0, stages["captureMs"] - setup)
        stages["encodeMs"] = (encode_end - t_capture) * 1000.0
        frame_ms = [ms for p in procs for ms in p.state.frame_ms]
        return [p.state.output for p in procs], {"frame_ms": frame_ms, "workers": workers}

    def _supervise(self, procs: list[ChunkProcess], events: queue.Queue, total: int) -> float:
        """Follow the workers until every frame is captured; returns the time capture ended."""
        t_frames = time.monotonic()
        while not all(p.state.finished for p in procs):
            if self._cancel.is_set():
                raise RenderCancelled()
            try:
                index, message = events.get(timeout=0.1)
            except queue.Empty:
                self._check_silence(procs)
                continue
            proc = procs[index]
            state = proc.state
            state.last_message_at = time.monotonic()
            kind = message.get("event")
            if kind == "ready":
                state.ready = True
                state.setup_ms = float(message.get("setup_ms", 0.0))
                if all(p.state.ready for p in procs):
                    t_frames = time.monotonic()
            elif kind == "progress":
                state.done = int(message.get("done", state.done))
                state.frame_ms.extend(message.get("frame_ms", []))
                done = sum(p.state.done for p in procs)
                rate = done / max(1e-6, time.monotonic() - t_frames)
                eta = (total - done) / rate if rate > 0 else None
                self._emit(Progress("capture", "rendering", done, total, rate, eta, self._el()))
            elif kind == "done":
                state.finished = True
            elif kind == "error":
                state.error = (message.get("stage", "capture"), message.get("message", ""))
            elif kind == "exit" and not state.finished:
                raise self._worker_failure(proc)
            elif kind == "ffmpeg-exit" and not state.finished and proc.ffmpeg.returncode != 0:
                raise self._ffmpeg_failure(proc)
        return time.monotonic()

    def _check_silence(self, procs: list[ChunkProcess]) -> None:
        now = time.monotonic()
        for proc in procs:
            if not proc.state.finished and now - proc.state.last_message_at > _SILENCE_LIMIT_S:
                raise RenderError(
                    "The capture process stopped responding (the composition may be stuck in "
                    "an endless script). Check the composition's scripts and try again.",
                    stage="capture",
                )

    def _worker_failure(self, proc: ChunkProcess) -> RenderError:
        if proc.state.error:
            stage, message = proc.state.error
            if stage == "encode" and proc.ffmpeg is not None:
                with contextlib.suppress(Exception):
                    proc.ffmpeg.wait(timeout=5)
                return self._ffmpeg_failure(proc)
            return RenderError(message, stage=stage)
        if proc.worker is not None:
            with contextlib.suppress(Exception):
                proc.worker.wait(timeout=5)
        code = proc.worker.returncode if proc.worker is not None else None
        tail = proc.worker_stderr.decode(errors="replace").strip().splitlines()[-3:]
        detail = f" Last output: {' | '.join(tail)}" if tail else ""
        return RenderError(
            f"The capture process exited unexpectedly (exit code {code}).{detail}",
            stage="capture",
        )

    def _ffmpeg_failure(self, proc: ChunkProcess) -> RenderError:
        tail = proc.ffmpeg_stderr.decode(errors="replace").strip().splitlines()[-3:]
        code = proc.ffmpeg.returncode if proc.ffmpeg is not None else None
        return RenderError(
            f"FFmpeg failed while encoding (exit code {code}): {' | '.join(tail) or 'no output'}",
            stage="encode",
        )

    def _wait_ffmpeg(self, proc: ChunkProcess) -> None:
        assert proc.ffmpeg is not None
        while proc.ffmpeg.poll() is None:
            if self._cancel.is_set():
                raise RenderCancelled()
            with contextlib.suppress(Exception):
                proc.ffmpeg.wait(timeout=0.1)
        if proc.encode_end is None:
            proc.encode_end = time.monotonic()
        if proc.ffmpeg.returncode != 0:
            raise self._ffmpeg_failure(proc)

    def _assemble(self, chunks: list[Path], scratch: Path, partial: Path) -> None:
        list_file = scratch / "chunks.txt"
        list_file.write_text(concat_list(chunks), encoding="utf-8")
        result = tools.run_tool(
            "ffmpeg", concat_command("ffmpeg", list_file, partial)[1:], timeout=600
        )
        if result.returncode != 0:
            tail = " | ".join(result.stderr.strip().splitlines()[-3:])
            raise RenderError(f"FFmpeg could not join the video parts: {tail}", stage="assemble")

    # ---- reporting --------------------------------------------------------------------
    def _summary(
        self,
        comp: Composition,
        page: CompiledPage,
        stages: dict[str, float],
        capture: dict,
        sampler: ResourceSampler,
        output: Path,
    ) -> PerfSummary:
        frame_ms: list[float] = capture["frame_ms"]
        return PerfSummary(
            renderId=self.render_id,
            totalElapsedMs=self.elapsed_ms(),
            fps=float(page.fps),
            quality=self.options.quality,
            format=self.options.format,
            workers=capture["workers"],
            compositionDurationSeconds=comp.duration,
            totalFrames=page.frame_count,
            resolution={"width": page.width, "height": page.height},
            compositionWidth=comp.width,
            compositionHeight=comp.height,
            videoCount=sum(1 for m in comp.media if m.tag == "video"),
            audioCount=sum(1 for m in comp.media if m.tag == "audio"),
            stages={k: round(v, 1) for k, v in stages.items()},
            captureAvgMs=round(statistics.fmean(frame_ms), 2) if frame_ms else 0.0,
            captureP50Ms=round(statistics.median(frame_ms), 2) if frame_ms else 0.0,
            capturePeakMs=round(max(frame_ms), 2) if frame_ms else 0.0,
            peakRssMb=round(sampler.peak_rss / 2**20, 1),
            memoryFreeMb=round(psutil.virtual_memory().available / 2**20, 1),
            tmpPeakBytes=sampler.peak_tmp,
            outputBytes=output.stat().st_size,
        )

    def _el(self) -> float:
        return time.monotonic() - self._started

    def _set_stage(self, stage: str, status: str, done: int, total: int) -> None:
        self.stage = stage
        self._emit(Progress(stage, status, done, total, 0.0, None, self._el()))

    def _emit_status(self, status: str) -> None:
        self._emit(Progress(self.stage, status, 0, 0, 0.0, None, self._el()))

    def _emit(self, progress: Progress) -> None:
        if self._on_progress is not None:
            with contextlib.suppress(Exception):  # a UI callback must never break a render
                self._on_progress(progress)

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise RenderCancelled()


def _ms(t0: float) -> float:
    return (time.monotonic() - t0) * 1000.0


__all__ = ["FORMAT_EXTENSIONS", "RenderJob", "RenderResult", "auto_workers"]
