"""Entry point of the capture worker process: ``python -m hyperframes_desktop.render.worker JOB``.

Prints JSON lines on stdout (``ready``, ``progress``, ``done`` or ``error``) and writes raw
BGRA frames, in order, to the file descriptor named in the job (an FFmpeg stdin).
"""

from __future__ import annotations

import ctypes
import json
import os
import queue
import signal
import sys
import threading
from pathlib import Path

from hyperframes_desktop.qt_refcount import immortalize_singletons
from hyperframes_desktop.render.process_identity import PARENT_STAMP_ENV, ProcessStamp
from hyperframes_desktop.render.qt_env import configure_qtwebengine_env
from hyperframes_desktop.render.worker.protocol import (
    PREPARED_ARG,
    STANDBY_ARG,
    CaptureJob,
    emit,
)


def _die_with_parent() -> None:
    """Linux: get SIGTERM when the process that started us goes away (no orphans)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def _parent_gone() -> bool:
    """The process that started us is no longer the one named in our environment (it
    died before the death signal was armed, and its pid may belong to another process)."""
    parent = ProcessStamp.parse(os.environ.get(PARENT_STAMP_ENV))
    return parent is not None and (os.getppid() != parent.pid or not parent.same_process())


def _add_chromium_flag(flag: str) -> None:
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    if flag not in flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join([*flags, flag])


def _write_all(fd: int, data: memoryview) -> None:
    while data:
        written = os.write(fd, data)
        data = data[written:]


class _StdinCommands:
    """A warm worker's commands (JSON lines on stdin; None at EOF), read by a thread of
    their own so the event loop can go on loading views while none has come yet."""

    def __init__(self) -> None:
        from hyperframes_desktop.render.worker.late_views import NO_COMMAND_YET

        self._none_yet = NO_COMMAND_YET
        self._lines: queue.Queue[dict | None] | None = None

    def _read(self, lines: queue.Queue[dict | None]) -> None:
        for line in sys.stdin:
            if line.strip():
                lines.put(json.loads(line))
        lines.put(None)

    def __call__(self, timeout: float | None) -> dict | None:
        if self._lines is None:  # started on the first look: only a warm worker reads stdin
            self._lines = queue.Queue()
            threading.Thread(
                target=self._read, args=(self._lines,), daemon=True, name="hf-commands"
            ).start()
        try:
            return self._lines.get(timeout=timeout) if timeout != 0 else self._lines.get_nowait()
        except queue.Empty:
            return self._none_yet


def _configure(whole_tile_raster: bool) -> None:
    """Qt WebEngine's environment and Chromium's flags: before the QApplication. A standby
    process starts before its page is known, so it takes whole-tile raster (right for every
    page; on pages without CSS/WAAPI animations it changes no pixel, only costs ~3 %)."""
    configure_qtwebengine_env(offscreen=True)
    _add_capture_flags(whole_tile_raster)


def _add_capture_flags(whole_tile_raster: bool) -> None:
    """The capture's own Chromium switches (after configure_qtwebengine_env; a prepared
    process adds them when its job arrives, before Qt and Chromium start)."""
    if os.environ.get("HYPERFRAMES_CAPTURE_MULTIPROCESS") != "1":
        # This whole process is already the isolation boundary for one render, so Chromium's
        # renderer runs in it too: four fewer processes and ~150 MB less per worker.
        _add_chromium_flag("--single-process")
    # Animations run on the main thread, where the seek pauses them: a compositor-thread
    # copy could otherwise show a transform animation a display frame past the seek.
    _add_chromium_flag("--disable-threaded-animation")
    # A changed box is re-rastered as whole tiles, never patched into the old ones: with
    # moving CSS/WAAPI animations painted into the page's layer, patched edges came out a few
    # levels apart depending on which frame this view drew before. Pages that provably run no
    # such animation skip it (~3 % of the render's CPU; render.raster_needs).
    if whole_tile_raster:
        _add_chromium_flag("--disable-partial-raster")
    _add_chromium_flag("--mute-audio")  # sound is mixed by FFmpeg, never played here


def _prepared_job() -> str | None:
    """A prepared process (PREPARED_ARG, render.early_capture): import everything a capture
    needs while the parent is still compiling, then take the job file's path from stdin
    (None at EOF: the render needed no capture). Qt and Chromium have not started yet."""
    configure_qtwebengine_env(offscreen=True)
    import hyperframes_desktop.render.worker.capture_loop  # noqa: F401  (the imports' cost)

    line = sys.stdin.readline().strip()
    return line or None


def main(argv: list[str]) -> int:
    immortalize_singletons()  # before any Qt call: see qt_refcount (long renders crashed)
    _die_with_parent()
    if _parent_gone():
        return 143  # as if SIGTERM had come: nobody reads our frames
    signal.signal(signal.SIGTERM, lambda *_: os._exit(143))
    standby = argv[1:2] == [STANDBY_ARG]
    prepared = argv[1:2] == [PREPARED_ARG]
    if prepared:
        job_path = _prepared_job()
        if job_path is None:
            return 0
    elif standby:
        _configure(whole_tile_raster=True)
        from hyperframes_desktop.render.worker.capture_loop import stand_by

        emit_out = sys.stdout
        job_path = stand_by(lambda event, **f: emit(emit_out, event, **f), sys.stdin.readline)
        if job_path is None:
            return 0
    else:
        job_path = argv[1]
    job = CaptureJob.from_json(Path(job_path).read_text(encoding="utf-8"))
    if prepared:
        _add_capture_flags(job.whole_tile_raster)
    elif not standby:
        _configure(job.whole_tile_raster)
    out = sys.stdout
    try:
        from hyperframes_desktop.render.worker.capture_loop import run_capture

        code = run_capture(
            job, lambda event, **f: emit(out, event, **f), _write_all, _StdinCommands()
        )
    except BrokenPipeError:
        emit(out, "error", stage="encode", message="FFmpeg stopped reading frames.")
        code = 3
    except Exception as exc:  # the parent turns this into a clear render error
        emit(out, "error", stage="capture", message=f"{type(exc).__name__}: {exc}")
        code = 1
    if code != 0:
        # Skip Qt/Chromium teardown after a failure: a page stuck in a script can hang it.
        sys.stdout.flush()
        os._exit(code)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
