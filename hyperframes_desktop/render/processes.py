"""Process-tree bookkeeping: peak memory of the render tree and stopping it cleanly."""

from __future__ import annotations

import contextlib
import subprocess
import threading
from pathlib import Path

import psutil


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


def tree_memory_bytes(root: psutil.Process) -> tuple[int, int]:
    """(summed RSS, summed PSS) of ``root`` and all its descendants.

    Summed RSS counts the Qt/Chromium libraries once per capture worker; PSS shares them out,
    so it is what the tree really occupies. PSS falls back to RSS where the kernel has no
    smaps_rollup.
    """
    rss = pss = 0
    try:
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            one = proc.memory_info().rss
            rss += one
            pss += _pss_bytes(proc.pid) or one
    return rss, pss


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

    def sample(self) -> None:
        rss, pss = tree_memory_bytes(self._me)
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        if self._scratch is not None:
            self.peak_tmp = max(self.peak_tmp, dir_bytes(self._scratch))

    def run(self) -> None:
        while not self._stop.wait(self._interval):
            self.sample()

    def stop(self) -> None:
        self.sample()
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
