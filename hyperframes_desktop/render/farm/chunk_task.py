"""The Dask task of one chunk attempt, run on a worker.

It starts the chunk runner under the supervisor, relays its progress to the client (a Dask
event topic), and watches two things: the cancel signals (the render's and this attempt's
``distributed.Event``, and the scheduler letting go of the task when its client cancels it
or disappears) and stalls (no new frame for ``stall_timeout_s``). Either ends the chunk's
whole process group before the task returns.
"""

from __future__ import annotations

import contextlib
import json
import queue
import shutil
import time
from pathlib import Path

from hyperframes_desktop.render.farm import warm_hosts
from hyperframes_desktop.render.farm.segments import segment_name
from hyperframes_desktop.render.farm.store import bundle_dir, chunk_folder, sweep
from hyperframes_desktop.render.farm.supervisor import ChunkProcess, reap_orphans

#: How often the cancel signals are asked for (a scheduler round trip each).
CANCEL_POLL_S = 0.3
PROGRESS_EVERY_S = 0.5
#: A segment up to this size comes back inside the chunk's answer (a 10-frame 1080p MP4
#: segment is ~0.1 MB); a larger one is fetched in pieces (transfer.fetch_files)
INLINE_BYTES = 4 << 20


class ChunkFailed(Exception):
    """A chunk attempt failed. ``retryable`` is False for composition errors."""

    def __init__(
        self, message: str, stage: str = "capture", retryable: bool = True, kind: str = "error"
    ) -> None:
        super().__init__(message, stage, retryable, kind)
        self.message, self.stage, self.retryable, self.kind = message, stage, retryable, kind

    def __str__(self) -> str:
        return self.message


async def release_warm_hosts(render: str) -> int:
    """Run on every worker (``client.run``) when a render ends or is cancelled: its warm
    chunk hosts and their capture processes end before this returns (in a thread: the
    worker's event loop keeps serving meanwhile); a new spare host for the next render
    (warm_hosts.respare) is started after it returned, so the render does not wait for it."""
    import asyncio

    count = await asyncio.to_thread(warm_hosts.release, render)
    asyncio.get_running_loop().run_in_executor(None, warm_hosts.respare)
    return count


def run_chunk(job: dict) -> dict:
    from distributed import Event, get_worker

    worker = get_worker()
    if not _first_run(Event(f"hf-ran-{job['attempt']}")):
        # Dask re-ran this attempt after its worker died: the client retries it under a new
        # key on a worker of its choice (and counts the retry); this copy never starts
        raise ChunkFailed("The chunk's worker left the farm.", kind="lost")
    reap_orphans()
    with contextlib.suppress(OSError):
        sweep()  # at most hourly: leftovers of earlier renders (e.g. under 'dask worker')
    bundle = bundle_dir(job["bundle"])
    if not (bundle / ".complete").is_file():
        raise ChunkFailed("The project bundle is missing on this worker.", kind="bundle")
    folder = chunk_folder(job["attempt"])
    _write_runner_job(job, bundle, folder / "job.json")
    topic = job["topic"]
    note = {"chunk": job["chunk"], "attempt": job["attempt"], "worker": worker.address}
    signals = [
        Event(job["cancel_event"]),
        Event(job["attempt_event"]),
        _Released(worker, worker.get_current_task()),
    ]
    worker.log_event(topic, {**note, "kind": "start", "done": 0})
    cost: dict = {}
    proc: ChunkProcess | None = None
    reused = False
    try:
        # a warm host of this render (its capture processes and page kept), else a new one
        job_file, log_file = folder / "job.json", folder / "chunk.log"
        proc, reused = warm_hosts.take(job["cancel_event"], job_file, log_file)
        try:
            proc.send(job_file, log_file)
        except OSError as exc:
            raise ChunkFailed(f"The warm chunk process is gone ({exc}).", kind="crash") from exc
        cost = _follow(
            proc,
            job,
            signals,
            lambda done: worker.log_event(topic, {**note, "kind": "progress", "done": done}),
        )
    except BaseException as exc:
        if proc is not None:
            warm_hosts.drop(proc)  # a failed or cancelled chunk leaves no process behind
        if isinstance(exc, ChunkFailed) and exc.kind == "cancelled":
            # the render was cancelled or its client is gone: its idle hosts here end too
            warm_hosts.release(job["cancel_event"])
        shutil.rmtree(folder, ignore_errors=True)
        raise
    else:
        warm_hosts.give_back(proc)
    finally:
        worker.log_event(topic, {**note, "kind": "end"})
    cost = {
        **cost,
        "warm": reused,
        "spare": bool(proc.standby),  # a host started before the render, as the worker's spare
        "host_pid": proc.proc.pid if proc.proc else None,
    }
    output = folder / segment_name(job["format"])
    files = sorted(output.iterdir()) if output.is_dir() else [output]
    listed = [(str(f), f.name, f.stat().st_size) for f in files]
    answer = {**note, "folder": str(folder), "files": listed, "cost": cost}
    if sum(size for _, _, size in listed) <= INLINE_BYTES:
        # the segment travels with the answer: its take-in needs no fetch round trip
        answer["data"] = [f.read_bytes() for f in files]
    return answer


