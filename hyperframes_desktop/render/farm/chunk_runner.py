"""A farm chunk's process: ``python -m hyperframes_desktop.render.farm.chunk_runner JOB``.

Captures and encodes frames START..END of an unpacked bundle's page into one segment, with
the same capture ∥ encode stage a local render uses. Prints JSON lines: ``progress`` (frames
done), then ``done``, ``cancelled`` or ``error`` (message, stage, whether retrying can help).

It leads its own process group (see supervisor.py) and dies with the worker that started it:
if the worker disappears, even by SIGKILL, it kills its whole group.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import signal
import sys
import threading
import time
from fractions import Fraction
from pathlib import Path

from hyperframes_desktop.render.capture_stage import (
    CaptureRequest,
    WarmCapture,
    auto_workers,
    capture_and_encode,
)
from hyperframes_desktop.render.compile import CompiledPage
from hyperframes_desktop.render.farm.segments import segment_spec
from hyperframes_desktop.render.farm.supervisor import HOST_ARG, PARENT_ENV, SPARE_ENV
from hyperframes_desktop.render.options import Progress, RenderCancelled, RenderError
from hyperframes_desktop.render.output import OutputSize
from hyperframes_desktop.render.resources.pinned import pinned_settings
from hyperframes_desktop.render.resources.render_setup import write_worker_settings

_PR_SET_PDEATHSIG = 1


def _say(event: str, **fields: object) -> None:
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def _kill_own_group() -> None:
    os.killpg(os.getpgid(0), signal.SIGKILL)


def _watch_parent(parent: int) -> None:
    """The worker is gone (killed, crashed): take every process of this chunk with us."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                _kill_own_group()
            time.sleep(0.2)

    if os.getppid() != parent:
        _kill_own_group()
    threading.Thread(target=watch, daemon=True, name="hf-parent-watch").start()


#: A capture worker's own exception ("ImportError: …"): this machine's problem, not the page's.
_MACHINE_EXCEPTION = re.compile(r"^[A-Z]\w*(Error|Exception|Exit): ")


def is_retryable(exc: RenderError) -> bool:
    """A composition error (the page reported it: stuck script, never ready, …) fails the same
    way on every machine; a crashed or killed process, FFmpeg or a short read may not."""
    message = str(exc)
    if exc.stage != "capture":
        return True
    return message.startswith(("The capture process", "Only ")) or bool(
        _MACHINE_EXCEPTION.match(message)
    )


def request_for(job: dict) -> CaptureRequest:
    """The capture request of a chunk job (its page settings written to its scratch): the
    same for a chunk and for the page a warm host loads before its first chunk."""
    # the bundle's pinned remote files only: a farm worker never fetches anything itself
    bundle_resources = Path(job["html_path"]).parent.parent / "resources"
    write_worker_settings(Path(job["scratch"]), pinned_settings(bundle_resources))
    page = CompiledPage(
        html_path=Path(job["html_path"]),
        width=job["width"],
        height=job["height"],
        fps=Fraction(job["fps_num"], job["fps_den"]),
        frame_count=job["frame_count"],
        duration=job["duration"],
        composition_id=job["composition_id"],
        no_timeline=job["no_timeline"],
        strip=job["strip"],
        whole_tile_raster=job.get("whole_tile_raster", True),
        source_name=job["source_name"],
    )
    return CaptureRequest(
        page,
        segment_spec(job["format"]),
        job["quality"],
        OutputSize(job["out_width"], job["out_height"], job["scale"]),
        Path(job["scratch"]),
        Path(job["output"]),
        job.get("workers"),
        audio=None,
        frames=range(job["start"], job["end"] + 1),
        crf=job.get("crf"),
        video_bitrate=job.get("video_bitrate"),
    )


def run(
    job: dict, cancel: threading.Event, warm: WarmCapture | None = None, began: float | None = None
) -> dict:
    """Capture and encode the chunk; returns its cost: ``fixed_ms`` (from ``began``, this
    process's start by default, to the first frame: the capture processes' start-up and page
    load unless ``warm`` kept them) and ``frame_ms`` (per frame after that)."""
    if began is None:
        began = _process_started()
    request = request_for(job)
    output = request.partial
    if job["format"] == "png-sequence":
        output.mkdir(parents=True, exist_ok=True)
    # the page was already loaded when this chunk came (a later chunk, or a first chunk whose
    # host loaded it as the bundle arrived: preload)
    page_loaded = warm is not None and warm.serves(request)
    started = time.monotonic()
    last = [0]

    def emit(progress: Progress) -> None:
        if progress.stage == "capture" and progress.frames_done != last[0]:
            last[0] = progress.frames_done
            _say("progress", done=progress.frames_done)

    called = time.time()
    outcome = capture_and_encode(request, cancel, emit, lambda: time.monotonic() - started, warm)
    ended = time.time()
    frames = max(1, job["end"] - job["start"] + 1)
    stages = outcome.stages
    before_capture = (ended - began) * 1000.0 - stages["captureMs"]
    return {
        "fixed_ms": round(max(0.0, before_capture) + stages["captureSetupMs"], 1),
        "frame_ms": round(stages["captureFrameMs"] / frames, 2),
        "capture_pids": warm.pids() if warm is not None else [],
        "page_loaded": page_loaded,
        "phases": chunk_phases(began, called, ended, stages),
    }


