"""One capture worker process and the FFmpeg process its frames stream into."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.compile import CompiledPage
from hyperframes_desktop.render.encoders import encode_chunk_command
from hyperframes_desktop.render.formats import FormatSpec
from hyperframes_desktop.render.output import OutputSize
from hyperframes_desktop.render.processes import kill_tree
from hyperframes_desktop.render.worker.protocol import CaptureJob


@dataclass
class ChunkState:
    index: int
    first: int
    end: int
    output: Path
    done: int = 0
    ready: bool = False
    finished: bool = False
    setup_ms: float = 0.0
    frame_ms: list[float] = field(default_factory=list)
    error: tuple[str, str] | None = None  # (stage, message)
    last_message_at: float = field(default_factory=time.monotonic)


class ChunkProcess:
    """Worker → pipe → FFmpeg for frames [first, end). Messages land on a shared queue."""

    def __init__(
        self,
        state: ChunkState,
        page: CompiledPage,
        spec: FormatSpec,
        quality: str,
        size: OutputSize,
        scratch: Path,
        events: queue.Queue,
        views: int,
    ) -> None:
        self.state = state
        self.events = events
        self.worker: subprocess.Popen | None = None
        self.ffmpeg: subprocess.Popen | None = None
        self.ffmpeg_stderr = b""
        self.worker_stderr = b""
        self.encode_end: float | None = None
        self._page = page
        self._quality = quality
        self._spec = spec
        self._size = size
        self._scratch = scratch
        self._views = views

    def start(self) -> None:
        read_end, write_end = os.pipe()
        try:
            cmd = encode_chunk_command(
                tools.find_tool("ffmpeg"),
                self._size.width,
                self._size.height,
                self._page.fps,
                self._spec,
                self._quality,
                self.state.output,
                first_frame=self.state.first,
            )
            self.ffmpeg = tools.launch(
                cmd, stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
            )
            os.close(read_end)
            read_end = -1
            job = CaptureJob(
                html_path=str(self._page.html_path),
                width=self._page.width,
                height=self._page.height,
                page_height=self._page.page_height,
                first_frame=self.state.first,
                end_frame=self.state.end,
                fps_num=self._page.fps.numerator,
                fps_den=self._page.fps.denominator,
                out_fd=write_end,
                views=self._views,
                scale=self._size.scale,
                transparent=self._spec.alpha,
                source_name=self._page.source_name,
                no_timeline=self._page.no_timeline,
                root_id=self._page.composition_id,
            )
            job_file = self._scratch / f"capture-job-{self.state.index}.json"
            job_file.write_text(job.to_json(), encoding="utf-8")
            self.worker = tools.launch(
                tools.worker_command(job_file),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(write_end,),
            )
        finally:
            if read_end != -1:
                os.close(read_end)
            os.close(write_end)  # the worker holds the only writer: its exit means EOF
        threading.Thread(target=self._read_worker, daemon=True).start()
        threading.Thread(target=self._read_ffmpeg, daemon=True).start()
        threading.Thread(target=self._drain_worker_stderr, daemon=True).start()

    def _read_worker(self) -> None:
        assert self.worker is not None and self.worker.stdout is not None
        for raw in self.worker.stdout:
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            self.events.put((self.state.index, message))
        self.events.put((self.state.index, {"event": "exit"}))

    def _read_ffmpeg(self) -> None:
        assert self.ffmpeg is not None and self.ffmpeg.stderr is not None
        self.ffmpeg_stderr = self.ffmpeg.stderr.read()[-4000:]
        self.ffmpeg.wait()
        self.encode_end = time.monotonic()
        self.events.put((self.state.index, {"event": "ffmpeg-exit"}))

    def _drain_worker_stderr(self) -> None:
        """Chromium is chatty on stderr: keep reading so the pipe never fills and blocks it."""
        assert self.worker is not None and self.worker.stderr is not None
        for line in self.worker.stderr:
            self.worker_stderr = (self.worker_stderr + line)[-3000:]

    def stop(self) -> None:
        kill_tree(self.worker)
        kill_tree(self.ffmpeg)
