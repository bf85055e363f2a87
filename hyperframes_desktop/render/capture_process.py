"""One capture worker process: it captures every ``stride``-th frame and writes them, in
order, to its own frame pipe, which the encoder's relay reads."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from hyperframes_desktop.render.compile import CompiledPage
from hyperframes_desktop.render.early_capture import (
    Standby,
    launch_worker,
    take_early,
    widen_pipe,
)
from hyperframes_desktop.render.env_numbers import env_number
from hyperframes_desktop.render.output import OutputSize
from hyperframes_desktop.render.processes import kill_tree
from hyperframes_desktop.render.resources.render_setup import worker_settings
from hyperframes_desktop.render.worker.protocol import CaptureJob


def _ready_timeout_s() -> float:
    """How long a page may take to become seekable (HYPERFRAMES_READY_TIMEOUT_S, default 20)."""
    return env_number("HYPERFRAMES_READY_TIMEOUT_S", 20.0, 1.0)


def _frame_timeout_s() -> float:
    """How long one frame may take to paint (HYPERFRAMES_FRAME_TIMEOUT_S, default 15): heavy
    WebGL on a loaded machine with software rendering can need more."""
    return env_number("HYPERFRAMES_FRAME_TIMEOUT_S", 15.0, 1.0)


@dataclass
class WorkerState:
    index: int
    frames: range
    done: int = 0
    ready: bool = False
    finished: bool = False
    setup_ms: float = 0.0
    frame_ms: list[float] = field(default_factory=list)
    error: tuple[str, str] | None = None  # (stage, message)
    page_errors: list[str] = field(default_factory=list)  # the page's own errors, as reported
    page_duration: float = 0.0  # the length the page reported when ready (0: none)
    #: requests of the page that were blocked or could not be resolved (sentences)
    resource_problems: list[str] = field(default_factory=list)
    last_message_at: float = field(default_factory=time.monotonic)


class WorkerProcess:
    """Starts the worker; its JSON messages land on ``events`` as (this object, message).

    Errors and page errors are also recorded on ``state`` by the reading thread, so once
    :meth:`wait_ended` returns, ``state`` knows everything the worker said."""

    def __init__(
        self,
        state: WorkerState,
        page: CompiledPage,
        size: OutputSize,
        transparent: bool,
        scratch: Path,
        events: queue.Queue,
        views: int,
        serve: bool = False,
        standby: Standby | None = None,
    ) -> None:
        self.state = state
        self._standby = standby  # started before its job: adopted by start()
        self.serve = serve  # kept warm: captures each range run() sends, page loaded once
        self.events = events
        #: where ``fingerprints`` answers go (None: ``events``): the render cache's pass
        #: keeps its own queue while the same worker's capture messages go to the capture's
        self.fingerprint_sink: queue.Queue | None = None
        self.worker: subprocess.Popen | None = None
        self.frames_fd = -1  # read end of the frame pipe (the relay reads it)
        self._page = page
        self._size = size
        self._transparent = transparent
        self._scratch = scratch
        self._views = views
        self._reader: threading.Thread | None = None

    def _write_job(self, out_fd: int) -> Path:
        """The job file of this worker, its frames going to ``out_fd`` (in the child)."""
        job_file = self._scratch / f"capture-job-{self.state.index}.json"
        job_file.write_text(self._job(out_fd).to_json(), encoding="utf-8")
        return job_file

    def _adopt_standby(self) -> bool:
        """Hand the job to the standby process, if there is a live one (ours, else one this
        process started early: render.early_capture); False: start one."""
        standby, self._standby = self._standby, None
        if standby is None:
            standby = take_early()
        if standby is None or not standby.alive or standby.proc.stdin is None:
            if standby is not None:
                standby.stop()
            return False
        self.frames_fd, standby.frames_fd = standby.frames_fd, -1  # ours to close now
        job_file = self._write_job(standby.out_fd)
        self.worker = standby.proc
        try:
            standby.proc.stdin.write(f"{job_file}\n".encode())
            standby.proc.stdin.flush()
        except OSError:
            pass  # it died meanwhile: its reader reports the exit like any worker's
        self._reader = threading.Thread(target=self._read_messages, daemon=True)
        self._reader.start()
        return True

    def start(self) -> None:
        if self._adopt_standby():
            return
        read_end, write_end = os.pipe()
        widen_pipe(write_end)
        self.frames_fd = read_end
        try:
            job_file = self._write_job(write_end)
            self.worker = launch_worker(job_file, write_end, stdin=self.serve)
        finally:
            os.close(write_end)  # the worker holds the only writer: its exit means EOF
        self._reader = threading.Thread(target=self._read_messages, daemon=True)
        self._reader.start()

    def _job(self, out_fd: int) -> CaptureJob:
        frames = self.state.frames
        return CaptureJob(
            html_path=str(self._page.html_path),
            width=self._page.width,
            height=self._page.height,
            page_height=self._page.page_height,
            first_frame=frames.start,
            end_frame=frames.stop,
            stride=frames.step,
            fps_num=self._page.fps.numerator,
            fps_den=self._page.fps.denominator,
            out_fd=out_fd,
            views=self._views,
            no_timeline=self._page.no_timeline,
            root_id=self._page.composition_id,
            scale=self._size.scale,
            transparent=self._transparent,
            source_name=self._page.source_name,
            ready_timeout_s=_ready_timeout_s(),
            frame_timeout_s=_frame_timeout_s(),
            resolver_settings=worker_settings(self._scratch),
            serve=self.serve,
            whole_tile_raster=self._page.whole_tile_raster,
        )

    @property
    def alive(self) -> bool:
        return self.worker is not None and self.worker.poll() is None

    def run(self, frames: range) -> None:
        """A warm worker: capture ``frames`` next (started first if it is not running)."""
        if self.worker is None:
            self.start()
        assert self.worker is not None and self.worker.stdin is not None
        command = {"first": frames.start, "end": frames.stop, "stride": frames.step}
        self.worker.stdin.write((json.dumps(command) + "\n").encode())
        self.worker.stdin.flush()

    def fingerprint(self, frames: range) -> None:
        """A warm worker: fingerprint ``frames`` (no frame is captured); it answers with one
        ``fingerprints`` message (see worker/fingerprints.py)."""
        if self.worker is None:
            self.start()
        assert self.worker is not None and self.worker.stdin is not None
        command = {"first": frames.start, "end": frames.stop, "stride": frames.step}
        command["fingerprint"] = True
        self.worker.stdin.write((json.dumps(command) + "\n").encode())
        self.worker.stdin.flush()

    def reload(self, page: CompiledPage, scratch: Path) -> None:
        """A warm worker: load another render's compiled ``page`` (of the same frame size)
        in its views; its next commands are about that page."""
        assert self.worker is not None and self.worker.stdin is not None
        self._page, self._scratch = page, scratch
        fields = json.loads(self._job(-1).to_json())
        self.worker.stdin.write((json.dumps({"load": fields}) + "\n").encode())
        self.worker.stdin.flush()

    def _read_messages(self) -> None:
        assert self.worker is not None and self.worker.stdout is not None
        for raw in self.worker.stdout:
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            kind = message.get("event")
            if kind == "standby":
                continue  # a standby process came up before its job: nothing to tell
            if kind == "error":
                self.state.error = (message.get("stage", "capture"), message.get("message", ""))
            elif kind == "ready":
                self.state.page_duration = float(message.get("duration") or 0.0)
            elif kind == "page-error" and len(self.state.page_errors) < 20:
                self.state.page_errors.append(str(message.get("message", "")))
                if message.get("resource") and len(self.state.resource_problems) < 20:
                    self.state.resource_problems.append(str(message.get("message", "")))
            sink = self.fingerprint_sink if kind == "fingerprints" else None
            (sink or self.events).put((self, message))
        self.events.put((self, {"event": "exit"}))

    def wait_ended(self, timeout: float = 5.0) -> int | None:
        """Wait for the process to end (stopping it after ``timeout``) and for every message
        it printed to be read; returns its exit code (negative: the signal that ended it)."""
        if self.worker is None:
            return None
        try:
            self.worker.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_tree(self.worker)
        if self._reader is not None:
            self._reader.join(timeout=timeout)
        return self.worker.returncode

    def stop(self) -> None:
        kill_tree(self.worker)
        self.close()

    def close(self) -> None:
        if self.frames_fd != -1:
            with contextlib.suppress(OSError):
                os.close(self.frames_fd)
            self.frames_fd = -1
