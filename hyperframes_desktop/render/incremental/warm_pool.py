"""Capture processes kept warm between renders (the studio's render queue owns one pool).

A capture process's fixed cost is Python, Qt and Chromium starting, then the page loading.
A render given a pool borrows its idle processes of the same project and frame size, has them
load its own compiled page in the views they already have (``WorkerProcess.reload``), and
gives them back when it succeeds; so a re-render after an edit pays the page load but not the
start-up. What decides a frame is the page, which is always the render's own: a warm process
and a fresh one capture the same pixels (tests/render/test_warm_pool.py).

Lifetime (no child outlives its owner):

- a render that fails or is cancelled stops the processes it borrowed (never given back);
- idle processes are stopped after ``HYPERFRAMES_WARM_CAPTURE_IDLE_S`` seconds (default 300),
  and all of them by :meth:`WarmPool.stop` (the studio calls it when it quits);
- a process dies with the thread that started it (the worker arms PR_SET_PDEATHSIG, which
  Linux ties to the starting *thread*). A render runs on a pool thread that Qt may end while
  the processes are idle, so the pool starts every process on its own thread, which lives as
  long as the studio: a crash of the studio still takes them down.
"""

from __future__ import annotations

import queue
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from hyperframes_desktop.render.capture_process import WorkerProcess, WorkerState
from hyperframes_desktop.render.capture_stage import (
    VIEWS_PER_WORKER,
    CaptureOutcome,
    CaptureRequest,
    WarmCapture,
    auto_workers,
    capture_and_encode,
)
from hyperframes_desktop.render.env_numbers import env_number
from hyperframes_desktop.render.options import Progress

IDLE_ENV = "HYPERFRAMES_WARM_CAPTURE_IDLE_S"
#: A warm process grows by ~17 MB with every page it loads (measured on the nested 1080p
#: sample: 505 -> 782 MB over 16 renders, no plateau), so it retires after this many renders.
MAX_RENDERS = 12
_REAP_EVERY_S = 1.0


def idle_limit_s() -> float:
    return env_number(IDLE_ENV, 300.0, 0.0)


def shape_key(req: CaptureRequest) -> tuple:
    """What a warm process can serve: one project (its page's storage stays in the process),
    one frame size and the Chromium raster flag it started with (a process flag); the page
    itself is loaded anew for every render."""
    p = req.page
    return (
        str(p.project_root), p.width, p.height, p.page_height, req.size, req.spec.alpha,
        VIEWS_PER_WORKER, p.whole_tile_raster,
    )  # fmt: skip


def new_worker(req: CaptureRequest, slot: int, frames: range) -> WorkerProcess:
    """A capture process for ``req``'s page that stays after its first range (not started)."""
    return WorkerProcess(
        WorkerState(index=slot, frames=frames), req.page, req.size, req.spec.alpha, req.scratch,
        queue.Queue(), VIEWS_PER_WORKER, serve=True,
    )  # fmt: skip


class _Launcher(threading.Thread):
    """Runs process starts on one thread that lives until the pool stops (see the module's
    note on PR_SET_PDEATHSIG); after that, calls run on the caller's thread."""

    def __init__(self) -> None:
        super().__init__(daemon=True, name="hf-warm-capture-launcher")
        self._calls: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._ended = False

    def run(self) -> None:
        while True:
            item = self._calls.get()
            if item is None:
                with self._lock:
                    self._ended = True
                    left = []
                    while not self._calls.empty():
                        left.append(self._calls.get())
                for rest in left:
                    if rest is not None:
                        self._run(*rest)
                return
            self._run(*item)

    @staticmethod
    def _run(call: Callable[[], None], done: threading.Event, box: list) -> None:
        try:
            call()
        except BaseException as exc:  # handed back to the caller
            box.append(exc)
        done.set()

    def call(self, fn: Callable[[], None]) -> None:
        done: threading.Event = threading.Event()
        box: list[BaseException] = []
        with self._lock:
            inline = self._ended
            if not inline:
                self._calls.put((fn, done, box))
        if inline:
            fn()
            return
        done.wait()
        if box:
            raise box[0]

    def end(self) -> None:
        self._calls.put(None)


@dataclass
class _Idle:
    key: tuple
    workers: list[WorkerProcess]
    since: float


