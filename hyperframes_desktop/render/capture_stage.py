"""Capture ∥ encode: capture workers share the frames out (frame i to worker i % n), one FFmpeg
encodes them in order while they are captured; failures become sentences."""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.capture_process import WorkerProcess, WorkerState
from hyperframes_desktop.render.compile import CompiledPage
from hyperframes_desktop.render.encode_process import ENCODER, EncoderProcess
from hyperframes_desktop.render.encoders import encode_command
from hyperframes_desktop.render.formats import FormatSpec
from hyperframes_desktop.render.options import Progress, RenderCancelled, RenderError
from hyperframes_desktop.render.output import OutputSize

#: A worker that says nothing for this long is considered hung and stopped.
SILENCE_LIMIT_S = 45.0
#: Fewer frames than this per worker are not worth another browser start-up.
MIN_FRAMES_PER_WORKER = 45
VIEWS_PER_WORKER = int(os.environ.get("HYPERFRAMES_CAPTURE_VIEWS", "2") or 2)


def auto_workers(frames: int) -> int:
    cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4, frames // MIN_FRAMES_PER_WORKER))


@dataclass
class CaptureOutcome:
    output: Path  # what the encoder wrote: the video, GIF's intermediate or the PNG folder
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
    audio: Path | None = None
    #: The absolute frames to capture, in order (a step-1 range); None: the whole page.
    frames: range | None = None

    @property
    def frame_range(self) -> range:
        return self.frames if self.frames is not None else range(self.page.frame_count)


def encoded_path(req: CaptureRequest) -> Path:
    """Where the encoder writes: the final temp name, except GIF's lossless intermediate."""
    return req.scratch / "frames.mkv" if req.spec.needs_palette_pass else req.partial


def capture_and_encode(
    req: CaptureRequest,
    cancel: threading.Event,
    emit: Callable[[Progress], None],
    elapsed: Callable[[], float],
) -> CaptureOutcome:
    wanted = req.frame_range
    total = len(wanted)
    count = max(1, min(req.workers or auto_workers(total), total))
    events: queue.Queue = queue.Queue()
    workers = [
        WorkerProcess(
            WorkerState(index=i, frames=wanted[i::count]),
            req.page,
            req.size,
            req.spec.alpha,
            req.scratch,
            events,
            VIEWS_PER_WORKER,
        )
        for i in range(count)
    ]
    out = encoded_path(req)
    command = encode_command(
        tools.find_tool("ffmpeg"), req.size.width, req.size.height, req.page.fps, req.spec,
        req.quality, out, req.audio, first_frame=wanted.start, frames=total,
    )  # fmt: skip
    encoder = EncoderProcess(command, req.size.width * req.size.height * 4, total, events)
    t_capture = time.monotonic()
    try:
        for worker in workers:
            worker.start()
        encoder.start([w.frames_fd for w in workers])
        capture_end = _supervise(workers, encoder, events, total, cancel, emit, elapsed, t_capture)
        emit(Progress("encode", "encoding", total, total, 0.0, None, elapsed()))
        _wait_encoder(encoder, workers, cancel)
    except BaseException:
        encoder.stop()
        for worker in workers:
            worker.stop()
        raise
    finally:
        for worker in workers:
            worker.close()
    capture_ms = (capture_end - t_capture) * 1000.0
    setup = max(w.state.setup_ms for w in workers)
    return CaptureOutcome(
        output=out,
        workers=count,
        frame_ms=[ms for w in workers for ms in w.state.frame_ms],
        stages={
            "captureMs": capture_ms,
            "captureSetupMs": setup,
            "captureFrameMs": max(0.0, capture_ms - setup),
            "encodeMs": ((encoder.ended_at or time.monotonic()) - t_capture) * 1000.0,
        },
    )


