"""Seeing a render's chunks through the farm: submission, progress, retries, stalls and
cancel. Dask schedules and keeps worker membership; the policy is here and in failures.py
(retries, blocklist) and membership.py (workers preparing, joining, left out).

- Every attempt has its own task key and work folder, so a retry never waits for, or
  collides with, an earlier attempt that is still winding down.
- An attempt whose worker disappears, or that reports no progress for longer than the stall
  limit, is abandoned (its cancel signal set, its future cancelled) and retried.
- The loop wakes when a task ends or a worker reports (and polls at most every POLL_S), so a
  finished chunk's segment is fetched, and the next chunk sent, at once.
"""

from __future__ import annotations

import contextlib
import queue
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from hyperframes_desktop.render.farm import store as worker_store
from hyperframes_desktop.render.farm.chunk_task import ChunkFailed, release_warm_hosts, run_chunk
from hyperframes_desktop.render.farm.chunks import Chunk
from hyperframes_desktop.render.farm.failures import Failures
from hyperframes_desktop.render.farm.membership import RenderWorkers
from hyperframes_desktop.render.farm.prepare import preload
from hyperframes_desktop.render.farm.progress import FarmProgress
from hyperframes_desktop.render.farm.resume import SegmentStore
from hyperframes_desktop.render.farm.settings import FarmSettings
from hyperframes_desktop.render.farm.take_in import TAKE_IN_AT_ONCE, TakenIn, take_in
from hyperframes_desktop.render.options import RenderCancelled

#: Extra time the client allows beyond the worker-side stall limit before giving up on an
#: attempt whose worker went silent altogether.
CLIENT_STALL_MARGIN_S = 15.0
#: How long a render waits for workers to (re)join a farm that has none left (a nanny
#: restarting a killed worker takes a few seconds).
NO_WORKER_GRACE_S = 30.0
#: How long a cancel waits for the workers to confirm their chunk processes ended.
CANCEL_WAIT_S = 8.0
POLL_S = 0.1


@dataclass
class Attempt:
    chunk: Chunk
    key: str
    future: Any
    event: str
    candidates: list[str]
    submitted_at: float = field(default_factory=time.monotonic)
    worker: str | None = None
    last_seen: float = field(default_factory=time.monotonic)
    done: int = 0
    started_at: float | None = None  # when its worker reported the start
    #: how long its worker waited between its previous chunk's fetch and this start (the
    #: client's share of one more chunk: collect, dispatch, the start's relay); None: first
    gap_ms: float | None = None
    submit_ms: float = 0.0  # the client's time sending its task


