""" "Is this process still the one I started?": a process id plus its start time.

A pid alone is reused by the system (after a reboot, or on a busy machine), so everything
that decides whether to remove an owner's files or signal a process group asks here: the
leftovers sweep (scratch and partial files named by their owner), the farm's chunk
supervisor (records of chunk process groups: their owner and their group leader), and the
capture worker (that the parent that started it is still alive).

Start times are kept in 1/100 s since the epoch (what ``psutil`` gives, rounded), so a stamp
fits in a file name: ``<pid>-<start>``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

import psutil

#: A capture worker is told its parent's stamp in this variable.
PARENT_STAMP_ENV = "HYPERFRAMES_PARENT_STAMP"


@dataclass(frozen=True)
class ProcessStamp:
    pid: int
    started: int  # 1/100 s since the epoch

    def __str__(self) -> str:
        return f"{self.pid}-{self.started}"

    @classmethod
    def parse(cls, text: str | None) -> ProcessStamp | None:
        pid, sep, started = (text or "").partition("-")
        if not sep or not pid.isdigit() or not started.isdigit():
            return None
        return cls(int(pid), int(started))

    def same_process(self, unknown: bool = True) -> bool:
        """True when ``pid`` runs and started at ``started`` (±1/100 s); ``unknown`` when
        the system will not tell (e.g. access denied): callers choose the safe side."""
        return same_process(self.pid, self.started, unknown)


def _start_centis(proc: psutil.Process) -> int:
    return round(proc.create_time() * 100)


def started_at(pid: int) -> int | None:
    """The start time of ``pid`` in 1/100 s, None when it does not run."""
    try:
        return _start_centis(psutil.Process(pid))
    except psutil.Error:
        return None


def stamp(pid: int | None = None) -> ProcessStamp:
    """The stamp of ``pid`` (this process by default); raises psutil.NoSuchProcess."""
    if pid is None or pid == os.getpid():
        return _own(os.getpid())
    return ProcessStamp(pid, _start_centis(psutil.Process(pid)))


@lru_cache(maxsize=4)
def _own(pid: int) -> ProcessStamp:
    return ProcessStamp(pid, _start_centis(psutil.Process(pid)))


def same_process(pid: int, started: int | None, unknown: bool = True) -> bool:
    """True when process ``pid`` runs and is the one that started at ``started``.

    ``started`` None (a record from before start times were kept) counts as the same when
    the pid runs. A pid that runs but started at another time was reused: False."""
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return False
        return started is None or abs(_start_centis(proc) - started) <= 1
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:
        return unknown


def boot_id() -> int:
    """This boot (its time, in whole seconds): records from an earlier boot name no process
    that runs now."""
    return int(psutil.boot_time())
