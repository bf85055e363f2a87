"""Running FFmpeg and ffprobe for this stage: cancellable runs, and what the build supports."""

from __future__ import annotations

import re
import subprocess
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.leftovers import scratch_prefix
from hyperframes_desktop.render.options import RenderError
from hyperframes_desktop.render.video_extract.errors import STAGE

check_cancel = tools.check_cancel


def run(
    name: str, args: list[str], cancel: threading.Event | None
) -> subprocess.CompletedProcess[str]:
    """Run ffmpeg/ffprobe to the end, polling ``cancel`` (its whole tree is stopped then)."""
    try:
        return tools.run_cancellable(name, args, cancel)
    except tools.ToolMissing as exc:
        raise RenderError(str(exc), stage=STAGE) from None


@lru_cache(maxsize=8)
def has_decoder(ffmpeg: str, decoder: str) -> bool:
    """Whether this build has ``decoder`` (``ffmpeg`` is the binary: part of the cache key)."""
    result = tools.run_tool("ffmpeg", ["-hide_banner", "-decoders"], timeout=30)
    return (
        result.returncode == 0
        and re.search(rf"\s{re.escape(decoder)}\s", result.stdout) is not None
    )


@lru_cache(maxsize=8)
def filter_file_option(ffmpeg: str) -> str:
    """The option that reads a stream's filter graph from a file: ``-/filter:v`` since
    FFmpeg 7 (the only one left in 8+), ``-filter_script:v`` before (5.1/6)."""
    with tempfile.TemporaryDirectory(prefix=scratch_prefix("ffmpeg")) as folder:
        graph = Path(folder) / "graph.txt"
        graph.write_text("null", encoding="utf-8")
        probe = ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i",
                 "nullsrc=s=16x16:d=0.04", "-/filter:v", str(graph), "-f", "null", "-"]  # fmt: skip
        result = tools.run_tool("ffmpeg", probe, timeout=30)
    return "-/filter:v" if result.returncode == 0 else "-filter_script:v"
