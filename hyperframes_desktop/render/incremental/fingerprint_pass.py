"""The fingerprint pass: warm capture workers load the page once, hash each frame's state in
the page (no frame is grabbed), and stay loaded to capture the chunks that changed.

The pass is fed to the workers in pieces (frame ranges, in order, shared out as the capture
shares frames: frame i to worker i % n), two ahead, and the render decides each chunk as soon
as its frames are known. Fed chunk by chunk, a changed chunk's capture queued behind two
pieces and the later pieces behind the capture, so the workers hashed while FFmpeg drained;
but every view then drew the page after each piece (a piece's job ends, Chromium renders the
seeked state): +0.5 to +1.2 CPU-s on a one-chunk edit of the nested 1080p sample, more than
the overlap saved on 2 cores. So the render feeds the whole range as one piece
(incremental.render): one job per view, no drawing between frames.
"""

from __future__ import annotations

import queue
import threading
import time

from hyperframes_desktop.render.capture_process import WorkerProcess, WorkerState
from hyperframes_desktop.render.capture_stage import SILENCE_LIMIT_S, CaptureRequest, WarmCapture
from hyperframes_desktop.render.incremental.warm_pool import new_worker
from hyperframes_desktop.render.options import RenderCancelled, RenderError
from hyperframes_desktop.render.worker_exit import describe_exit

#: pieces a worker holds at once: one being hashed, one queued (no gap between them)
AHEAD = 2


class FingerprintFeed:
    """Fingerprints of ``pieces`` (frame ranges, in order, covering ``req``'s range) from
    ``warm``'s workers when it has some for this page (lent by a warm pool), else from
    ``count`` new ones that ``warm`` keeps afterwards (the caller stops them)."""

    def __init__(
        self,
        req: CaptureRequest,
        count: int,
        warm: WarmCapture,
        cancel: threading.Event,
        pieces: list[range],
    ) -> None:
        wanted = req.frame_range
        self.cancel = cancel
        self.sink: queue.Queue = queue.Queue()
        workers = list(warm.workers)
        if not workers:
            workers = [new_worker(req, slot, wanted[slot::count]) for slot in range(count)]
            warm.adopt(workers, req)  # from here on the caller's warm.stop() ends them
        self.workers = workers
        self.first = wanted.start
        self.pieces = pieces
        #: the frames' fingerprints ("" where the page cannot tell)
        self.found: dict[int, str] = {}
        self._next = [0] * len(workers)
        self._asked: list[list[range]] = [[] for _ in workers]
        self._heard = [time.monotonic()] * len(workers)
        self._hash_ms = [0.0] * len(workers)
        for slot, worker in enumerate(workers):
            worker.state = WorkerState(index=slot, frames=wanted[slot :: len(workers)])
            worker.fingerprint_sink = self.sink
        self.listen()
        self.top_up()

    @property
    def hash_ms(self) -> float:
        """The longest time a worker spent hashing in the page (ms)."""
        return max(self._hash_ms, default=0.0)

    def alive(self) -> bool:
        return all(worker.alive for worker in self.workers)

    def listen(self) -> None:
        """The workers' other messages (errors, exit) come here again after a capture; the
        silence of pieces queued behind it counts from now."""
        for worker in self.workers:
            worker.events = self.sink
        self._heard = [time.monotonic()] * len(self.workers)

    def unfinished(self) -> list[range]:
        """The pieces with a frame still unknown (to feed to other workers)."""
        return [p for p in self.pieces if any(frame not in self.found for frame in p)]

    def top_up(self) -> None:
        """Send each worker its next pieces, up to ``AHEAD`` unanswered ones."""
        n = len(self.workers)
        for slot, worker in enumerate(self.workers):
            while len(self._asked[slot]) < AHEAD and self._next[slot] < len(self.pieces):
                piece = self.pieces[self._next[slot]]
                self._next[slot] += 1
                offset = (slot - (piece.start - self.first)) % n
                frames = range(piece.start + offset, piece.stop, n)
                if not frames:
                    continue
                if not self._asked[slot]:
                    self._heard[slot] = time.monotonic()  # silence counts from the ask
                self._asked[slot].append(frames)
                worker.fingerprint(frames)

    def wait_for(self, frames: range) -> None:
        """Block until every frame of ``frames`` has its fingerprint."""
        while any(frame not in self.found for frame in frames):
            if self.cancel.is_set():
                raise RenderCancelled()
            try:
                worker, message = self.sink.get(timeout=0.1)
            except queue.Empty:
                self._check_workers()
                continue
            self._take(worker, message)

    def _slot(self, worker: WorkerProcess) -> int | None:
        for slot, mine in enumerate(self.workers):
            if mine is worker:
                return slot
        return None

    def _take(self, worker: WorkerProcess, message: dict) -> None:
        slot = self._slot(worker)
        if slot is None:
            return
        kind = message.get("event")
        if kind == "fingerprints":
            self._heard[slot] = time.monotonic()
            if self._asked[slot]:
                self._asked[slot].pop(0)
            self.found.update((int(frame), str(value)) for frame, value in message["frames"])
            self._hash_ms[slot] += float(message.get("ms") or 0.0)
            self.top_up()
        elif kind == "error":
            stage, text = worker.state.error or ("capture", str(message.get("message", "")))
            raise RenderError(text, stage=stage)
        elif kind == "exit":
            self._died(worker)

    def _died(self, worker: WorkerProcess) -> None:
        code = worker.wait_ended()
        if worker.state.error:
            stage, text = worker.state.error
            raise RenderError(text, stage=stage)
        raise RenderError(describe_exit(code, worker.state.page_errors), stage="capture")

    def _check_workers(self) -> None:
        now = time.monotonic()
        for slot, worker in enumerate(self.workers):
            if not self._asked[slot]:
                continue
            if not worker.alive:
                self._died(worker)
            if now - self._heard[slot] > SILENCE_LIMIT_S:
                raise RenderError(
                    "The capture process stopped responding while fingerprinting frames (the "
                    "composition may be stuck in an endless script). Check the composition's "
                    "scripts, or render with --no-cache.",
                    stage="capture",
                )
