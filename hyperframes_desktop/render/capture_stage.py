"""Capture ∥ encode: capture workers share the frames out (frame i to worker i % n), one FFmpeg
encodes them in order while they are captured; a worker that dies is replaced and its missing
frames re-captured; failures become sentences."""

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
from hyperframes_desktop.render.early_capture import Standby
from hyperframes_desktop.render.encode_process import ENCODER, EncoderProcess
from hyperframes_desktop.render.encoder_threads import x264_threads
from hyperframes_desktop.render.encoders import encode_command
from hyperframes_desktop.render.formats import FormatSpec
from hyperframes_desktop.render.options import Progress, RenderCancelled, RenderError
from hyperframes_desktop.render.output import OutputSize
from hyperframes_desktop.render.worker_exit import describe_exit
from hyperframes_desktop.render.worker_model import machine_plan

#: A worker that says nothing for this long is considered hung and stopped.
SILENCE_LIMIT_S = 45.0
#: How often one render replaces capture workers that died before it gives up.
MAX_RECAPTURES = 3
VIEWS_PER_WORKER = int(os.environ.get("HYPERFRAMES_CAPTURE_VIEWS", "2") or 2)


def auto_workers(frames: int, width: int = 1920, height: int = 1080) -> int:
    """The worker count for this machine (worker_model: cores, available memory, frames)."""
    return machine_plan(frames, width, height, views=VIEWS_PER_WORKER).workers


@dataclass
class CaptureOutcome:
    output: Path  # what the encoder wrote: the video, GIF's intermediate or the PNG folder
    workers: int
    frame_ms: list[float] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)
    recaptures: int = 0  # capture workers that died and were replaced
    #: the page's requests that were blocked or could not be resolved (sentences, once each)
    resource_problems: list[str] = field(default_factory=list)


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
    crf: int | None = None
    video_bitrate: str | None = None

    @property
    def frame_range(self) -> range:
        return self.frames if self.frames is not None else range(self.page.frame_count)


def encoded_path(req: CaptureRequest) -> Path:
    """Where the encoder writes: the final temp name, except GIF's lossless intermediate."""
    return req.scratch / "frames.mkv" if req.spec.needs_palette_pass else req.partial


class WarmCapture:
    """Capture processes kept between calls of :func:`capture_and_encode` with the same page
    (a farm chunk host): each keeps its loaded page and its frame pipe, so a later call pays
    seek + capture only. Whoever owns it calls :meth:`stop` (a failed call stops it too)."""

    def __init__(self) -> None:
        self.workers: list[WorkerProcess] = []
        self.key: tuple = ()
        #: capture processes started before any job (Qt and Chromium up, no page): a first
        #: call adopts them instead of starting its own
        self.standby: list[Standby] = []

    def prestart(self, count: int) -> None:
        """Start ``count`` standby capture processes (a farm worker's spare host)."""
        for _ in range(count):
            self.standby.append(Standby())

    def take_standby(self) -> Standby | None:
        while self.standby:
            standby = self.standby.pop(0)
            if standby.alive:
                return standby
            standby.stop()
        return None

    def usable(self, key: tuple) -> bool:
        return bool(self.workers) and self.key == key and all(w.alive for w in self.workers)

    def serves(self, req: CaptureRequest) -> bool:
        """Its capture processes have ``req``'s page (loaded, or loading) and are alive."""
        return self.usable(_page_key(req))

    def preload(self, req: CaptureRequest, count: int) -> None:
        """Start ``count`` capture processes on ``req``'s page now (standby ones adopted
        first) and keep them: they load the page while the caller waits for its first range,
        which then pays seek + capture only. Returns at once; a page that fails to load fails
        that range as it would have (the process is gone, so a fresh one meets the error)."""
        self.stop()
        wanted = req.frame_range
        count = max(1, min(count, len(wanted)))
        workers: list[WorkerProcess] = []
        try:
            for slot in range(count):
                worker = WorkerProcess(
                    WorkerState(index=slot, frames=wanted[slot::count]), req.page, req.size,
                    req.spec.alpha, req.scratch, queue.Queue(), VIEWS_PER_WORKER, serve=True,
                    standby=self.take_standby(),
                )  # fmt: skip
                workers.append(worker)
                worker.start()
        except BaseException:
            for worker in workers:
                worker.stop()
            raise
        self.adopt(workers, req)

    def pids(self) -> list[int]:
        return [w.worker.pid for w in self.workers if w.worker is not None]

    def standby_pids(self) -> list[int]:
        return [s.pid for s in self.standby]

    def adopt(self, workers: list[WorkerProcess], req: CaptureRequest) -> None:
        """Keep ``workers`` (started with ``serve=True`` on ``req``'s page, by the render
        cache's fingerprint pass) for the next call."""
        self.workers, self.key = list(workers), _page_key(req)

    def stop(self) -> None:
        """End the kept capture processes (standby ones stay for a later call)."""
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def stop_all(self) -> None:
        self.stop()
        for standby in self.standby:
            standby.stop()
        self.standby = []


