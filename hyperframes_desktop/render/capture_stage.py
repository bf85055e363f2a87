"""Capture ∥ encode: start the workers, follow their progress, turn failures into sentences."""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hyperframes_desktop.render.capture_process import ChunkProcess, ChunkState
from hyperframes_desktop.render.compile import CompiledPage
from hyperframes_desktop.render.formats import FormatSpec
from hyperframes_desktop.render.options import Progress, RenderCancelled, RenderError
from hyperframes_desktop.render.output import OutputSize

#: A worker that says nothing for this long is considered hung and stopped.
SILENCE_LIMIT_S = 45.0
#: Chunks smaller than this are not worth a second browser start-up.
MIN_FRAMES_PER_WORKER = 45
VIEWS_PER_WORKER = int(os.environ.get("HYPERFRAMES_CAPTURE_VIEWS", "2") or 2)


def auto_workers(frames: int) -> int:
    cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4, frames // MIN_FRAMES_PER_WORKER))


@dataclass
class CaptureOutcome:
    chunks: list[Path]
    workers: int
    frame_ms: list[float] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)


@dataclass
class CaptureRequest:
    page: CompiledPage
    spec: FormatSpec
    quality: str
    size: OutputSize
    scratch: Path
    partial: Path
    workers: int | None


def capture_and_encode(
    req: CaptureRequest,
    cancel: threading.Event,
    emit: Callable[[Progress], None],
    elapsed: Callable[[], float],
) -> CaptureOutcome:
    total = req.page.frame_count
    workers = max(1, min(req.workers or auto_workers(total), total))
    bounds = [round(i * total / workers) for i in range(workers + 1)]
    events: queue.Queue = queue.Queue()
    procs: list[ChunkProcess] = []
    for i in range(workers):
        out = (
            req.partial
            if req.spec.is_folder
            else req.scratch / f"chunk-{i:02d}{req.spec.chunk_extension}"
        )
        state = ChunkState(index=i, first=bounds[i], end=bounds[i + 1], output=out)
        procs.append(
            ChunkProcess(state, req.page, req.spec, req.quality, req.size, req.scratch, events,
                         VIEWS_PER_WORKER)
        )  # fmt: skip
    t_capture = time.monotonic()
    try:
        for proc in procs:
            proc.start()
        capture_end = _supervise(procs, events, total, cancel, emit, elapsed, t_capture)
        emit(Progress("encode", "encoding", total, total, 0.0, None, elapsed()))
        for proc in procs:
            _wait_ffmpeg(proc, cancel)
    except BaseException:
        for proc in procs:
            proc.stop()
        raise
    encode_end = max((p.encode_end or time.monotonic()) for p in procs)
    setup = max(p.state.setup_ms for p in procs)
    capture_ms = (capture_end - t_capture) * 1000.0
    return CaptureOutcome(
        chunks=[p.state.output for p in procs],
        workers=workers,
        frame_ms=[ms for p in procs for ms in p.state.frame_ms],
        stages={
            "captureMs": capture_ms,
            "captureSetupMs": setup,
            "captureFrameMs": max(0.0, capture_ms - setup),
            "encodeMs": (encode_end - t_capture) * 1000.0,
        },
    )


def _supervise(
    procs: list[ChunkProcess],
    events: queue.Queue,
    total: int,
    cancel: threading.Event,
    emit: Callable[[Progress], None],
    elapsed: Callable[[], float],
    t_capture: float,
) -> float:
    """Follow the workers until every frame is captured; returns the time capture ended.

    A worker's set-up time runs from its launch (process start, Qt and Chromium start-up,
    page load, fonts and timelines ready) to its first "ready" message.
    """
    t_frames = time.monotonic()
    while not all(p.state.finished for p in procs):
        if cancel.is_set():
            raise RenderCancelled()
        try:
            index, message = events.get(timeout=0.1)
        except queue.Empty:
            _check_silence(procs)
            continue
        proc = procs[index]
        state = proc.state
        state.last_message_at = time.monotonic()
        kind = message.get("event")
        if kind == "ready":
            state.ready = True
            state.setup_ms = (time.monotonic() - t_capture) * 1000.0
            if all(p.state.ready for p in procs):
                t_frames = time.monotonic()
        elif kind == "progress":
            state.done = int(message.get("done", state.done))
            state.frame_ms.extend(message.get("frame_ms", []))
            done = sum(p.state.done for p in procs)
            rate = done / max(1e-6, time.monotonic() - t_frames)
            eta = (total - done) / rate if rate > 0 else None
            emit(Progress("capture", "rendering", done, total, rate, eta, elapsed()))
        elif kind == "done":
            state.finished = True
        elif kind == "error":
            state.error = (message.get("stage", "capture"), message.get("message", ""))
        elif kind == "exit" and not state.finished:
            raise _worker_failure(proc)
        elif kind == "ffmpeg-exit" and not state.finished and proc.ffmpeg.returncode != 0:
            raise _ffmpeg_failure(proc)
    return time.monotonic()


def _check_silence(procs: list[ChunkProcess]) -> None:
    now = time.monotonic()
    for proc in procs:
        if not proc.state.finished and now - proc.state.last_message_at > SILENCE_LIMIT_S:
            raise RenderError(
                "The capture process stopped responding (the composition may be stuck in an "
                "endless script). Check the composition's scripts and try again.",
                stage="capture",
            )


def _worker_failure(proc: ChunkProcess) -> RenderError:
    if proc.state.error:
        stage, message = proc.state.error
        if stage == "encode" and proc.ffmpeg is not None:
            with contextlib.suppress(Exception):
                proc.ffmpeg.wait(timeout=5)
            return _ffmpeg_failure(proc)
        return RenderError(message, stage=stage)
    if proc.worker is not None:
        with contextlib.suppress(Exception):
            proc.worker.wait(timeout=5)
    code = proc.worker.returncode if proc.worker is not None else None
    tail = proc.worker_stderr.decode(errors="replace").strip().splitlines()[-3:]
    detail = f" Last output: {' | '.join(tail)}" if tail else ""
    return RenderError(
        f"The capture process exited unexpectedly (exit code {code}).{detail}", stage="capture"
    )


def _ffmpeg_failure(proc: ChunkProcess) -> RenderError:
    tail = proc.ffmpeg_stderr.decode(errors="replace").strip().splitlines()[-3:]
    code = proc.ffmpeg.returncode if proc.ffmpeg is not None else None
    return RenderError(
        f"FFmpeg failed while encoding (exit code {code}): {' | '.join(tail) or 'no output'}",
        stage="encode",
    )


def _wait_ffmpeg(proc: ChunkProcess, cancel: threading.Event) -> None:
    assert proc.ffmpeg is not None
    while proc.ffmpeg.poll() is None:
        if cancel.is_set():
            raise RenderCancelled()
        with contextlib.suppress(Exception):
            proc.ffmpeg.wait(timeout=0.1)
    if proc.encode_end is None:
        proc.encode_end = time.monotonic()
    if proc.ffmpeg.returncode != 0:
        raise _ffmpeg_failure(proc)
