"""The render cache's chained encoder (incremental.runs) closes each chunk's pipe exactly
once: a second close of the same number closed whatever it had been reused for, and in the
studio, where QtWebEngine runs in the process, Chromium then died (SIGTRAP, "Bad file
descriptor" in scoped_file.cc) during a cached re-render."""

from __future__ import annotations

import os
import queue
import sys
import threading

import pytest

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.incremental import runs

WIDTH, HEIGHT = 8, 8
FRAME = WIDTH * HEIGHT * 4


def _command() -> list[str]:
    return [
        tools.find_tool("ffmpeg"), "-v", "error", "-f", "rawvideo", "-pix_fmt", "bgra",
        "-s", f"{WIDTH}x{HEIGHT}", "-i", "pipe:0", "-f", "null", "-",
    ]  # fmt: skip


def _called_from_runs() -> bool:
    return sys._getframe(2).f_globals.get("__name__") == runs.__name__


def test_each_chunks_pipe_is_closed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    real_close, real_pipe = os.close, os.pipe
    open_sinks: set[int] = set()  # chunk pipes' write ends, open
    closed_sinks: set[int] = set()  # closed, their number not given out again since
    closed_twice: list[int] = []
    sink_closes = 0

    def pipe() -> tuple[int, int]:
        read_end, write_end = real_pipe()
        closed_sinks.difference_update((read_end, write_end))
        if _called_from_runs():  # not subprocess's own pipes
            open_sinks.add(write_end)
        return read_end, write_end

    def close(fd: int) -> None:
        nonlocal sink_closes
        if not _called_from_runs():
            closed_sinks.discard(fd)  # its number is someone else's now, or was
        elif fd in open_sinks:
            open_sinks.discard(fd)
            closed_sinks.add(fd)
            sink_closes += 1
        elif fd in closed_sinks:
            closed_twice.append(fd)
        real_close(fd)

    read_end, write_end = real_pipe()  # the capture process's frame pipe
    writer = threading.Thread(target=lambda: os.write(write_end, b"\x80" * FRAME * 6))
    writer.start()
    monkeypatch.setattr(runs.os, "pipe", pipe)
    monkeypatch.setattr(runs.os, "close", close)
    events: queue.Queue = queue.Queue()
    encoder = runs.ChainedEncoder([_command()] * 3, [2, 2, 2], FRAME, events)
    encoder.start([read_end])
    try:
        event = events.get(timeout=60)
        while event[1].get("event") != "ffmpeg-exit":
            event = events.get(timeout=60)
    finally:
        encoder.stop()
        writer.join()
        monkeypatch.undo()
        os.close(write_end)
        os.close(read_end)
    assert encoder.returncode == 0, encoder.stderr
    assert encoder.relayed == 6
    assert sink_closes == 3
    assert closed_twice == [], f"a chunk's pipe was closed twice: {closed_twice}"
