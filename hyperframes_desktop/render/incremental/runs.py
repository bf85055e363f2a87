"""Adjacent changed chunks captured in one pass: a run.

An edit that crosses a chunk boundary changes two neighbouring chunks. Captured one by one,
each chunk paid its own capture command and ramp-up, its encoder's start, and the encoder's
drain after its last frame while the capture processes waited. A run captures all its frames
in one pass; the relay hands each chunk's frames to that chunk's own FFmpeg (the command a
lone chunk's capture runs, so its segment is byte for byte the same), started while the
chunk before is captured, and closes it at the chunk's last frame: one chunk's drain overlaps
the next chunk's capture, and only the last one is waited for.

One x264 encoder cutting the run at forced IDR frames (the segment muxer) was tried first:
the segments joined exactly, but on the nested 1080p sample the cached MP4 grew from 0.90 MB
to 1.12 MB. In one continuous stream x264 codes every forced IDR at the QP of the P frames
before it (54 kB an IDR instead of 32 kB from a fresh encoder), and file size is the user's
cost, every render.
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
from hyperframes_desktop.render.encode_process import ENCODER, EncoderProcess
from hyperframes_desktop.render.processes import kill_tree


class ChainedEncoder(EncoderProcess):
    """An :class:`EncoderProcess` whose frames go to one FFmpeg per chunk in turn:
    ``commands[k]`` gets the next ``counts[k]`` frames. FFmpeg ``k + 1`` is started when
    chunk ``k``'s first frame is moved; ``ffmpeg-exit`` is reported when every FFmpeg has
    ended, or at once when one fails."""

    def __init__(
        self,
        commands: list[list[str]],
        counts: list[int],
        frame_bytes: int,
        events: queue.Queue,
    ) -> None:
        super().__init__(commands[0], frame_bytes, sum(counts), events)
        self.commands = commands
        self.counts = counts
        self._procs: list[subprocess.Popen] = []
        self._sinks: list[int] = []
        self._launch_lock = threading.Lock()
        self._stderr: list[bytes] = []

    def _launch(self, k: int) -> None:
        """Start chunk ``k``'s FFmpeg (once), reading a pipe whose write end the relay keeps."""
        with self._launch_lock:
            if k < len(self._procs) or k >= len(self.commands) or self._stopping.is_set():
                return
            read_end, write_end = os.pipe()
            widen_pipe(write_end)
            try:
                proc = tools.launch(
                    self.commands[k], stdin=read_end, stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                )  # fmt: skip
            except BaseException:
                os.close(write_end)
                raise
            finally:
                os.close(read_end)
            self._procs.append(proc)
            self._sinks.append(write_end)
            self._stderr.append(b"")
            if k == 0:
                self.ffmpeg = proc
            threading.Thread(target=self._drain_stderr, args=(k,), daemon=True).start()

    def _drain_stderr(self, k: int) -> None:
        stream = self._procs[k].stderr
        assert stream is not None
        self._stderr[k] = stream.read()[-4000:]

    def start(self, sources: list[int]) -> None:
        self._sources = list(sources)
        self._swaps = [queue.Queue() for _ in sources]
        self._launch(0)
        self._launch(1)
        self._relay = threading.Thread(target=self._run_relay, args=(-1,), daemon=True)
        self._relay.name = "hf-relay"
        self._relay.start()
        threading.Thread(target=self._wait, daemon=True).start()

    def _run_relay(self, sink: int) -> None:
        del sink  # each chunk has its own
        k, left = 0, self.counts[0]
        try:
            for index in range(self.total):
                while left == 0:  # the chunk is whole: EOF lets its FFmpeg finish
                    self._close_sink(k)
                    k += 1
                    left = self.counts[k]
                self._launch(k)
                if k >= len(self._sinks):  # a stop came first: no FFmpeg was started for it
                    raise EOFError("the render stopped before this chunk's encoder started")
                self._launch(k + 1)  # starts while this chunk is captured
                self._move_frame(index, self._sinks[k])
                self.relayed += 1
                left -= 1
        except (BrokenPipeError, OSError, EOFError) as exc:
            self.relay_error = f"{type(exc).__name__}: {exc}"
        finally:
            with self._launch_lock:
                count = len(self._sinks)
            for k in range(count):
                self._close_sink(k)

    def _close_sink(self, k: int) -> None:
        """Close chunk ``k``'s pipe once. Closing it a second time closed whatever the number
        had been given to since: in the studio, one of QtWebEngine's own descriptors, and
        Chromium then died on its next use of it ("scoped_file.cc: Check failed: Bad file
        descriptor", SIGTRAP)."""
        with self._launch_lock:
            fd, self._sinks[k] = self._sinks[k], -1
        if fd != -1:
            with contextlib.suppress(OSError):
                os.close(fd)

    def _wait(self) -> None:
        waited = 0
        while True:
            with self._launch_lock:
                procs = list(self._procs)
            if waited < len(procs):
                procs[waited].wait()
                if procs[waited].returncode != 0:
                    break
                waited += 1
                continue
            if waited == len(self.commands) or self._stopping.is_set():
                break
            if self._relay is not None and not self._relay.is_alive():
                break  # the relay gave up before every FFmpeg was started
            time.sleep(0.01)
        self.ended_at = time.monotonic()
        self.events.put((ENCODER, {"event": "ffmpeg-exit"}))

    @property
    def returncode(self) -> int | None:
        with self._launch_lock:
            procs = list(self._procs)
        for proc in procs:
            if proc.returncode not in (None, 0):
                return proc.returncode
        if len(procs) < len(self.commands):
            return 1 if self.ended_at is not None else None
        return None if any(p.returncode is None for p in procs) else 0

    @property
    def stderr(self) -> bytes:  # type: ignore[override]
        return b"".join(self._stderr)

    @stderr.setter
    def stderr(self, value: bytes) -> None:
        pass  # set by the base class's constructor; each FFmpeg's is kept apart

    def stop(self) -> None:
        self._stopping.set()
        with self._launch_lock:
            procs = list(self._procs)
        for proc in procs:
            kill_tree(proc)
        if self._relay is not None:
            self._relay.join(timeout=2)
