"""Running FFmpeg for the mix: cancellable, its whole process tree stopped on cancel."""

from __future__ import annotations

import subprocess
import tempfile
import threading

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.options import RenderCancelled
from hyperframes_desktop.render.processes import kill_tree


def raise_if_cancelled(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise RenderCancelled()


def run_ffmpeg(args: list[str], cancel: threading.Event | None) -> tuple[int, str]:
    """Run ffmpeg, polling ``cancel``; stop its whole tree and raise when it is set."""
    binary = tools.find_tool("ffmpeg")
    with tempfile.TemporaryFile() as stderr:
        proc = tools.launch(
            [binary, *args], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr
        )
        try:
            while True:
                try:
                    code = proc.wait(timeout=0.1)
                    break
                except subprocess.TimeoutExpired:
                    raise_if_cancelled(cancel)
        except BaseException:
            kill_tree(proc)
            raise
        stderr.seek(0)
        return code, stderr.read().decode(errors="replace")
