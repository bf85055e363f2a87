"""Taking a finished chunk in: its task's result and its segment, made durable in a staging
folder, on a take-in thread of the client (``scheduler.ChunkRun`` runs several at once and
commits each on its own loop)."""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.render.farm.transfer import fetch_files, write_answered

#: Finished chunks taken in at once (each: its result, its segment fetched and made durable);
#: a farm's chunks tend to end together, and one after another each waited for the others'
#: round trips and fsync (5-20 ms each, 15 in a row on a 16-worker render)
TAKE_IN_AT_ONCE = 8


@dataclass
class TakenIn:
    """A finished attempt's result and its segment files in ``staging``, or why not."""

    result: dict | None
    staging: Path
    fetch_ms: float = 0.0
    error: BaseException | None = None
    began: float = 0.0  # time.monotonic() at its start and end, on its take-in thread
    ended: float = 0.0

    @property
    def took_ms(self) -> float:
        return (self.ended - self.began) * 1000.0


def take_in(client, future, staging: Path, cancel: threading.Event) -> TakenIn:
    """A finished chunk task's result, and its segment fetched into ``staging`` (on a take-in
    thread: several at once). Never raises: a cancel or a failed fetch is in ``error``, with
    ``staging`` removed."""
    t0 = time.monotonic()
    result = None
    try:
        result = future.result()
        t_fetch = time.monotonic()
        if "data" in result:  # a small segment came with the answer (chunk_task.INLINE_BYTES)
            write_answered(result["files"], result["data"], staging, cancel)
        else:
            fetch_files(client, result["worker"], result["files"], staging, cancel)
        fetch_ms = (time.monotonic() - t_fetch) * 1000.0
    except BaseException as exc:  # RenderCancelled too: the loop decides
        shutil.rmtree(staging, ignore_errors=True)
        return TakenIn(result, staging, error=exc, began=t0, ended=time.monotonic())
    return TakenIn(result, staging, fetch_ms, began=t0, ended=time.monotonic())
