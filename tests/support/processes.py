"""Finding processes a render may have left behind."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import psutil


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running()
    except psutil.Error:
        return False


def child_processes_of_tmp(marker: str) -> list[psutil.Process]:
    """Every live process (other than this one) whose command line or environment contains
    ``marker``, e.g. a test's tmp_path.

    The environment matters: Chromium's helper processes carry no file path on their command
    line but inherit the environment of the render process that started them, so a marker
    put in the environment (TMPDIR, or a dedicated variable) finds them even after they were
    re-parented to init.
    """
    me = os.getpid()
    found: list[psutil.Process] = []
    for proc in psutil.process_iter(["pid", "cmdline", "environ"], ad_value=None):
        if proc.pid == me:
            continue
        info = proc.info
        cmdline = " ".join(info.get("cmdline") or [])
        environ = info.get("environ") or {}
        if marker in cmdline or any(marker in value for value in environ.values()):
            found.append(proc)
    return [p for p in found if _alive(p)]


def _own_webengine_helper(proc: psutil.Process, me: int) -> bool:
    """A QtWebEngine helper of THIS test process (the studio tests run QtWebEngine in-process);
    a render's helpers are children of its capture worker, never of the test process."""
    try:
        return proc.ppid() == me and proc.name().startswith("QtWebEngine")
    except psutil.Error:
        return False


def live_children() -> list[psutil.Process]:
    """This process's descendants (recursive), zombies included: an unreaped child is a leak.

    The test process's own QtWebEngine helpers (and their children) are not a render's."""
    me = os.getpid()
    try:
        children = psutil.Process(me).children(recursive=True)
    except psutil.Error:
        return []
    own = {p.pid for p in children if _own_webengine_helper(p, me)}
    for proc in children:
        try:
            if proc.pid not in own and any(a.pid in own for a in proc.parents()):
                own.add(proc.pid)
        except psutil.Error:
            continue
    return [p for p in children if p.pid not in own]


def wait_until_gone(
    find: Callable[[], list[psutil.Process]], timeout: float = 5.0
) -> list[psutil.Process]:
    """Poll ``find`` until it returns nothing or ``timeout`` passes; returns the last result."""
    deadline = time.monotonic() + timeout
    left = find()
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = find()
    return left


def describe(procs: list[psutil.Process]) -> str:
    out = []
    for p in procs:
        try:
            out.append(f"{p.pid} {p.status()} {' '.join(p.cmdline())[:160]}")
        except psutil.Error:
            out.append(f"{p.pid} (gone)")
    return "; ".join(out)
