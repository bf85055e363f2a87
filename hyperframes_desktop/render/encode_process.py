"""The one FFmpeg encoder of a render, fed frame by frame, in order, from the workers' pipes.

Frame ``i`` comes from worker ``i % workers``. The relay moves each frame from that worker's
pipe into FFmpeg's stdin with ``os.splice``, so the bytes never pass through Python.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import threading
import time

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.capture_process import widen_pipe
from hyperframes_desktop.render.processes import kill_tree

#: Event-queue index the encoder's messages use (workers use 0..n-1).
ENCODER = -1


def _copy(source: int, sink: int, count: int) -> int:
    """Portable fallback where the kernel has no splice(2): through a user-space buffer."""
    data = os.read(source, min(count, 1 << 20))
    view = memoryview(data)
    while view:
        view = view[os.write(sink, view) :]
    return len(data)


_move = getattr(os, "splice", None) or _copy


class EncoderProcess:
    def __init__(self, command: list[str], frame_bytes: int, total: int, events: queue.Queue):
        self.command = command
        self.frame_bytes = frame_bytes
        self.total = total
        self.events = events
        self.ffmpeg: subprocess.Popen | None = None
        self.stderr = b""
        self.relayed = 0
        self.relay_error: str | None = None
        self.ended_at: float | None = None
        self._relay: threading.Thread | None = None

    def start(self, sources: list[int]) -> None:
        read_end, write_end = os.pipe()
        widen_pipe(write_end)
        try:
            self.ffmpeg = tools.launch(
                self.command, stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
        except BaseException:
            os.close(write_end)
            raise
        finally:
            os.close(read_end)
        self._relay = threading.Thread(
            target=self._run_relay, args=(sources, write_end), daemon=True, name="hf-relay"
        )
        self._relay.start()
        threading.Thread(target=self._wait, daemon=True).start()

    def _run_relay(self, sources: list[int], sink: int) -> None:
        try:
            for index in range(self.total):
                self._move_frame(sources[index % len(sources)], sink)
                self.relayed += 1
        except (BrokenPipeError, OSError, EOFError) as exc:
            self.relay_error = f"{type(exc).__name__}: {exc}"
        finally:
            with contextlib.suppress(OSError):
                os.close(sink)  # EOF: FFmpeg finishes the file

    def _move_frame(self, source: int, sink: int) -> None:
        remaining = self.frame_bytes
        while remaining:
            moved = _move(source, sink, remaining)
            if moved == 0:
                raise EOFError("a capture worker closed its frame pipe early")
            remaining -= moved

    def _wait(self) -> None:
        assert self.ffmpeg is not None and self.ffmpeg.stderr is not None
        self.stderr = self.ffmpeg.stderr.read()[-4000:]
        self.ffmpeg.wait()
        self.ended_at = time.monotonic()
        self.events.put((ENCODER, {"event": "ffmpeg-exit"}))

    @property
    def returncode(self) -> int | None:
        return self.ffmpeg.returncode if self.ffmpeg is not None else None

    def stop(self) -> None:
        kill_tree(self.ffmpeg)
        if self._relay is not None:
            self._relay.join(timeout=2)
