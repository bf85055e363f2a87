"""What a render does with failed chunk attempts (the policy; scheduler.py runs it).

- A failed attempt is retried on another worker when there is one.
- A worker that fails BLOCKLIST_AFTER chunks of this render is left out of it.
- A chunk that failed MAX_ATTEMPTS times, on any workers, fails the render.
- A composition error (the page itself failed) fails the render at once: it would fail the
  same way everywhere; a cancelled attempt of a cancelled render is the cancel.

Failures and the blocklist count against a worker's identity (its nanny, or its name), not
its address: a nanny restarts a crashed worker under a new address.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from hyperframes_desktop.render.farm.chunk_task import ChunkFailed
from hyperframes_desktop.render.farm.chunks import Chunk
from hyperframes_desktop.render.farm.errors import FarmError
from hyperframes_desktop.render.farm.settings import BLOCKLIST_AFTER
from hyperframes_desktop.render.options import RenderCancelled, RenderError

#: A chunk that failed this many times (on any workers) fails the render.
MAX_ATTEMPTS = 5


class Failures:
    def __init__(self, identity: Callable[[str], str]) -> None:
        self.identity = identity  # a worker's address -> who it is across restarts
        self.worker_failures: Counter[str] = Counter()
        self.chunk_failures: Counter[int] = Counter()
        self.failed_on: dict[int, set[str]] = defaultdict(set)
        self.blocklist: set[str] = set()
        self.retries = 0
        self.last_error: ChunkFailed | None = None

    def blocked(self, worker: str) -> bool:
        return self.identity(worker) in self.blocklist

    def candidates(self, chunk: Chunk, available: list[str]) -> list[str]:
        """Where ``chunk`` may run: the available workers it has not failed on (all of
        them if it failed on every one)."""
        failed = self.failed_on[chunk.index]
        return [w for w in available if self.identity(w) not in failed] or available

    def record(
        self, chunk: Chunk, worker: str | None, exc: BaseException | None, cancelled: bool
    ) -> None:
        """An attempt of ``chunk`` on ``worker`` (None: it never started) failed with
        ``exc``: returns when the chunk should be retried, raises when the render fails
        (RenderCancelled, RenderError for the page's own error, FarmError after too many
        attempts)."""
        failure = (
            exc
            if isinstance(exc, ChunkFailed)
            else ChunkFailed(
                f"{type(exc).__name__}: {exc}" if exc else "The chunk failed.", kind="crash"
            )
        )
        if failure.kind == "cancelled" and cancelled:
            raise RenderCancelled()
        if not failure.retryable:
            raise RenderError(failure.message, stage=failure.stage)
        self.last_error = failure
        if worker is not None:
            who = self.identity(worker)
            self.worker_failures[who] += 1
            self.failed_on[chunk.index].add(who)
            if self.worker_failures[who] >= BLOCKLIST_AFTER:
                self.blocklist.add(who)
        self.chunk_failures[chunk.index] += 1
        if self.chunk_failures[chunk.index] >= MAX_ATTEMPTS:
            raise FarmError(
                f"Frames {chunk.start}-{chunk.end} failed on {MAX_ATTEMPTS} attempts; the last "
                f"error was: {failure.message}",
                stage=failure.stage,
            )
        self.retries += 1

    def no_worker_left(self, some_excluded: bool) -> FarmError:
        """The sentence for a render left without a worker (``some_excluded``: some could
        not render it at all)."""
        detail = f" The last error was: {self.last_error.message}" if self.last_error else ""
        if self.blocklist:
            return FarmError(
                f"No farm worker is left for this render: {len(self.blocklist)} worker(s) "
                f"failed {BLOCKLIST_AFTER} chunks each and were left out.{detail} Fix: check "
                "those workers (FFmpeg, disk space, memory), or render on this computer."
            )
        if some_excluded:
            return FarmError(
                "No farm worker can render this: the workers differ from this computer or "
                f"could not receive the project.{detail} Fix: install the same versions on the "
                "workers and check their disk space."
            )
        return FarmError(
            "The render farm has no workers. Fix: start at least one 'dask worker' for this "
            "scheduler, or render on this computer."
        )
