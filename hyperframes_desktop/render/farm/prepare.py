"""Getting workers ready for a render: each new worker's version check and bundle
transfer, all at once (a farm of 16 workers would otherwise wait for 16 transfers in a row
before its last worker can start), then the render's page loaded there ahead of its first
chunk (:func:`preload`)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

#: How many workers are sent the project at once.
PREPARE_AT_ONCE = 16


def prepare_all(
    prepare: Callable[[str], bool], workers: list[str]
) -> dict[str, bool | BaseException]:
    """``prepare`` (version check, bundle transfer) for each worker, in parallel threads;
    each worker's answer, or the exception its preparation raised."""

    def one(worker: str) -> bool | BaseException:
        try:
            return prepare(worker)
        except Exception as exc:  # RenderCancelled too: the caller decides
            return exc

    if len(workers) <= 1:
        return {worker: one(worker) for worker in workers}
    with ThreadPoolExecutor(min(PREPARE_AT_ONCE, len(workers)), "hf-farm-prepare") as pool:
        return dict(zip(workers, pool.map(one, workers), strict=True))


#: "0" in the client's environment: no page is loaded ahead (the first chunk loads it), for
#: measuring what the preload buys (bench/farm_bench.py --no-preload)
PRELOAD_SWITCH_ENV = "HYPERFRAMES_FARM_PRELOAD"


def preload(client, worker: str, job: dict) -> bool:
    """``worker`` holds the render's bundle: its spare host loads the page now
    (chunk_task.preload_page), while the first chunk is dispatched, so that chunk pays seek
    + capture only. ``job`` is a chunk's job (its frames size the capture crew). An
    optimisation only: False when it did not happen, never an error."""
    from hyperframes_desktop.render.farm.chunk_task import preload_page

    if os.environ.get(PRELOAD_SWITCH_ENV, "1") == "0":
        return False
    with contextlib.suppress(Exception):
        return bool(client.run(preload_page, job, workers=[worker]).get(worker))
    return False
