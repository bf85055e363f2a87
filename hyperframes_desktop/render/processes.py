"""Process-tree bookkeeping: peak memory of the render tree and stopping it cleanly."""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from pathlib import Path

import psutil

#: How often the sampler reads what is costly to read (PSS, the scratch folder's size).
_SLOW_EVERY_S = 2.0
#: ... and PSS again sooner when the summed RSS grew past the last reading's by this factor.
_PSS_AGAIN_ABOVE = 1.03


def _pss_bytes(pid: int) -> int | None:
    """Proportional set size (shared pages split between their users), Linux only."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _family(root: psutil.Process) -> list[psutil.Process]:
    try:
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _rss_by_pid(procs: list[psutil.Process]) -> dict[int, int]:
    sizes = {}
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            sizes[proc.pid] = proc.memory_info().rss
    return sizes


def _pss_sum(rss: dict[int, int]) -> int:
    return sum(_pss_bytes(pid) or one for pid, one in rss.items())


def tree_memory_bytes(root: psutil.Process) -> tuple[int, int]:
    """(summed RSS, summed PSS) of ``root`` and all its descendants.

    Summed RSS counts the Qt/Chromium libraries once per capture worker; PSS shares them out,
    so it is what the tree really occupies. PSS falls back to RSS where the kernel has no
    smaps_rollup. PSS is costly: the kernel walks every page of a process for it (a few ms
    per Chromium process).
    """
    rss = _rss_by_pid(_family(root))
    return sum(rss.values()), _pss_sum(rss)


def dir_bytes(folder: Path) -> int:
    total = 0
    with contextlib.suppress(OSError):
        for entry in folder.rglob("*"):
            with contextlib.suppress(OSError):
                if entry.is_file():
                    total += entry.stat().st_size
    return total


class ResourceSampler(threading.Thread):
    """Samples the RSS of this process and all its descendants, and a scratch folder's size."""

    def __init__(self, scratch: Path | None, interval: float = 0.1) -> None:
        super().__init__(daemon=True, name="hf-resource-sampler")
        self._scratch = scratch
        self._interval = interval
        self._stop = threading.Event()
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_tmp = 0
        self._me = psutil.Process()
        self._slow_at = 0.0
        self._pss_read_at_rss = 0

    def sample(self, full: bool = False) -> None:
        """RSS on every call; PSS (costly: a few ms per Chromium process) when the RSS grew
        3 % past the last reading, and it and the scratch folder's size every
        ``_SLOW_EVERY_S`` and on ``full``."""
        now = time.monotonic()
        slow = full or now - self._slow_at >= _SLOW_EVERY_S
        by_pid = _rss_by_pid(_family(self._me))
        rss = sum(by_pid.values())
        if rss > self._pss_read_at_rss * _PSS_AGAIN_ABOVE or slow:
            self.peak_pss = max(self.peak_pss, _pss_sum(by_pid))
            self._pss_read_at_rss = rss
        self.peak_rss = max(self.peak_rss, rss)
        if slow:
            self._slow_at = now
            if self._scratch is not None:
                self.peak_tmp = max(self.peak_tmp, dir_bytes(self._scratch))

    def run(self) -> None:
        while not self._stop.wait(self._interval):
            self.sample()

    def stop(self) -> None:
        """Take the last, full sample (once: reading every process's PSS is costly) and end."""
        if self._stop.is_set():
            return
        self.sample(full=True)
        self._stop.set()


def kill_tree(proc: subprocess.Popen | None, grace: float = 2.0) -> None:
    """Terminate ``proc`` and every descendant; wait for all of them (no zombies, no orphans)."""
    if proc is None:
        return
    try:
        parent = psutil.Process(proc.pid)
        family = [*parent.children(recursive=True), parent]
    except psutil.Error:
        family = []
    for p in family:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _, alive = psutil.wait_procs(family, timeout=grace)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(alive, timeout=grace)
    with contextlib.suppress(Exception):
        proc.wait(timeout=grace)
