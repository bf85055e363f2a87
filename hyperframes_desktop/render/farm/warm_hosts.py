"""Warm chunk hosts of one farm worker process.

A chunk's fixed cost is its capture processes' start (Qt, Chromium) and the page load. A
warm host is a chunk runner started with ``--host`` that runs one render's chunks one after
another and keeps its capture processes, with the page loaded, between them: a chunk after
the first pays seek + capture only. The worker's spare host (started before any render) is
given to a render as soon as the worker holds its bundle and loads the page then
(:func:`preload`), so the first chunk pays seek + capture only too.

A host belongs to one render and runs one chunk at a time. It stays a chunk process in every
other way: its own process group with a record (supervisor.py), it dies with the worker
process that started it, and stopping it ends its whole group. Idle hosts are stopped after
``HYPERFRAMES_FARM_WARM_IDLE_S`` seconds (default 5: a render's next chunk follows at once),
when the client says its render ended or was cancelled (:func:`release`), when a chunk of
theirs sees the render cancelled or its client gone, and after any chunk that failed. A
render's host stopped for idling (its client never released it) is followed by a new spare.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.render.env_numbers import env_number
from hyperframes_desktop.render.farm.supervisor import ChunkProcess

REAP_EVERY_S = 0.5


def idle_limit_s() -> float:
    return env_number("HYPERFRAMES_FARM_WARM_IDLE_S", 5.0, 0.0)


#: "0" turns the spare host off (a worker then starts a host when its first chunk comes).
SPARE_SWITCH_ENV = "HYPERFRAMES_FARM_SPARE_HOST"
#: The frames of a typical chunk, for how many capture processes a spare host starts.
SPARE_CHUNK_FRAMES = 60


def spare_enabled() -> bool:
    return os.environ.get(SPARE_SWITCH_ENV, "1") != "0"


@dataclass
class _Host:
    render: str | None  # None: the worker's spare, not yet given to a render
    proc: ChunkProcess
    idle_since: float | None = None  # None: running a chunk (or a spare)
    ran: bool = False  # it ran a chunk of its render (a preloaded host has not yet)


_lock = threading.Lock()
_hosts: list[_Host] = []
_reaper: threading.Thread | None = None


def take(render: str, job_file: Path, log_file: Path) -> tuple[ChunkProcess, bool]:
    """An idle warm host of ``render`` (True: reused), else the worker's spare host, else a
    new one started for it (False)."""
    stale: list[ChunkProcess] = []
    chosen: ChunkProcess | None = None
    reused = False
    with _lock:
        for host in list(_hosts):
            if host.render != render or host.idle_since is None:
                continue
            if host.proc.live and chosen is None:
                host.idle_since, chosen, reused = None, host.proc, host.ran
                host.ran = True
            elif not host.proc.live:
                _hosts.remove(host)
                stale.append(host.proc)
        if chosen is None:
            chosen = _adopt_spare(render)  # a first chunk, but its capture processes are up
    for proc in stale:
        proc.stop()
    if chosen is not None:
        with contextlib.suppress(queue.Empty):
            while True:
                chosen.messages.get_nowait()  # nothing is pending between chunks: be sure
        return chosen, reused
    proc = ChunkProcess(job_file, log_file, host=True)
    with _lock:
        _hosts.append(_Host(render, proc, ran=True))
        _start_reaper()
    return _start_listed(proc), False


def _start_listed(proc: ChunkProcess) -> ChunkProcess:
    """Start a host already in ``_hosts``; one that fails to start leaves the list."""
    try:
        proc.start()
    except BaseException:
        drop(proc)
        raise
    return proc


def _adopt_spare(render: str) -> ChunkProcess | None:
    """The worker's live spare host, now ``render``'s and running its chunk (under
    ``_lock``)."""
    for host in _hosts:
        if host.render is None and host.proc.live:
            host.render, host.idle_since, host.ran = render, None, True
            return host.proc
    return None


def preload(render: str, write_job: Callable[[Path], Path]) -> bool:
    """Give the worker's spare host to ``render`` now and have its capture processes load
    the render's page (the job file ``write_job`` writes into the host's folder), so the
    render's first chunk here pays seek + capture only. False: no spare to give (the first
    chunk then starts its host as before). The host is then an idle host of ``render``:
    its first chunk takes it, and it ends like the render's other hosts (:func:`release`,
    or the idle limit if no chunk comes)."""
    with _lock:
        host = next((h for h in _hosts if h.render is None and h.proc.live), None)
        if host is None:
            return False
        host.render, host.idle_since = render, time.monotonic()
    try:
        host.proc.preload(write_job(host.proc.job_file.parent))
    except Exception:
        drop(host.proc)  # gone, or its folder unwritable: never the render's failure
        return False
    return True


def start_spare() -> ChunkProcess | None:
    """Start this worker's spare host unless it has one (or spares are off): a chunk host
    with no render yet whose capture processes come up now (Qt and Chromium, no page), so
    the worker's next first chunk pays only its page load. It is a chunk process like any
    other (its own group and record, it dies with the worker); a render adopts it
    (:func:`take`) and releases it like its other hosts, and a new spare follows."""
    if not spare_enabled():
        return None
    from hyperframes_desktop.render.capture_stage import auto_workers
    from hyperframes_desktop.render.farm.store import chunk_folder

    with _lock:
        if any(h.render is None for h in _hosts):
            return None
        folder = chunk_folder(f"spare-{uuid.uuid4().hex[:12]}")
        proc = ChunkProcess(
            folder / "job.json", folder / "chunk.log", host=True,
            standby=auto_workers(SPARE_CHUNK_FRAMES),
        )  # fmt: skip
        _hosts.append(_Host(None, proc))
        _start_reaper()
    return _start_listed(proc)


def give_back(proc: ChunkProcess) -> None:
    """The chunk succeeded: the host waits for the render's next chunk."""
    with _lock:
        for host in _hosts:
            if host.proc is proc:
                host.idle_since = time.monotonic()
                return
    proc.stop()  # released meanwhile


