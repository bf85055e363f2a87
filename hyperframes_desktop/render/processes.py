"""Process-tree bookkeeping: peak memory of the render tree and stopping it cleanly."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from pathlib import Path

import psutil

#: How often the sampler reads the scratch folder's size, and at most how often PSS.
_SLOW_EVERY_S = 2.0
#: PSS is read again only when the summed RSS grew past the last PSS reading's by this factor,
#: and at most this often.
_PSS_AGAIN_ABOVE = 1.05
_PSS_EVERY_S = 4.0
#: How often the sampler looks for new processes in the tree (RSS is read every interval).
_FAMILY_EVERY_S = 1.0


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


#: Linux with CONFIG_PROC_CHILDREN: each thread lists the children it started.
_CHILDREN_FILES = os.path.exists(f"/proc/self/task/{os.getpid()}/children")


def _child_pids(pid: int) -> list[int]:
    """``pid``'s children from /proc/PID/task/*/children: a few reads per thread of the
    tree, where psutil would read the stat file of every process on the machine."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []  # ended meanwhile
    children: list[int] = []
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children", "rb") as listing:
                children += [int(c) for c in listing.read().split()]
        except (OSError, ValueError):
            continue  # a thread that ended meanwhile
    return children


def _family(root: psutil.Process) -> list[psutil.Process]:
    """``root`` and all its descendants."""
    if not _CHILDREN_FILES:
        try:
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []
    family, pending = [root], _child_pids(root.pid)
    while pending:
        pid = pending.pop()
        with contextlib.suppress(psutil.Error):
            family.append(psutil.Process(pid))
        pending += _child_pids(pid)
    return family


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
    """Samples the RSS of this process and all its descendants, and a scratch folder's size.

    What each reading costs decides how often it is taken (measured during a 1080p render,
    bench/RESULTS.md "Issue 17, session 5"): the RSS of a known process is a small /proc read
    (~0.06 ms), so it is read every ``interval``; the tree's processes are looked up every
    ``_FAMILY_EVERY_S`` from the tree's own /proc children lists (~1 ms; psutil would read
    the stat file of every process on the machine, 3 ms and more on a busy machine); PSS
    makes the kernel walk every page (~20-35 ms for a 1080p render's tree), so it is read
    only when the summed RSS grew 5 % past the last PSS reading, at most every
    ``_PSS_EVERY_S``, and at the end. Before, at every 0.1 s, 2 s and 3 %, the sampler
    was 3 of the 4 CPU-seconds the CLI process spent on a 150-frame 1080p render.
    """

    def __init__(self, scratch: Path | None, interval: float = 0.2) -> None:
        super().__init__(daemon=True, name="hf-resource-sampler")
        self._scratch = scratch
        self._interval = interval
        self._stop = threading.Event()
        self.peak_rss = 0
        self.peak_pss = 0
        self.peak_tmp = 0
        self._me = psutil.Process()
        self._family: list[psutil.Process] = []
        self._family_at = -_FAMILY_EVERY_S
        self._slow_at = -_SLOW_EVERY_S
        self._pss_at = -_PSS_EVERY_S
        self._pss_read_at_rss = 0

    def sample(self, full: bool = False) -> None:
        """RSS on every call (the tree's processes looked up every ``_FAMILY_EVERY_S``);
        PSS when the RSS grew 5 % past the last PSS reading (at most every
        ``_PSS_EVERY_S``) and on ``full``; the scratch folder's size every
        ``_SLOW_EVERY_S`` and on ``full``."""
        now = time.monotonic()
        if full or now - self._family_at >= _FAMILY_EVERY_S:
            self._family = _family(self._me)
            self._family_at = now
        by_pid = _rss_by_pid(self._family)
        rss = sum(by_pid.values())
        grown = rss > self._pss_read_at_rss * _PSS_AGAIN_ABOVE
        if full or (grown and now - self._pss_at >= _PSS_EVERY_S):
            self.peak_pss = max(self.peak_pss, _pss_sum(by_pid))
            self._pss_read_at_rss = rss
            self._pss_at = now
        self.peak_rss = max(self.peak_rss, rss)
        if full or now - self._slow_at >= _SLOW_EVERY_S:
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