def _page_key(req: CaptureRequest) -> tuple:
    """What a warm capture process was started for: frames differ, the page may not."""
    p = req.page
    return (
        str(p.html_path), p.project_root, p.width, p.height, p.page_height, p.fps,
        p.composition_id, p.no_timeline, req.size, req.spec.alpha, VIEWS_PER_WORKER,
        p.whole_tile_raster,
    )  # fmt: skip


class _Crew:
    """The capture workers of one render. Slot ``k`` captures positions k, k+n, k+2n, ... of
    the frame range; when its worker dies, a fresh worker takes over from the first position
    the relay has not received whole. With ``warm``, the workers are kept warm: reused from
    the previous call when they captured the same page (a range of fewer frames than the
    warm crew uses the first few; the others wait, page loaded, for the next call), else
    started to stay."""

    def __init__(
        self,
        req: CaptureRequest,
        wanted: range,
        count: int,
        events: queue.Queue,
        warm: WarmCapture | None = None,
    ):
        self.req, self.wanted, self.events, self.warm = req, wanted, events, warm
        self.reused = False
        if warm is not None and warm.usable(_page_key(req)):
            count, self.reused = min(len(warm.workers), len(wanted)), True
            self.workers = list(warm.workers[:count])
            for slot, worker in enumerate(self.workers):
                worker.state = WorkerState(index=slot, frames=wanted[slot::count])
                worker.events = events
        else:
            if warm is not None:
                warm.stop()
            self.workers = [self._new(slot, wanted[slot::count]) for slot in range(count)]
            if warm is not None:
                for worker in self.workers:
                    worker.serve = True
                warm.workers, warm.key = list(self.workers), _page_key(req)
        self.count = count
        self.retired: list[WorkerProcess] = []
        self.carried = [0] * count  # frames of each slot that retired workers delivered
        self.recaptures = 0

    def begin(self) -> None:
        for worker in self.workers:
            if worker.serve:
                worker.run(worker.state.frames)
            else:
                worker.start()

    def _new(self, slot: int, frames: range) -> WorkerProcess:
        r = self.req
        standby = self.warm.take_standby() if self.warm is not None else None
        return WorkerProcess(
            WorkerState(index=slot, frames=frames), r.page, r.size, r.spec.alpha, r.scratch,
            self.events, VIEWS_PER_WORKER, standby=standby,
        )  # fmt: skip

    def done(self) -> int:
        return sum(self.carried) + sum(w.state.done for w in self.workers)

    def everyone(self) -> list[WorkerProcess]:
        return [*self.retired, *self.workers]

    def replace(self, slot: int, position: int, encoder: EncoderProcess) -> None:
        """Re-capture ``slot``'s frames from range position ``position`` on a fresh worker,
        unless its worker failed for a reason that would fail again."""
        old = self.workers[slot]
        code = old.wait_ended()
        if old.state.error or encoder.returncode not in (None, 0):
            raise _worker_failure(old, encoder)
        if self.recaptures >= MAX_RECAPTURES:
            raise RenderError(
                describe_exit(code, old.state.page_errors, restarts=self.recaptures),
                stage="capture",
            )
        self.recaptures += 1
        fresh = self._new(slot, self.wanted[position :: self.count])
        fresh.state.page_errors.extend(old.state.page_errors)  # what the page said so far
        fresh.start()
        self.workers[slot] = fresh
        self.retired.append(old)
        self.carried[slot] = len(range(slot, position, self.count))
        encoder.replace_source(slot, fresh.frames_fd)


