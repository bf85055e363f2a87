"""Warm chunk hosts of one farm worker process.

A chunk's fixed cost is its capture processes' start (Qt, Chromium) and the page load. A
warm host is a chunk runner started with ``--host`` that runs one render's chunks one after
another and keeps its capture processes, with the page loaded, between them: a chunk after
the first pays seek + capture only.

A host belongs to one render and runs one chunk at a time. It stays a chunk process in every
other way: its own process group with a record (supervisor.py), it dies with the worker
process that started it, and stopping it ends its whole group. Idle hosts are stopped after
``HYPERFRAMES_FARM_WARM_IDLE_S`` seconds (default 5: a render's next chunk follows at once),
when the client says its render ended or was cancelled (:func:`release`), when a chunk of
theirs sees the render cancelled or its client gone, and after any chunk that failed.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.render.env_numbers import env_number
from hyperframes_desktop.render.farm.supervisor import ChunkProcess

REAP_EVERY_S = 0.5


def idle_limit_s() -> float:
    return env_number("HYPERFRAMES_FARM_WARM_IDLE_S", 5.0, 0.0)


@dataclass
class _Host:
    render: str
    proc: ChunkProcess
    idle_since: float | None = None  # None: running a chunk


_lock = threading.Lock()
_hosts: list[_Host] = []
_reaper: threading.Thread | None = None


def take(render: str, job_file: Path, log_file: Path) -> tuple[ChunkProcess, bool]:
    """An idle warm host of ``render`` (True: reused), or a new one started for it."""
    stale: list[ChunkProcess] = []
    chosen: ChunkProcess | None = None
    with _lock:
        for host in list(_hosts):
            if host.render != render or host.idle_since is None:
                continue
            if host.proc.returncode is None and not host.proc.stopped and chosen is None:
                host.idle_since, chosen = None, host.proc
            elif host.proc.returncode is not None or host.proc.stopped:
                _hosts.remove(host)
                stale.append(host.proc)
    for proc in stale:
        proc.stop()
    if chosen is not None:
        with contextlib.suppress(queue.Empty):
            while True:
                chosen.messages.get_nowait()  # nothing is pending between chunks: be sure
        return chosen, True
    proc = ChunkProcess(job_file, log_file, host=True)
    with _lock:
        _hosts.append(_Host(render, proc))
        _start_reaper()
    try:
        proc.start()
    except BaseException:
        drop(proc)
        raise
    return proc, False


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
                if h.idle_since is not None
                and (now - h.idle_since > limit or h.proc.returncode is not None)
            ]
            _hosts[:] = [h for h in _hosts if h not in done]
        for host in done:
            host.proc.stop()