class WarmPool:
    def __init__(self, idle_s: float | None = None) -> None:
        self.idle_s = idle_limit_s() if idle_s is None else idle_s
        self._lock = threading.Lock()
        self._idle: list[_Idle] = []
        self._closed = False
        self._lent: list[WorkerProcess] = []  # out with a render; only these come back
        self._renders: weakref.WeakKeyDictionary[WorkerProcess, int] = (
            weakref.WeakKeyDictionary()
        )  # renders each process has served
        self._launcher: _Launcher | None = None
        self._stopping = threading.Event()
        self._reaper: threading.Thread | None = None
        #: how many processes lend() reused and started (for the bench and the log)
        self.reused = 0
        self.started = 0

    # ---- lending ----------------------------------------------------------------------
    def lend(self, req: CaptureRequest, count: int) -> WarmCapture:
        """``count`` running capture processes for ``req``'s page, idle ones reused (their
        page reloaded) and the rest started; the caller gives them back with :meth:`keep`
        or stops them (``WarmCapture.stop``)."""
        key = shape_key(req)
        mine: list[WorkerProcess] = []
        with self._lock:
            if self._closed:  # the studio is quitting: the render starts its own, as the CLI
                return WarmCapture()
            self._lent = [w for w in self._lent if w.alive]  # failed renders stopped theirs
            if self._launcher is None:  # threads start with the first render, not the studio
                self._launcher = _Launcher()
                self._launcher.start()
                self._reaper = threading.Thread(
                    target=self._reap, daemon=True, name="hf-warm-capture-reaper"
                )
                self._reaper.start()
            launcher = self._launcher
            for idle in list(self._idle):
                if idle.key == key and not mine:
                    self._idle.remove(idle)
                    mine = idle.workers
        spare = [w for k, w in enumerate(mine) if k >= count or not w.alive]
        mine = [w for w in mine if all(w is not x for x in spare)]
        for worker in spare:
            worker.stop()
        wanted = req.frame_range
        workers: list[WorkerProcess] = []
        try:
            for worker in mine:
                try:
                    worker.reload(req.page, req.scratch)
                except OSError:  # it died since it was given back
                    worker.stop()
                    continue
                workers.append(worker)
                self.reused += 1
            while len(workers) < count:
                slot = len(workers)
                worker = new_worker(req, slot, wanted[slot::count])
                workers.append(worker)
                launcher.call(worker.start)
                self.started += 1
        except BaseException:
            for worker in workers:
                worker.stop()
            raise
        with self._lock:
            self._lent.extend(workers)
        warm = WarmCapture()
        warm.adopt(workers, req)
        return warm

    def keep(self, warm: WarmCapture, req: CaptureRequest) -> None:
        """Take back a successful render's processes: all of them when all are alive, were
        lent by this pool (a process that replaced a dead one was started on the render's
        thread, see the module's note) and have served fewer than ``MAX_RENDERS`` renders,
        else they are stopped."""
        workers, warm.workers = warm.workers, []
        with self._lock:
            ours = all(any(w is lent for lent in self._lent) for w in workers)
            self._lent = [lent for lent in self._lent if all(lent is not w for w in workers)]
            for worker in workers:
                self._renders[worker] = self._renders.get(worker, 0) + 1
            worn = any(self._renders.get(w, 0) >= MAX_RENDERS for w in workers)
            usable = bool(workers) and ours and not worn and not self._closed
            usable = usable and all(w.alive for w in workers)
            if usable:
                self._idle.append(_Idle(shape_key(req), workers, time.monotonic()))
        if not usable:
            for worker in workers:
                worker.stop()

    # ---- ending -----------------------------------------------------------------------
    def idle_pids(self) -> list[int]:
        with self._lock:
            return [
                w.worker.pid for idle in self._idle for w in idle.workers if w.worker is not None
            ]

    def stop_idle(self, older_than_s: float = 0.0) -> None:
        now = time.monotonic()
        with self._lock:
            old = [idle for idle in self._idle if now - idle.since >= older_than_s]
            for idle in old:
                self._idle.remove(idle)
        for idle in old:
            for worker in idle.workers:
                worker.stop()

    def stop(self) -> None:
        """Stop every idle process; processes lent out are stopped by their render when it
        gives them back."""
        with self._lock:
            self._closed = True
            launcher, self._launcher = self._launcher, None
        self._stopping.set()
        if launcher is not None:
            launcher.end()
        self.stop_idle()

    def _reap(self) -> None:
        while not self._stopping.wait(_REAP_EVERY_S):
            self.stop_idle(self.idle_s)


def capture_warm(
    pool: WarmPool,
    req: CaptureRequest,
    cancel: threading.Event,
    emit: Callable[[Progress], None],
    elapsed: Callable[[], float],
) -> CaptureOutcome:
    """``capture_and_encode`` on processes borrowed from ``pool`` (a render without the
    cache), given back when it succeeds."""
    size = req.size
    count = auto_workers(len(req.frame_range), size.width, size.height)
    count = max(1, min(req.workers or count, len(req.frame_range)))
    warm = pool.lend(req, count)
    try:
        outcome = capture_and_encode(req, cancel, emit, elapsed, warm)
    except BaseException:
        warm.stop()
        raise
    pool.keep(warm, req)
    return outcome