def _supervise(
    workers: list[WorkerProcess],
    encoder: EncoderProcess,
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
    while not all(w.state.finished for w in workers):
        if cancel.is_set():
            raise RenderCancelled()
        try:
            index, message = events.get(timeout=0.1)
        except queue.Empty:
            _check_silence(workers)
            continue
        kind = message.get("event")
        if index == ENCODER:
            if kind == "ffmpeg-exit" and encoder.returncode != 0:
                raise _encoder_failure(encoder)
            continue
        worker = workers[index]
        state = worker.state
        state.last_message_at = time.monotonic()
        if kind == "ready":
            state.ready = True
            state.setup_ms = (time.monotonic() - t_capture) * 1000.0
            if all(w.state.ready for w in workers):
                t_frames = time.monotonic()
        elif kind == "progress":
            state.done = int(message.get("done", state.done))
            state.frame_ms.extend(message.get("frame_ms", []))
            done = sum(w.state.done for w in workers)
            rate = done / max(1e-6, time.monotonic() - t_frames)
            eta = (total - done) / rate if rate > 0 else None
            emit(Progress("capture", "rendering", done, total, rate, eta, elapsed()))
        elif kind == "done":
            state.finished = True
        elif kind == "error":
            # a worker that reports an error is done: don't wait for it to wind down (a page
            # stuck in an endless script can keep Chromium from shutting down cleanly)
            state.error = (message.get("stage", "capture"), message.get("message", ""))
            raise _worker_failure(worker, encoder, wait=False)
        elif kind == "exit" and not state.finished:
            raise _worker_failure(worker, encoder)
    return time.monotonic()


def _check_silence(workers: list[WorkerProcess]) -> None:
    now = time.monotonic()
    for worker in workers:
        if not worker.state.finished and now - worker.state.last_message_at > SILENCE_LIMIT_S:
            raise RenderError(
                "The capture process stopped responding (the composition may be stuck in an "
                "endless script). Check the composition's scripts and try again.",
                stage="capture",
            )


def _worker_failure(
    worker: WorkerProcess, encoder: EncoderProcess, wait: bool = True
) -> RenderError:
    if worker.state.error:
        stage, message = worker.state.error
        if stage == "encode":
            with contextlib.suppress(Exception):
                encoder.ffmpeg.wait(timeout=5)
            return _encoder_failure(encoder)
        return RenderError(message, stage=stage)
    if not wait:
        return RenderError("The capture process failed.", stage="capture")
    if worker.worker is not None:
        with contextlib.suppress(Exception):
            worker.worker.wait(timeout=5)
    if encoder.returncode not in (None, 0):
        return _encoder_failure(encoder)
    code = worker.worker.returncode if worker.worker is not None else None
    tail = worker.worker_stderr.decode(errors="replace").strip().splitlines()[-3:]
    detail = f" Last output: {' | '.join(tail)}" if tail else ""
    return RenderError(
        f"The capture process exited unexpectedly (exit code {code}).{detail}", stage="capture"
    )


def _encoder_failure(encoder: EncoderProcess) -> RenderError:
    tail = encoder.stderr.decode(errors="replace").strip().splitlines()[-3:]
    return RenderError(
        f"FFmpeg failed while encoding (exit code {encoder.returncode}): "
        f"{' | '.join(tail) or encoder.relay_error or 'no output'}",
        stage="encode",
    )


def _wait_encoder(
    encoder: EncoderProcess, workers: list[WorkerProcess], cancel: threading.Event
) -> None:
    assert encoder.ffmpeg is not None
    while encoder.ffmpeg.poll() is None:
        if cancel.is_set():
            raise RenderCancelled()
        with contextlib.suppress(Exception):
            encoder.ffmpeg.wait(timeout=0.1)
    if encoder.ended_at is None:
        encoder.ended_at = time.monotonic()
    if encoder.returncode != 0:
        raise _encoder_failure(encoder)
    if encoder.relayed != encoder.total:
        raise RenderError(
            f"Only {encoder.relayed} of {encoder.total} frames reached FFmpeg "
            f"({encoder.relay_error or 'a capture process stopped early'}).",
            stage="encode",
        )
