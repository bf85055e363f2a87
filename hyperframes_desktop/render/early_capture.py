"""Capture processes started before their job.

A capture process spends most of its start-up importing Python, PySide6 and QtWebEngine
(≈ 0.4 s of wall time, ≈ 0.25 CPU-s; Chromium itself then comes up in ≈ 0.1 s). Two kinds
are started before the job exists, and a :class:`~render.capture_process.WorkerProcess`
adopts one instead of launching a process:

- a **standby** process (:data:`~render.worker.protocol.STANDBY_ARG`, a farm worker's spare
  chunk host) also starts Qt and Chromium, with whole-tile raster (right for every page);
- a **prepared** process (:data:`~render.worker.protocol.PREPARED_ARG`) only imports. The
  job's own Chromium switches are set when the job arrives, and from there it runs exactly
  as a process started with that job would: same switches, same code, same pixels.

The CLI's ``render`` starts one prepared process as its first act (:func:`start_early`),
so those imports overlap the CLI's own imports and the compile. The first capture process
the render needs (the page-duration probe, a still, the render's first worker) adopts it
(:func:`take_early`); one nobody took is stopped when the CLI ends (:func:`stop_early`) and
in any case ends itself when its stdin closes or its parent dies.

This module stays light (no Qt, no compile): the CLI imports it before anything else.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import subprocess
import threading
from pathlib import Path

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.kept_heap import kept_heap_env
from hyperframes_desktop.render.process_identity import PARENT_STAMP_ENV, stamp
from hyperframes_desktop.render.processes import kill_tree
from hyperframes_desktop.render.worker.protocol import PREPARED_ARG, STANDBY_ARG

#: ``0`` turns the CLI's early capture process off (to compare with and without it).
EARLY_CAPTURE_ENV = "HYPERFRAMES_EARLY_CAPTURE"

_F_SETPIPE_SZ = 1031  # Linux: bigger pipes mean fewer wake-ups per multi-megabyte frame


def widen_pipe(fd: int, size: int = 1 << 20) -> None:
    with contextlib.suppress(OSError):
        fcntl.fcntl(fd, _F_SETPIPE_SZ, size)


def _drain(stream) -> None:
    """Chromium is chatty on stderr: keep reading so the pipe never fills and blocks it."""
    for _line in stream:
        pass


def launch_worker(arg: Path, write_end: int, *, stdin: bool) -> subprocess.Popen:
    """A capture worker process for ``arg`` (a job file, or a before-the-job marker), its
    frames going to the pipe's ``write_end`` (the same number in the child), its stderr
    drained. Its frame-sized buffers stay in glibc's heap (render.kept_heap)."""
    proc = tools.launch(
        tools.worker_command(arg),
        env={PARENT_STAMP_ENV: str(stamp()), **kept_heap_env()},
        stdin=subprocess.PIPE if stdin else None,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(write_end,),
    )
    threading.Thread(target=_drain, args=(proc.stderr,), daemon=True).start()
    return proc


class Standby:
    """A capture process started before its job (see the module's docstring): ``prepared``
    only imports, otherwise Qt and Chromium come up too. Until a
    :class:`~render.capture_process.WorkerProcess` adopts it, whoever holds it stops it. Its
    frame pipe is made now: the child keeps the write end's number."""

    def __init__(self, *, prepared: bool = False) -> None:
        read_end, write_end = os.pipe()
        widen_pipe(write_end)
        self.frames_fd = read_end
        self.out_fd = write_end  # the same number in the child (pass_fds keeps numbers)
        marker = PREPARED_ARG if prepared else STANDBY_ARG
        try:
            self.proc = launch_worker(Path(marker), write_end, stdin=True)
        except BaseException:
            os.close(read_end)
            raise
        finally:
            os.close(write_end)

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        kill_tree(self.proc)
        with contextlib.suppress(OSError, ValueError):
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        if self.frames_fd != -1:
            with contextlib.suppress(OSError):
                os.close(self.frames_fd)
            self.frames_fd = -1


_lock = threading.Lock()
_early: list[Standby] = []


def early_capture_enabled() -> bool:
    return os.environ.get(EARLY_CAPTURE_ENV, "1").strip() != "0"


def start_early(count: int = 1) -> None:
    """Start ``count`` prepared capture processes for this process's next captures (the
    CLI's ``render``, before it imports the pipeline). Nothing happens when
    ``HYPERFRAMES_EARLY_CAPTURE=0`` or the worker cannot be launched: the render then starts
    its own, as before."""
    if not early_capture_enabled():
        return
    for _ in range(count):
        try:
            standby = Standby(prepared=True)
        except OSError:
            return
        with _lock:
            if not _early:
                atexit.register(stop_early)
            _early.append(standby)


def take_early() -> Standby | None:
    """A live prepared process started by :func:`start_early`, now the caller's; None when
    there is none."""
    with _lock:
        while _early:
            standby = _early.pop(0)
            if standby.alive:
                return standby
            standby.stop()
    return None


def stop_early() -> None:
    """Stop the prepared processes nobody took (the render needed none, or failed first)."""
    with _lock:
        left = list(_early)
        _early.clear()
    for standby in left:
        standby.stop()