def drop(proc: ChunkProcess) -> None:
    """Stop the host (its chunk failed or was cancelled) and forget it."""
    with _lock:
        _hosts[:] = [h for h in _hosts if h.proc is not proc]
    proc.stop()


def release(render: str | None = None) -> int:
    """Stop every host of ``render`` (all hosts with None), idle or busy, and wait until
    their process groups are gone; returns how many. The client calls it on every worker
    when a render ends or is cancelled."""
    with _lock:
        gone = [h for h in _hosts if render is None or h.render == render]
        _hosts[:] = [h for h in _hosts if h not in gone]
    stoppers = [threading.Thread(target=h.proc.stop, daemon=True) for h in gone]
    for stopper in stoppers:
        stopper.start()
    for stopper in stoppers:
        stopper.join(timeout=10)
    return len(gone)


def respare() -> None:
    """A new spare host for the next render, unless the worker has one or spares are off
    (an optimisation: never a failure)."""
    with contextlib.suppress(Exception):
        start_spare()


def running() -> list[ChunkProcess]:
    with _lock:
        return [h.proc for h in _hosts]


def _start_reaper() -> None:
    global _reaper
    if _reaper is None or not _reaper.is_alive():
        _reaper = threading.Thread(target=_reap, daemon=True, name="hf-warm-reaper")
        _reaper.start()


def _reap() -> None:
    """Stop hosts idle for longer than the limit, and hosts that died on their own."""
    while True:
        time.sleep(REAP_EVERY_S)
        limit = idle_limit_s()
        now = time.monotonic()
        with _lock:
            done = [
                h
                for h in _hosts
                if (h.idle_since is not None and now - h.idle_since > limit)
                or (h.proc.returncode is not None and (h.idle_since is not None or not h.render))
            ]
            _hosts[:] = [h for h in _hosts if h not in done]
        for host in done:
            host.proc.stop()
        if any(h.render is not None and h.idle_since is not None for h in done):
            # a render's idle host ended without the render releasing it (its client died
            # after the page was preloaded, or never released): the worker's spare is gone
            # with it, so start the next one (never for a spare that died on its own: a
            # spare that cannot start would be restarted forever)
            respare()
