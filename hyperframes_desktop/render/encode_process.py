"""The one FFmpeg encoder of a render, fed frame by frame, in order, from the workers' pipes.

Frame ``i`` comes from worker ``i % workers``. The relay moves each frame from that worker's
pipe into FFmpeg's stdin with ``os.splice``, so the bytes never pass through Python.

When a worker's pipe ends early (the worker died), the relay reports ``source-lost`` with the
frame it was moving and waits for a replacement pipe (:meth:`EncoderProcess.replace_source`)
from a worker that re-captures that frame onwards. Part of that frame may already be in
FFmpeg: capture is deterministic, so the relay drops that many bytes of the re-captured frame
and moves the rest; frames still reach FFmpeg whole and in order.
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import threading
import time

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.early_capture import widen_pipe
from hyperframes_desktop.render.kept_heap import kept_heap_env
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


def _skip(source: int, count: int) -> bool:
    """Read and drop ``count`` bytes; False if the pipe ended first."""
    while count:
        data = os.read(source, min(count, 1 << 20))
        if not data:
            return False
        count -= len(data)
    return True


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
        self._sources: list[int] = []
        self._swaps: list[queue.Queue] = []
        self._stopping = threading.Event()

    def start(self, sources: list[int]) -> None:
        self._sources = list(sources)
        self._swaps = [queue.Queue() for _ in sources]
        read_end, write_end = os.pipe()
        widen_pipe(write_end)
        try:
            self.ffmpeg = tools.launch(
                self.command,
                env=kept_heap_env(),  # frames from a kept heap: ~2-3 ms a 1080p frame
                stdin=read_end,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        except BaseException:
            os.close(write_end)
            raise
        finally:
            os.close(read_end)
        self._relay = threading.Thread(
            target=self._run_relay, args=(write_end,), daemon=True, name="hf-relay"
        )
        self._relay.start()
        threading.Thread(target=self._wait, daemon=True).start()

    def _run_relay(self, sink: int) -> None:
        try:
            for index in range(self.total):
                self._move_frame(index, sink)
                self.relayed += 1
        except (BrokenPipeError, OSError, EOFError) as exc:
            self.relay_error = f"{type(exc).__name__}: {exc}"
        finally:
            with contextlib.suppress(OSError):
                os.close(sink)  # EOF: FFmpeg finishes the file

    def _move_frame(self, index: int, sink: int) -> None:
        slot = index % len(self._sources)
        remaining = self.frame_bytes
        while remaining:
            moved = _move(self._sources[slot], sink, remaining)
            if moved == 0:
                self._replace(slot, index, self.frame_bytes - remaining)
                continue
            remaining -= moved

    def _replace(self, slot: int, index: int, sent: int) -> None:
        """Wait for a new pipe for ``slot`` that starts at frame ``index`` again, and drop the
        ``sent`` bytes of that frame FFmpeg already has."""
        while True:
            self.events.put((ENCODER, {"event": "source-lost", "slot": slot, "frame": index}))
            while True:
                try:
                    source = self._swaps[slot].get(timeout=0.2)
                    break
                except queue.Empty:
                    if self._stopping.is_set():
                        raise EOFError("the render stopped while a worker was replaced") from None
            if source is None:
                raise EOFError("a capture worker closed its frame pipe early")
            self._sources[slot] = source
            if _skip(source, sent):
                return

    def replace_source(self, slot: int, source: int | None) -> None:
        """Hand the relay the pipe of the worker re-capturing ``slot``'s frames (None: give
        up, the relay ends and FFmpeg gets EOF)."""
        self._swaps[slot].put(source)

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
        self._stopping.set()
        kill_tree(self.ffmpeg)
        if self._relay is not None:
            self._relay.join(timeout=2)
