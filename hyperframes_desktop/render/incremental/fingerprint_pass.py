"""The fingerprint pass: warm capture workers load the page once, hash every frame's state in
the page (no frame is grabbed), and stay loaded to capture the chunks that changed."""

from __future__ import annotations

import queue
import threading
import time

from hyperframes_desktop.render.capture_process import WorkerState
from hyperframes_desktop.render.capture_stage import SILENCE_LIMIT_S, CaptureRequest, WarmCapture
from hyperframes_desktop.render.incremental.warm_pool import new_worker
from hyperframes_desktop.render.options import RenderCancelled, RenderError
from hyperframes_desktop.render.worker_exit import describe_exit


def fingerprint_frames(
    req: CaptureRequest, count: int, warm: WarmCapture, cancel: threading.Event
) -> tuple[dict[int, str], float]:
    """Fingerprints of every frame of ``req``'s range ("" where the page cannot tell), and
    the longest time a worker spent hashing in the page (ms; the rest was process start and
    page load). The workers are ``warm``'s when it has some for this page (lent by a warm
    pool), else ``count`` new ones that ``warm`` keeps afterwards (the caller stops them)."""
    wanted = req.frame_range
    events: queue.Queue = queue.Queue()
    workers = list(warm.workers)
    if not workers:
        workers = [new_worker(req, slot, wanted[slot::count]) for slot in range(count)]
        warm.adopt(workers, req)  # from here on the caller's warm.stop() ends them
    count = len(workers)
    for slot, worker in enumerate(workers):
        worker.state = WorkerState(index=slot, frames=wanted[slot::count])
        worker.events = events
        worker.fingerprint(worker.state.frames)
    found: dict[int, str] = {}
    hash_ms = 0.0
    waiting = set(range(count))
    while waiting:
        if cancel.is_set():
            raise RenderCancelled()
        try:
            worker, message = events.get(timeout=0.1)
        except queue.Empty:
            now = time.monotonic()
            if any(now - workers[k].state.last_message_at > SILENCE_LIMIT_S for k in waiting):
                raise RenderError(
                    "The capture process stopped responding while fingerprinting frames (the "
                    "composition may be stuck in an endless script). Check the composition's "
                    "scripts, or render with --no-cache.",
                    stage="capture",
                ) from None
            continue
        worker.state.last_message_at = time.monotonic()
        kind = message.get("event")
        if kind == "fingerprints":
            found.update((int(frame), str(value)) for frame, value in message["frames"])
            hash_ms = max(hash_ms, float(message.get("ms") or 0.0))
            waiting.discard(worker.state.index)
        elif kind == "error":
            stage, text = worker.state.error or ("capture", str(message.get("message", "")))
            raise RenderError(text, stage=stage)
        elif kind == "exit":
            code = worker.wait_ended()
            raise RenderError(describe_exit(code, worker.state.page_errors), stage="capture")
    return found, hash_ms