def _write_runner_job(job: dict, bundle: Path, job_file: Path) -> Path:
    """The chunk runner's job (frames ``job["start"]..job["end"]`` of the bundle's page),
    its output and scratch in ``job_file``'s folder."""
    folder = job_file.parent
    (folder / "scratch").mkdir(parents=True, exist_ok=True)
    runner_job = {
        **job["page"],
        "html_path": str(bundle / "page" / "composition.html"),
        "format": job["format"],
        "quality": job["quality"],
        "start": job["start"],
        "end": job["end"],
        "output": str(folder / segment_name(job["format"])),
        "scratch": str(folder / "scratch"),
        "workers": job.get("workers"),
        "crf": job.get("crf"),
        "video_bitrate": job.get("video_bitrate"),
    }
    job_file.write_text(json.dumps(runner_job), encoding="utf-8")
    return job_file


def preload_page(job: dict) -> bool:
    """Run on a worker (``client.run``) as soon as it holds a render's bundle: its spare
    host becomes the render's (``job["cancel_event"]`` names the render, as for its chunks)
    and loads the page now, while the client dispatches the chunks; ``job`` is a chunk's job
    whose frames give the crew's size. Returns at once (the page loads in the capture
    processes); False when there is nothing to preload into (no spare, no bundle)."""
    bundle = bundle_dir(job["bundle"])
    if not (bundle / ".complete").is_file():
        return False
    return warm_hosts.preload(
        job["cancel_event"],
        lambda folder: _write_runner_job(job, bundle, folder / "preload" / "job.json"),
    )


def _first_run(ran) -> bool:
    """True the first time an attempt runs anywhere (``ran``: its ``distributed.Event``)."""
    if ran.is_set():
        return False
    ran.set()
    return True


class _Released:
    """Set when the scheduler let go of this task (its client cancelled it, or died): Dask
    would let it run to its end, the chunk stops instead."""

    def __init__(self, worker, key) -> None:
        self.worker, self.key = worker, key

    def is_set(self) -> bool:
        task = self.worker.state.tasks.get(self.key)
        return task is None or task.state in ("cancelled", "released", "forgotten")


def _follow(proc: ChunkProcess, job: dict, signals: list, report) -> dict:
    """Relay the chunk's progress until it is done; returns the cost it measured."""
    stall = float(job["stall_timeout_s"])
    last_frame_at = time.monotonic()
    last_poll = last_report = 0.0
    done = reported = 0
    while True:
        try:
            message = proc.messages.get(timeout=0.1)
        except queue.Empty:
            message = None
        now = time.monotonic()
        if message is not None:
            kind = message.get("event")
            if kind == "progress":
                if int(message.get("done", 0)) > done:
                    done = int(message["done"])
                    last_frame_at = now
            elif kind == "done":
                report(done)
                cost = {k: float(message[k]) for k in ("fixed_ms", "frame_ms") if k in message}
                return {
                    **cost,
                    "capture_pids": list(message.get("capture_pids", [])),
                    "page_loaded": bool(message.get("page_loaded")),
                    "phases": dict(message.get("phases") or {}),
                }
            elif kind == "cancelled":
                raise ChunkFailed("The chunk was cancelled.", kind="cancelled")
            elif kind == "error":
                raise ChunkFailed(
                    message.get("message", "The chunk failed."),
                    message.get("stage", "capture"),
                    bool(message.get("retryable", True)),
                )
            elif kind == "exit":
                proc.stop()
                tail = proc.tail()
                raise ChunkFailed(
                    f"The chunk process exited unexpectedly (exit code {proc.returncode})."
                    + (f" Last output: {tail}" if tail else ""),
                    kind="crash",
                )
        if now - last_poll >= CANCEL_POLL_S:
            last_poll = now
            if any(signal.is_set() for signal in signals):
                proc.stop()
                raise ChunkFailed("The chunk was cancelled.", kind="cancelled")
        if now - last_frame_at > stall:
            proc.stop()
            raise ChunkFailed(
                f"The chunk captured no frame for {stall:g} s and was stopped.", kind="stall"
            )
        if done != reported and now - last_report >= PROGRESS_EVERY_S:
            report(done)
            reported, last_report = done, now