def chunk_phases(began: float, called: float, ended: float, stages: dict) -> dict:
    """Where a chunk's time went, in ms: ``start`` (job arrival to the capture call: page
    settings), ``ready`` (until every capture process is ready at its first frame: process
    start and page load when cold, the first seek when warm), ``frames`` (capture), ``drain``
    (the encoder finishing after the last frame), ``after`` (reaping, closing)."""
    call_ms = (ended - called) * 1000.0
    return {
        "start": round((called - began) * 1000.0, 1),
        "ready": round(stages["captureSetupMs"], 1),
        "frames": round(stages["captureFrameMs"], 1),
        "drain": round(max(0.0, stages["encodeMs"] - stages["captureMs"]), 1),
        "after": round(max(0.0, call_ms - stages["encodeMs"]), 1),
    }


def _process_started() -> float:
    try:
        import psutil

        return psutil.Process().create_time()
    except Exception:
        return time.time()


#: A warm host between chunks: SIGTERM ends it (and its capture processes) at once.
_idle = threading.Event()


def _run_one(
    job_file: str,
    cancel: threading.Event,
    warm: WarmCapture | None = None,
    began: float | None = None,
) -> int:
    """Run one chunk and say how it ended; returns the exit code it means."""
    job = json.loads(Path(job_file).read_text(encoding="utf-8"))
    try:
        cost = run(job, cancel, warm, began)
    except RenderCancelled:
        _say("cancelled")
        return 130
    except RenderError as exc:
        _say("error", message=str(exc), stage=exc.stage, retryable=is_retryable(exc))
        return 1
    except Exception as exc:  # anything else is this machine's problem: try another
        _say("error", message=f"{type(exc).__name__}: {exc}", stage="capture", retryable=True)
        return 1
    _say("done", **cost)
    return 0


def _serve(cancel: threading.Event) -> int:
    """A warm host: run the chunk each stdin line names (``{"job": file, "log": file}``)
    with the same capture processes (kept warm between chunks), its output in that chunk's
    log; end at EOF, or after the first chunk that did not succeed (its capture processes
    are gone, and so is this host: the next chunk starts clean)."""
    warm = WarmCapture()
    _idle.set()
    first: float | None = _process_started()  # the first chunk pays this process's start
    spare = os.environ.get(SPARE_ENV, "0")
    if spare.isdigit() and int(spare) > 0:
        # a spare host, started with its worker before any render: its capture processes
        # come up now, and its first chunk's cost starts when that chunk arrives
        warm.prestart(int(spare))
        first = None
    try:
        for line in sys.stdin:
            if not line.strip():
                continue
            chunk = json.loads(line)
            if "preload" in chunk:  # a render's page, before its first chunk comes
                _preload(chunk["preload"], warm)
                continue
            _idle.clear()
            # a later chunk's cost starts when it arrives (the wait for it is not its cost)
            began, first = (first if first is not None else time.time()), None
            _log_to(chunk["log"])
            print(f"warm chunk host {os.getpid()}: {chunk['job']}", file=sys.stderr, flush=True)
            code = _run_one(chunk["job"], cancel, warm, began)
            if code != 0:
                return code
            _idle.set()
        return 0
    finally:
        warm.stop_all()


def _preload(job_file: str, warm: WarmCapture) -> None:
    """Have the capture processes (the standby ones, when this is a spare host) load the
    page of ``job_file`` now, while the client still dispatches the first chunk; returns at
    once. Never this host's failure: a page that cannot load fails the chunk that needs it,
    with the page's own error, as it would have without the preload."""
    try:
        job = json.loads(Path(job_file).read_text(encoding="utf-8"))
        request = request_for(job)
        size = request.size
        count = job.get("workers") or auto_workers(len(request.frame_range), size.width,
                                                   size.height)  # fmt: skip
        warm.preload(request, count)
        print(f"warm chunk host {os.getpid()}: loading {job['html_path']}", file=sys.stderr,
              flush=True)  # fmt: skip
    except Exception as exc:
        warm.stop()
        print(f"warm chunk host {os.getpid()}: preload failed: {exc}", file=sys.stderr, flush=True)


def _log_to(path: str) -> None:
    """This process's stderr (and its children's from now on) goes to the chunk's own log."""
    sys.stderr.flush()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.dup2(fd, 2)
    finally:
        os.close(fd)


def main(argv: list[str]) -> int:
    parent = int(os.environ.get(PARENT_ENV, "0") or 0)
    if parent:
        _watch_parent(parent)
    cancel = threading.Event()

    def on_term(_signum: int, _frame: object) -> None:
        if (parent and os.getppid() != parent) or _idle.is_set():
            _kill_own_group()  # the worker is gone, or a warm host has nothing to finish
        cancel.set()

    signal.signal(signal.SIGTERM, on_term)
    _say("started", pid=os.getpid())
    if argv[1:2] == [HOST_ARG]:
        return _serve(cancel)
    return _run_one(argv[1], cancel)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
