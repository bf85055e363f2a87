"""The worker's fingerprint pass (render cache): each view seeks its share of the frames in
the page (frame_fingerprint.js) and hashes what each frame shows; no frame is grabbed."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop

from hyperframes_desktop.render.worker.pages import SeekableView, evaluate, wait_until
from hyperframes_desktop.render.worker.script_probe import BusyWatch, late_frame, late_sentence

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
                    what = "A frame being fingerprinted did not finish seeking"
                    emit(
                        "error", stage="capture", message=late_sentence(late, what, frame_timeout_s)
                    )
                    return 2
    emit(
        "fingerprints",
        frames=[[frame, results.get(frame, "")] for frame in frames],
        ms=round((time.monotonic() - t_start) * 1000.0, 1),
    )
    return 0