class ChunkRun:
    def __init__(
        self,
        client,
        *,
        render_id: str,
        job: dict,
        chunks: list[Chunk],
        store: SegmentStore,
        settings: FarmSettings,
        cancel: threading.Event,
        prepare: Callable[[str], bool],
        emit: Callable[[FarmProgress], None],
        elapsed: Callable[[], float],
        total_frames: int,
        reused: int,
        reused_frames: int,
        chunks_total: int,
    ) -> None:
        self.client = client
        self.render_id = render_id
        self.job = job
        self.store = store
        self.settings = settings
        self.cancel = cancel
        self.prepare = prepare
        self.emit = emit
        self.elapsed = elapsed
        self.total_frames = total_frames
        self.reused = reused
        self.reused_frames = reused_frames
        self.chunks_total = chunks_total
        self.pending: deque[Chunk] = deque(chunks)
        self.running: dict[str, Attempt] = {}
        self.started_keys: set[str] = set()
        self.ended_keys: set[str] = set()
        self.members = RenderWorkers(client, self._prepare)
        self.failures = Failures(self.members.identity)
        self.workers_used: set[str] = set()  # workers whose chunks came back
        self.chunk_ms: list[float] = []  # wall time of each collected chunk (start → fetched)
        self.costs: list[dict] = []  # what each chunk measured: fixed_ms, frame_ms
        self.chunks_done = reused
        self.frames_done = 0
        self._events: queue.Queue = queue.Queue()
        #: set when something happened that the loop must see (a task ended, a worker said
        #: something): it wakes at once instead of at its next poll (each poll cost a chunk
        #: up to POLL_S before its segment was fetched, or before the next chunk was sent)
        self._wake = threading.Event()
        #: after-collect chores (the worker's attempt folder, the "ran" mark): off the loop
        self._chores = ThreadPoolExecutor(1, "hf-farm-chores")
        #: finished attempts being taken in (take_in), several at once, by attempt key
        self._takers = ThreadPoolExecutor(TAKE_IN_AT_ONCE, "hf-farm-take-in")
        self._taking: dict[str, Future] = {}
        self.topic = f"hf-farm-{render_id}"
        self.cancel_event = f"hf-cancel-{render_id}"
        self._attempt_no = 0
        self._t_frames = time.monotonic()
        self._no_worker_since: float | None = None
        self._releasing: threading.Thread | None = None
        self._worker_free_since: dict[str, float] = {}  # worker: when its last chunk came in
        self.fetch_ms = 0.0  # fetching finished segments (while other chunks render)
        #: from the start of the run to the first chunk's start on a worker (workers
        #: prepared, the first task dispatched): once per render, before any chunk runs
        self.first_start_ms: float | None = None

    # ---- the loop ---------------------------------------------------------------------
    def run(self) -> None:
        """Every chunk rendered and fetched. On success the warm hosts are released in the
        background (the caller assembles meanwhile and calls :meth:`wait_released` before the
        render returns); on failure or cancel they are ended before this raises."""
        self.client.subscribe_topic(self.topic, self._on_event)
        succeeded = False
        try:
            while self.pending or self.running:
                self._wake.clear()  # before looking: what happens from here wakes the wait
                if self.cancel.is_set():
                    raise RenderCancelled()
                self._drain_events()
                workers = self.members.refresh()
                self.failures.last_error = self.members.take_error() or self.failures.last_error
                available = [
                    w
                    for w in workers
                    if w in self.members.prepared and not self.failures.blocked(w)
                ]
                joining = self.members.joining(workers)
                if available or self.running or joining:
                    self._no_worker_since = None
                elif workers or self._waited_too_long():
                    # all left out, or none came back in time
                    raise self.failures.no_worker_left(bool(self.members.excluded))
                slots = sum(workers[w] for w in available)
                while self.pending and len(self.running) < slots:
                    self._submit(self.pending.popleft(), available)
                for attempt in list(self.running.values()):
                    self._check(attempt, workers)
                self._report(len({a.worker for a in self.running.values() if a.worker}))
                if self.pending or self.running:
                    self._wake.wait(POLL_S)
            self._report(0)
            succeeded = True
        except BaseException:
            self.abort()  # ends the warm hosts too
            raise
        finally:
            with contextlib.suppress(Exception):
                self.client.unsubscribe_topic(self.topic)
            if succeeded:
                self._releasing = threading.Thread(
                    target=self.release_warm_hosts, daemon=True, name="hf-farm-release"
                )
                self._releasing.start()

    def _on_event(self, event) -> None:
        self._events.put(event)
        self._wake.set()

    def wait_released(self) -> float:
        """Wait for the background release :meth:`run` started and the after-collect chores;
        returns the ms waited."""
        t0 = time.monotonic()
        if self._releasing is not None:
            self._releasing.join()
        self._takers.shutdown(wait=True)
        self._chores.shutdown(wait=True)
        return (time.monotonic() - t0) * 1000.0

    def release_warm_hosts(self) -> None:
        """The render ended (done, failed or cancelled): every worker ends its warm chunk
        hosts of this render, capture processes included, before this returns."""
        with contextlib.suppress(Exception):
            self.client.run(release_warm_hosts, self.cancel_event, on_error="ignore")

    def _waited_too_long(self) -> bool:
        now = time.monotonic()
        if self._no_worker_since is None:
            self._no_worker_since = now
        return now - self._no_worker_since > NO_WORKER_GRACE_S

    def _prepare(self, worker: str) -> bool:
        """The backend's preparation of a new worker (versions, bundle), then the render's
        page loaded there ahead of the chunk it is about to get."""
        ready = self.prepare(worker)
        if ready and self.pending:
            chunk = self.pending[0]
            preload(self.client, worker, {**self.job, "start": chunk.start, "end": chunk.end,
                                          "cancel_event": self.cancel_event})  # fmt: skip
        return ready

    def _identity(self, worker: str) -> str:
        return self.members.identity(worker)

    def _submit(self, chunk: Chunk, available: list[str]) -> None:
        self._attempt_no += 1
        key = f"hf-chunk-{self.render_id}-{chunk.index}-{self._attempt_no}"
        candidates = self.failures.candidates(chunk, available)
        event = f"hf-abandon-{key}"
        job = {
            **self.job,
            "chunk": chunk.index,
            "start": chunk.start,
            "end": chunk.end,
            "attempt": key,
            "attempt_event": event,
            "topic": self.topic,
            "cancel_event": self.cancel_event,
        }
        t_submit = time.monotonic()
        future = self.client.submit(
            run_chunk, job, key=key, workers=candidates, allow_other_workers=False, pure=False
        )
        self.running[key] = Attempt(chunk, key, future, event, candidates)
        self.running[key].submit_ms = (time.monotonic() - t_submit) * 1000.0
        future.add_done_callback(lambda _future: self._wake.set())

    def _check(self, attempt: Attempt, workers: dict[str, int]) -> None:
        status = attempt.future.status
        now = time.monotonic()
        if status == "finished":
            self._take_in(attempt)
        elif status == "error":
            self._failed(attempt, attempt.future.exception(timeout=10))
        elif status == "cancelled":
            self._failed(attempt, ChunkFailed("The chunk's task was lost.", kind="lost"))
        elif attempt.worker is not None and attempt.worker not in workers:
            self._abandon(attempt)
            self._failed(
                attempt, ChunkFailed("The worker rendering a chunk left the farm.", kind="lost")
            )
        elif (
            attempt.worker is not None
            and now - attempt.last_seen > self.settings.stall_timeout_s + CLIENT_STALL_MARGIN_S
        ):
            self._abandon(attempt)
            self._failed(
                attempt, ChunkFailed("A chunk made no progress and was stopped.", kind="stall")
            )
        elif attempt.worker is None and not set(attempt.candidates) & set(workers):
            self._abandon(attempt)  # every worker it may run on is gone: not their fault
            del self.running[attempt.key]
            self.pending.appendleft(attempt.chunk)

    def _drain_events(self) -> None:
        while True:
            try:
                _, message = self._events.get_nowait()
            except queue.Empty:
                return
            key = message.get("attempt")
            if message.get("kind") == "end":
                self.ended_keys.add(key)
                continue
            self.started_keys.add(key)
            attempt = self.running.get(key)
            if attempt is not None:
                if attempt.started_at is None:
                    attempt.started_at = time.monotonic()
                    free_since = self._worker_free_since.pop(str(message.get("worker")), None)
                    if free_since is not None:
                        attempt.gap_ms = (attempt.started_at - free_since) * 1000.0
                    if self.first_start_ms is None:
                        self.first_start_ms = (attempt.started_at - self._t_frames) * 1000.0
                attempt.worker = message.get("worker")
                attempt.last_seen = time.monotonic()
                attempt.done = int(message.get("done", 0))

    # ---- outcomes ---------------------------------------------------------------------
    def _take_in(self, attempt: Attempt) -> None:
        """A finished attempt: its take-in starts on a take-in thread (several at once); once
        done, the loop commits its segment (:meth:`_collect`)."""
        taking = self._taking.get(attempt.key)
        if taking is None:
            staging = self.store.staging(attempt.chunk)
            taking = self._takers.submit(take_in, self.client, attempt.future, staging, self.cancel)
            self._taking[attempt.key] = taking
            taking.add_done_callback(lambda _taken: self._wake.set())
        elif taking.done():
            del self._taking[attempt.key]
            self._collect(attempt, taking.result())

    def _collect(self, attempt: Attempt, taken: TakenIn) -> None:
        t_collect = time.monotonic()
        result, staging = taken.result, taken.staging
        if isinstance(taken.error, RenderCancelled):
            raise RenderCancelled()
        if taken.error is not None or result is None:
            worker = result.get("worker") if isinstance(result, dict) else None
            attempt.worker = attempt.worker or worker
            self._failed(
                attempt,
                ChunkFailed(f"Fetching a finished segment failed: {taken.error}", kind="lost"),
            )
            return
        worker = result["worker"]
        self.fetch_ms += taken.fetch_ms
        self.store.commit(attempt.chunk, staging)
        began = attempt.started_at or attempt.submitted_at
        chunk_ms = (time.monotonic() - began) * 1000.0
        self.chunk_ms.append(chunk_ms)
        if isinstance(result.get("cost"), dict):
            self.costs.append(
                {
                    **result["cost"],
                    "worker": worker,
                    "frames": attempt.chunk.frames,
                    "client_ms": round(chunk_ms, 1),  # start → segment fetched, seen here
                    # the client's own time on it: sending the task, taking its segment in
                    # (one after another when several chunks end at once)
                    "submit_ms": round(attempt.submit_ms, 2),
                    # its take-in (result, fetch) on a take-in thread, then the commit here
                    "collect_ms": round(taken.took_ms + (time.monotonic() - t_collect) * 1000.0, 2),
                    "collect_loop_ms": round((time.monotonic() - t_collect) * 1000.0, 2),
                    "answered": "data" in result,  # its segment came with its answer
                    # when its take-in ran, in ms from the start of the chunks
                    "take_in_ms": [
                        round((taken.began - self._t_frames) * 1000.0, 2),
                        round((taken.ended - self._t_frames) * 1000.0, 2),
                    ],
                    **({"gap_ms": round(attempt.gap_ms, 1)} if attempt.gap_ms is not None else {}),
                }
            )
        self._worker_free_since[worker] = time.monotonic()
        self._chores.submit(self._after_collect, worker, result["folder"], attempt.key)
        del self.running[attempt.key]
        self._wake.set()  # a slot is free: the next chunk goes now, not at the next poll
        self.workers_used.add(worker)
        self.chunks_done += 1
        self.frames_done += attempt.chunk.frames

    def _failed(self, attempt: Attempt, exc: BaseException | None) -> None:
        """Count the failure (it may fail the render: see failures.py) and retry the chunk."""
        self.running.pop(attempt.key, None)
        self.failures.record(attempt.chunk, attempt.worker, exc, self.cancel.is_set())
        self.pending.appendleft(attempt.chunk)
        self._wake.set()

    def _after_collect(self, worker: str, folder: str, key: str) -> None:
        """A collected attempt's chores, off the loop (two round trips it need not wait
        for): its folder on the worker goes, and so does the scheduler's "this attempt ran"
        mark (chunk_task.run_chunk): nothing runs that key again."""
        from distributed import Event

        with contextlib.suppress(Exception):
            self.client.run(
                worker_store.remove_chunk_folder, folder, workers=[worker], on_error="ignore"
            )
        with contextlib.suppress(Exception):
            Event(f"hf-ran-{key}", client=self.client).clear()

    def _abandon(self, attempt: Attempt) -> None:
        from distributed import Event

        with contextlib.suppress(Exception):
            Event(attempt.event, client=self.client).set()
        with contextlib.suppress(Exception):
            self.client.cancel([attempt.future], force=True)

    # ---- cancel -----------------------------------------------------------------------
    def abort(self) -> None:
        """Cancel pending chunks, stop running ones, and wait until their processes ended."""
        from distributed import Event

        self.pending.clear()
        with contextlib.suppress(Exception):
            Event(self.cancel_event, client=self.client).set()
        futures = [a.future for a in self.running.values()]
        with contextlib.suppress(Exception):
            self.client.cancel(futures, force=True)
        self.release_warm_hosts()  # busy and idle hosts at once: nothing waits for the other
        deadline = time.monotonic() + CANCEL_WAIT_S
        while time.monotonic() < deadline:
            self._drain_events()
            with contextlib.suppress(Exception):
                alive = set(self.client.nthreads())
                waiting = [
                    a
                    for a in self.running.values()
                    if a.key in self.started_keys
                    and a.key not in self.ended_keys
                    and (a.worker is None or a.worker in alive)
                ]
                if not waiting:
                    break
            time.sleep(POLL_S)
        self._drop_take_ins()
        self.running.clear()

    def _drop_take_ins(self) -> None:
        """Take-ins still under way when the render stops: they end (a fetch looks at the
        cancel between pieces, and each is one segment) and leave no staging folder."""
        self._takers.shutdown(wait=True, cancel_futures=True)
        for taking in self._taking.values():
            with contextlib.suppress(BaseException):
                shutil.rmtree(taking.result(timeout=0).staging, ignore_errors=True)
        self._taking.clear()

    # ---- progress ---------------------------------------------------------------------
    def _report(self, in_use: int) -> None:
        done = self.frames_done + self.reused_frames + sum(a.done for a in self.running.values())
        elapsed_frames = time.monotonic() - self._t_frames
        rendered = done - self.reused_frames
        rate = rendered / elapsed_frames if elapsed_frames > 0 and rendered > 0 else 0.0
        eta = (self.total_frames - done) / rate if rate > 0 else None
        self.emit(
            FarmProgress(
                "capture",
                "rendering",
                min(done, self.total_frames),
                self.total_frames,
                rate,
                eta,
                self.elapsed(),
                chunks_done=self.chunks_done,
                chunks_total=self.chunks_total,
                chunks_reused=self.reused,
                retries=self.failures.retries,
                workers_in_use=in_use,
                blocklisted=len(self.failures.blocklist),
            )
        )
