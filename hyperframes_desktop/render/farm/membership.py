"""The farm's workers as one render sees them: which are prepared for it (versions checked,
project sent, page preloaded), which are left out because they cannot render it, and who is
who across a nanny's restart. Workers may join and leave during a render."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable

from hyperframes_desktop.render.farm.chunk_task import ChunkFailed
from hyperframes_desktop.render.farm.prepare import prepare_all
from hyperframes_desktop.render.farm.settings import BLOCKLIST_AFTER
from hyperframes_desktop.render.options import RenderCancelled


class RenderWorkers:
    def __init__(self, client, prepare: Callable[[str], bool]) -> None:
        self.client = client
        self.prepare = prepare  # a new worker: True when ready, False when it cannot render
        self.prepared: set[str] = set()
        self.excluded: set[str] = set()  # workers that cannot render this (versions, bundle)
        self.prepare_failures: Counter[str] = Counter()
        #: why a worker was last left out after failing to receive the project (the caller
        #: takes it for its "no worker left" sentence: take_error)
        self.last_error: ChunkFailed | None = None
        self._identities: dict[str, str] = {}

    def refresh(self) -> dict[str, int]:
        """The farm's workers now (address: threads); the new ones are prepared first."""
        workers = dict(self.client.nthreads())
        new = [w for w in workers if w not in self.prepared and w not in self.excluded]
        # every new worker gets the project at once, not one after another (a 16-worker
        # farm would otherwise wait for 16 transfers in a row before its last worker starts)
        outcomes = prepare_all(self.prepare, new)
        cancelled = [o for o in outcomes.values() if isinstance(o, RenderCancelled)]
        if cancelled:
            raise cancelled[0]
        for worker in new:
            ready = outcomes[worker]
            if isinstance(ready, BaseException):  # it left meanwhile, or cannot store it
                exc = ready
                self.prepare_failures[worker] += 1
                if self.prepare_failures[worker] >= BLOCKLIST_AFTER:
                    self.excluded.add(worker)
                    self.last_error = ChunkFailed(
                        f"Sending the project to a worker failed: {type(exc).__name__}: {exc}"
                    )
                continue
            if ready:
                self.prepared.add(worker)
            else:
                self.excluded.add(worker)
        return workers

    def take_error(self) -> ChunkFailed | None:
        error, self.last_error = self.last_error, None
        return error

    def joining(self, workers: dict[str, int]) -> list[str]:
        """Workers not yet prepared nor left out (their preparation failed and is retried)."""
        return [w for w in workers if w not in self.prepared | self.excluded]

    def identity(self, worker: str) -> str:
        """What stays the same when a nanny restarts this worker: its nanny's address, else
        its name, else (a worker without a nanny) its own address."""
        if worker not in self._identities:
            with contextlib.suppress(Exception):
                for address, info in self.client.scheduler_info(n_workers=-1)["workers"].items():
                    nanny = info.get("nanny")
                    self._identities[address] = str(nanny or info.get("name") or address)
        return self._identities.get(worker, worker)
