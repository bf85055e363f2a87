"""A capture process starts capturing with its first view as soon as that view can be seeked;
its second view loads meanwhile and joins the frame loop when it is ready (worker/late_views.py).
Real capture processes (QtWebEngine) on a page whose timeline comes 0.6 s after it is parsed:
the first view alone captures frames during the second view's own 0.6 s, and every frame still
shows its own index, whichever view drew it."""

from __future__ import annotations

import os
import queue
import threading
import time
from fractions import Fraction
from pathlib import Path

import pytest
from support.projects import gsap_js, write_project

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.render.capture_process import WorkerProcess, WorkerState
from hyperframes_desktop.render.compile import compile_page
from hyperframes_desktop.render.output import OutputSize

pytestmark = pytest.mark.slow

WIDTH, HEIGHT, CELL, BITS, FPS, FRAMES = 320, 180, 40, 7, 30, 90
#: the timeline is registered this long after the page's script ran (under the seek runtime's
#: 1 s wait for a late timeline): each view is seekable only that long after it loads
LATE_TIMELINE_MS = 600


def _late_timeline_page() -> str:
    cells = "".join(f'<div class="bit" style="left:{k * CELL}px"></div>' for k in range(BITS))
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><script src="gsap.min.js"></script>
<style>
* {{ margin: 0; padding: 0; }}
html, body, #root {{ width: {WIDTH}px; height: {HEIGHT}px; overflow: hidden; background: #808080; }}
#root {{ position: relative; }}
.bit {{ position: absolute; top: 0; width: {CELL}px; height: {CELL}px; background: #000; }}
</style></head>
<body>
<div id="root" data-composition-id="frames" data-start="0" data-width="{WIDTH}"
     data-height="{HEIGHT}" data-duration="{FRAMES / FPS:g}" data-fps="{FPS}">{cells}</div>
<script>
(function () {{
  var cells = document.querySelectorAll(".bit");
  function paint(i) {{
    for (var k = 0; k < cells.length; k++) {{
      cells[k].style.background = (i >> k) & 1 ? "#fff" : "#000";
    }}
  }}
  var tl = gsap.timeline({{ paused: true, onUpdate: function () {{
    paint(Math.round(tl.time() * {FPS}));
  }} }});
  tl.to({{}}, {{ duration: {FRAMES / FPS:g} }}, 0);
  paint(0);
  setTimeout(function () {{
    window.__timelines = window.__timelines || {{}};
    window.__timelines["frames"] = tl;
  }}, {LATE_TIMELINE_MS});
}})();
</script>
</body></html>"""


def _index(frame: bytes) -> int:
    """The frame index the bit cells of a BGRA frame show."""
    value = 0
    for k in range(BITS):
        i = ((CELL // 2) * WIDTH + k * CELL + CELL // 2) * 4
        if sum(frame[i : i + 3]) / 3 > 128:
            value |= 1 << k
    return value


@pytest.mark.parametrize("serve", [False, True], ids=["one-range", "warm"])
def test_the_first_view_writes_frames_before_the_second_view_is_seekable(
    tmp_path: Path, serve: bool
):
    project = write_project(tmp_path / "late", _late_timeline_page())
    (project / "gsap.min.js").write_bytes(gsap_js().read_bytes())
    comp = load_composition(project, None)
    page = compile_page(comp, tmp_path / "page", fps=Fraction(FPS))
    frames = range(FRAMES)
    events: queue.Queue = queue.Queue()
    worker = WorkerProcess(
        WorkerState(index=0, frames=frames), page, OutputSize(WIDTH, HEIGHT, 1.0), False,
        tmp_path, events, 2, serve=serve,
    )  # fmt: skip
    frame_bytes = WIDTH * HEIGHT * 4
    data = bytearray()

    def read() -> None:
        while len(data) < frame_bytes * FRAMES:
            chunk = os.read(worker.frames_fd, 1 << 20)
            if not chunk:
                return
            data.extend(chunk)

    said: list[dict] = []
    try:
        if serve:
            worker.run(frames)  # a warm host's first range: sent as the process starts
        else:
            worker.start()
        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        deadline = time.monotonic() + 90
        while not any(m.get("event") in ("done", "error", "exit") for m in said):
            assert time.monotonic() < deadline, said
            try:
                said.append(events.get(timeout=1)[1])
            except queue.Empty:
                continue
        reader.join(timeout=30)
    finally:
        worker.stop()
    kinds = [m.get("event") for m in said]
    assert "error" not in kinds and "done" in kinds, said
    # the first frames were written before the second view could be seeked ...
    joined = next((m for m in said if m.get("event") == "view-ready"), None)
    assert joined is not None, f"the second view never joined the frame loop: {kinds}"
    assert joined["views"] == 2 and joined["written"] >= 1, joined
    before = said[: said.index(joined)]
    assert any(m.get("event") == "progress" and m.get("done", 0) >= 1 for m in before), said
    # ... and it captured frames after it joined (the range was not over yet)
    assert joined["written"] < FRAMES, joined
    # every frame shows its own index, in order, whichever view drew it
    assert len(data) == frame_bytes * FRAMES
    shown = [_index(bytes(data[i * frame_bytes : (i + 1) * frame_bytes])) for i in frames]
    assert shown == list(frames)
