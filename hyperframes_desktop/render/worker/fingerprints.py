"""The worker's fingerprint pass (render cache): each view seeks its share of the frames in
the page (frame_fingerprint.js) and hashes what each frame shows; no frame is grabbed."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop

from hyperframes_desktop.render.worker.pages import SeekableView, evaluate, wait_until
from hyperframes_desktop.render.worker.script_probe import (
    IDLE,
    BusyWatch,
    busy_limit_s,
    late_frame,
)

Emit = Callable[..., None]

_POLL_S = 0.01


def fingerprint_frames(
    views: list[SeekableView],
    loop: QEventLoop,
    frames: range,
    emit: Emit,
    frame_timeout_s: float,
) -> int:
    """Emit ``fingerprints`` ({"frames": [[frame, hash], ...], "ms": time spent}) for every
    frame of ``frames``, or ``error``; returns the exit code it means (0: go on serving)."""
    shares = [list(frames[k :: len(views)]) for k in range(len(views))]
    busy = [(view, share) for view, share in zip(views, shares, strict=True) if share]
    for view, share in busy:
        view.pending = None
        view.page.runJavaScript(f"window.__hf_fingerprint.run({json.dumps(share)});0", 0)
    t_start = time.monotonic()
    results: dict[int, str] = {}
    progress = {id(view): (0, time.monotonic()) for view, _ in busy}
    working = BusyWatch()  # a late frame: is the page still working on it?
    while busy:
        wait_until(loop, lambda: False, _POLL_S)  # Chromium's messages keep flowing
        for view, share in list(busy):
            raw = evaluate(view.page, loop, "window.__hf_fingerprint.poll()")
            state = json.loads(raw) if raw else {}
            if state.get("error"):
                emit("error", stage="capture", message=f"Fingerprinting failed: {state['error']}.")
                return 2
            if state.get("done"):
                results.update(zip(share, state.get("out", []), strict=False))
                busy.remove((view, share))
                continue
            count, since = progress[id(view)]
            now = time.monotonic()
            if int(state.get("count", 0)) != count:
                progress[id(view)] = (int(state.get("count", 0)), now)
            else:
                late = late_frame(working, now - since, frame_timeout_s, now)
                if late:
                    emit("error", stage="capture", message=_late_seek(late, frame_timeout_s))
                    return 2
    emit(
        "fingerprints",
        frames=[[frame, results.get(frame, "")] for frame in frames],
        ms=round((time.monotonic() - t_start) * 1000.0, 1),
    )
    return 0


def _late_seek(late: str, frame_timeout_s: float) -> str:
    """The sentence for a frame that never finished seeking (script_probe.late_frame)."""
    if late == IDLE:
        return (
            f"A frame did not finish seeking within {frame_timeout_s:.0f} s while "
            "fingerprinting, and the page was not working on it: it stopped answering seeks."
        )
    return (
        f"A frame did not finish seeking within {busy_limit_s(frame_timeout_s):.0f} s while "
        "fingerprinting although the page kept working on it: it may be stuck in a loop in a "
        "script, or be too heavy for this machine. Render at a smaller --resolution, or set "
        "HYPERFRAMES_BUSY_FRAME_LIMIT_S higher."
    )
