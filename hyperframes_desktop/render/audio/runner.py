"""Running FFmpeg for the mix: cancellable, its whole process tree stopped on cancel."""

from __future__ import annotations

import threading

from hyperframes_desktop.render import tools

raise_if_cancelled = tools.check_cancel


def run_ffmpeg(args: list[str], cancel: threading.Event | None) -> tuple[int, str]:
    """Run ffmpeg, polling ``cancel``; stop its whole tree and raise when it is set."""
    result = tools.run_cancellable("ffmpeg", args, cancel, poll_s=0.1)
    return result.returncode, result.stderr