def capture_and_encode(
    req: CaptureRequest,
    cancel: threading.Event,
    emit: Callable[[Progress], None],
    elapsed: Callable[[], float],
    warm: WarmCapture | None = None,
    started: Callable[[], None] | None = None,
    encoder_for: Callable[[int, queue.Queue], EncoderProcess] | None = None,
) -> CaptureOutcome:
    """Capture and encode ``req``'s frames; with ``warm``, its capture processes are reused
    and kept (stopped instead when this call fails or had to replace one). ``started`` is
    called once the workers have their frames and the encoder runs (the render cache queues
    the next fingerprints behind the capture there). ``encoder_for(frame_bytes, events)``
    makes the encoder instead of ``req``'s own (the render cache's runs)."""
    wanted = req.frame_range
    total = len(wanted)
    count = max(1, min(req.workers or auto_workers(total, req.size.width, req.size.height), total))
    events: queue.Queue = queue.Queue()
    crew = _Crew(req, wanted, count, events, warm)
    count = crew.count
    out = encoded_path(req)
    frame_bytes = req.size.width * req.size.height * 4
    if encoder_for is not None:
        encoder = encoder_for(frame_bytes, events)
    else:
        encoder = EncoderProcess(
            encode_command_for(req, threads=x264_threads()), frame_bytes, total, events
        )
    t_capture = time.monotonic()
    kept = False
    try:
        crew.begin()
        encoder.start([w.frames_fd for w in crew.workers])
        if started is not None:
            started()
        capture_end = _supervise(crew, encoder, events, total, cancel, emit, elapsed, t_capture)
        kept = warm is not None and not crew.retired
        if warm is not None and not kept:
            warm.stop()  # a replaced worker: start the next call from a clean crew
        for worker in crew.everyone():
            if not (kept and worker.serve):
                worker.wait_ended()  # each delivered its frames and is exiting: reap it now
    except BaseException:
        encoder.stop()
        for worker in crew.everyone():
            worker.stop()
        raise
    finally:
        if warm is not None and not kept:
            warm.stop()
        for worker in crew.everyone():
            if not (kept and worker.serve):
                worker.close()
    capture_ms = (capture_end - t_capture) * 1000.0
    setup = max(w.state.setup_ms for w in crew.workers)
    return CaptureOutcome(
        output=out,
        workers=count,
        frame_ms=[ms for w in crew.everyone() for ms in w.state.frame_ms],
        stages={
            "captureMs": capture_ms,
            "captureSetupMs": setup,
            "captureFrameMs": max(0.0, capture_ms - setup),
            "encodeMs": ((encoder.ended_at or time.monotonic()) - t_capture) * 1000.0,
        },
        recaptures=crew.recaptures,
        resource_problems=list(
            dict.fromkeys(p for w in crew.everyone() for p in w.state.resource_problems)
        ),
    )


def encode_command_for(req: CaptureRequest, *, threads: int | None = None) -> list[str]:
    """The FFmpeg command encoding ``req``'s frames; ``threads``: the H.264 encoder's
    (render.encoder_threads)."""
    wanted = req.frame_range
    return encode_command(
        tools.find_tool("ffmpeg"), req.size.width, req.size.height, req.page.fps, req.spec,
        req.quality, encoded_path(req), req.audio, first_frame=wanted.start, frames=len(wanted),
        crf=req.crf, video_bitrate=req.video_bitrate, threads=threads,
    )  # fmt: skip


def _supervise(
    crew: _Crew,
    encoder: EncoderProcess,
    events: queue.Queue,
    total: int,
    cancel: threading.Event,
    emit: Callable[[Progress], None],
    elapsed: Callable[[], float],
    t_capture: float,
) -> float:
    """Follow the workers and the encoder until FFmpeg has written the output; returns the
    time capture ended.

    A worker's set-up time runs from its launch (process start, Qt and Chromium start-up,
    page load, fonts and timelines ready) to its first "ready" message. A worker that dies
    without reporting an error (killed, crashed) is replaced when the relay asks for its
    frames; one that reports an error (a script error in the composition, a page that never
    becomes ready) fails the render at once with its sentence.
    """
    t_frames = time.monotonic()
    capture_end: float | None = None
    while True:
        if cancel.is_set():
            raise RenderCancelled()
        if capture_end is None and all(w.state.finished for w in crew.workers):
            capture_end = time.monotonic()
            emit(Progress("encode", "encoding", total, total, 0.0, None, elapsed()))
        try:
            source, message = events.get(timeout=0.1)
        except queue.Empty:
            _check_silence(crew.workers)
            continue
        kind = message.get("event")
        if source == ENCODER:
            if kind == "ffmpeg-exit":
                if encoder.returncode != 0:
                    raise _encoder_failure(encoder)
                break
            if kind == "source-lost":
                crew.replace(int(message["slot"]), int(message["frame"]), encoder)
                capture_end = None
            continue
        worker = source
        if worker not in crew.workers:
            continue  # a replaced worker's last words
        state = worker.state
        state.last_message_at = time.monotonic()
        if worker.serve and not state.ready and kind in ("progress", "done"):
            continue  # a warm worker's last words about the previous range
        if kind == "ready":
            state.ready = True
            state.setup_ms = (time.monotonic() - t_capture) * 1000.0
            if all(w.state.ready for w in crew.workers):
                t_frames = time.monotonic()
        elif kind == "progress":
            state.done = int(message.get("done", state.done))
            state.frame_ms.extend(message.get("frame_ms", []))
            done = crew.done()
            rate = done / max(1e-6, time.monotonic() - t_frames)
            eta = (total - done) / rate if rate > 0 else None
            emit(Progress("capture", "rendering", done, total, rate, eta, elapsed()))
        elif kind == "done":
            state.finished = True
        elif kind == "error":
            # a worker that reports an error is done: don't wait for it to wind down (a page
            # stuck in an endless script can keep Chromium from shutting down cleanly)
            raise _worker_failure(worker, encoder, wait=False)
        elif kind == "exit" and not state.finished:
            worker.wait_ended()
            if state.error or encoder.returncode not in (None, 0):
                raise _worker_failure(worker, encoder)
            # died without a word: the relay asks for its missing frames (source-lost)
            state.finished = True
    if encoder.ended_at is None:
        encoder.ended_at = time.monotonic()
    if encoder.relayed != encoder.total:
        raise RenderError(
            f"Only {encoder.relayed} of {encoder.total} frames reached FFmpeg "
            f"({encoder.relay_error or 'a capture process stopped early'}).",
            stage="encode",
        )
    return capture_end if capture_end is not None else time.monotonic()


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
    code = worker.wait_ended()
    if encoder.returncode not in (None, 0):
        return _encoder_failure(encoder)
    return RenderError(describe_exit(code, worker.state.page_errors), stage="capture")


def _encoder_failure(encoder: EncoderProcess) -> RenderError:
    tail = encoder.stderr.decode(errors="replace").strip().splitlines()[-3:]
    return RenderError(
        f"FFmpeg failed while encoding (exit code {encoder.returncode}): "
        f"{' | '.join(tail) or encoder.relay_error or 'no output'}",
        stage="encode",
    )
