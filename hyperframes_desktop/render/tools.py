"""The one place that finds and launches external binaries (FFmpeg, ffprobe, our worker).

Every child gets a copied, cleaned environment: a frozen (PyInstaller) build's library path
is swapped back for the system's so a system ffmpeg loads its own libraries.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

INSTALL_HINT = (
    "FFmpeg is not installed. Install it with 'sudo apt install ffmpeg' (Debian/Ubuntu), "
    "'brew install ffmpeg' (macOS) or from ffmpeg.org, then try again."
)


class ToolMissing(Exception):
    """FFmpeg or ffprobe cannot be found; the message says how to install it."""


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    if getattr(sys, "frozen", False):
        original = env.pop("LD_LIBRARY_PATH_ORIG", None)
        if original is not None:
            env["LD_LIBRARY_PATH"] = original
        else:
            env.pop("LD_LIBRARY_PATH", None)
    for name in ("PYTHONSTARTUP", "PYTHONINSPECT"):
        env.pop(name, None)
    if extra:
        env.update(extra)
    return env


@lru_cache(maxsize=4)
def find_tool(name: str) -> str:
    """Absolute path of ``ffmpeg`` or ``ffprobe``.

    Order: ``HYPERFRAMES_FFMPEG_PATH``/``HYPERFRAMES_FFPROBE_PATH``, then PATH, then (ffmpeg
    only) the binary inside the imageio-ffmpeg wheel.
    """
    override = os.environ.get(f"HYPERFRAMES_{name.upper()}_PATH")
    if override:
        if Path(override).is_file() and os.access(override, os.X_OK):
            return override
        raise ToolMissing(
            f"HYPERFRAMES_{name.upper()}_PATH points to {override}, which is not an executable "
            "file. Fix the variable or unset it."
        )
    found = shutil.which(name)
    if found:
        return found
    if name == "ffmpeg":
        try:
            import imageio_ffmpeg

            return imageio_ffmpeg.get_ffmpeg_exe()
        except Exception:
            pass
    raise ToolMissing(INSTALL_HINT)


def ffmpeg_available() -> str | None:
    """None when FFmpeg and ffprobe are both found, else the install message."""
    try:
        find_tool("ffmpeg")
        find_tool("ffprobe")
    except ToolMissing as exc:
        return str(exc)
    return None


def worker_command(job_file: Path) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, "--capture-worker", str(job_file)]
    return [sys.executable, "-m", "hyperframes_desktop.render.worker", str(job_file)]


#: Set (to "1") in a farm chunk's environment: its children stay in the chunk's process group,
#: which the chunk's supervisor ends as one (render/farm/supervisor.py).
CHUNK_GROUP_ENV = "HYPERFRAMES_CHUNK_GROUP"


def launch(
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    **popen_kwargs,
) -> subprocess.Popen:
    """Start a child in its own process group (a terminal Ctrl+C reaches only us, and we
    stop children deliberately) with a cleaned environment. Inside a farm chunk children
    share the chunk's group instead."""
    popen_kwargs.setdefault("start_new_session", os.environ.get(CHUNK_GROUP_ENV) != "1")
    return subprocess.Popen(list(args), env=clean_env(env), **popen_kwargs)


def run_tool(name: str, args: Sequence[str], timeout: float = 120.0) -> subprocess.CompletedProcess:
    """Run ffmpeg/ffprobe to completion, capturing text output."""
    proc = launch([find_tool(name), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=timeout)
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")
    )


def check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        from hyperframes_desktop.render.options import RenderCancelled

        raise RenderCancelled()


def run_cancellable(
    name: str, args: Sequence[str], cancel: threading.Event | None, poll_s: float = 0.05
) -> subprocess.CompletedProcess[str]:
    """Run ffmpeg/ffprobe to the end, polling ``cancel``; on cancel (or any interruption) its
    whole process tree is stopped and ``RenderCancelled`` raised.

    Output goes through temporary files: a pipe nobody drains could stall the child.
    """
    from hyperframes_desktop.render.processes import kill_tree

    binary = find_tool(name)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = launch([binary, *args], stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        try:
            while True:
                try:
                    code = proc.wait(timeout=poll_s)
                    break
                except subprocess.TimeoutExpired:
                    check_cancel(cancel)
        except BaseException:
            kill_tree(proc)
            raise
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(
            proc.args,
            code,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )
