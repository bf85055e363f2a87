"""HYPERFRAMES_FRAME_TIMEOUT_S: how long one frame may take to paint before the render stops
with a sentence naming that limit (default 15 s; a bad value keeps the default), unless the
page is still working on it: then up to HYPERFRAMES_BUSY_FRAME_LIMIT_S (default 300 s;
render/worker/script_probe.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import write_project

from hyperframes_desktop.render import RenderError, RenderJob, RenderOptions
from hyperframes_desktop.render.capture_process import _frame_timeout_s

# Frame 3 never paints: the page's clock is the composition's, so this loop never ends.
STUCK_FRAME = """<!doctype html><html><head><style>html,body{margin:0;background:#000}</style>
</head><body><div data-composition-id="stuck" data-width="64" data-height="36"
  data-duration="0.5" data-fps="10"></div>
<script>
  window.__timelines = window.__timelines || {};
  window.__timelines.stuck = {
    paused: function () { return true; },
    duration: function () { return 0.5; },
    totalTime: function (t) {
      if (Math.round(t * 10) !== 3) return;
      var end = performance.now() + 1;
      while (performance.now() < end) {}
    }
  };
</script></body></html>"""


def test_the_frame_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HYPERFRAMES_FRAME_TIMEOUT_S", raising=False)
    assert _frame_timeout_s() == 15.0
    monkeypatch.setenv("HYPERFRAMES_FRAME_TIMEOUT_S", "120")
    assert _frame_timeout_s() == 120.0
    monkeypatch.setenv("HYPERFRAMES_FRAME_TIMEOUT_S", "soon")
    assert _frame_timeout_s() == 15.0


# Frame 3 hides the whole page (the frame strip included), so it never paints, and then the
# page sits idle.
IDLE_FRAME = STUCK_FRAME.replace(
    """      var end = performance.now() + 1;
      while (performance.now() < end) {}""",
    """      document.documentElement.style.display = "none";""",
)


@pytest.mark.slow
def test_a_frame_the_page_is_not_working_on_stops_the_render_at_the_frame_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", IDLE_FRAME)
    monkeypatch.setenv("HYPERFRAMES_FRAME_TIMEOUT_S", "2")
    with pytest.raises(RenderError, match=r"Frame 3 did not paint within 2 s, and the page was"):
        RenderJob(RenderOptions(project=project, output=tmp_path / "a.mp4")).run()


@pytest.mark.slow
def test_a_frame_stuck_in_a_script_stops_the_render_at_the_busy_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", STUCK_FRAME)
    monkeypatch.setenv("HYPERFRAMES_FRAME_TIMEOUT_S", "1")
    monkeypatch.setenv("HYPERFRAMES_BUSY_FRAME_LIMIT_S", "4")
    with pytest.raises(RenderError, match=r"Frame \d did not paint within 4 s although the page"):
        RenderJob(RenderOptions(project=project, output=tmp_path / "a.mp4")).run()


# Each frame is a fragment shader of 4000 steps a pixel: seconds a frame in SwiftShader on two
# cores, with the page's scripts idle (the draw runs on Chromium's GPU and SwiftShader threads).
SLOW_DRAW = """<!doctype html><html><head><style>html,body{margin:0;background:#000}</style>
</head><body><div data-composition-id="slow" data-width="320" data-height="180"
  data-duration="0.2" data-fps="10"><canvas id="c" width="320" height="180"></canvas></div>
<script>
  var gl = document.getElementById("c").getContext("webgl", {preserveDrawingBuffer: true});
  function shader(type, src) {
    var s = gl.createShader(type); gl.shaderSource(s, src); gl.compileShader(s); return s;
  }
  var program = gl.createProgram();
  gl.attachShader(program, shader(gl.VERTEX_SHADER,
    "attribute vec2 a; void main() { gl_Position = vec4(a, 0.0, 1.0); }"));
  gl.attachShader(program, shader(gl.FRAGMENT_SHADER,
    "precision highp float; uniform float t; void main() { float v = 0.0;" +
    " for (int i = 0; i < 4000; i++) {" +
    "   v = fract(sin(v * 12.9898 + gl_FragCoord.x * 0.001 + t) * 43758.5453); }" +
    " gl_FragColor = vec4(v, t, 0.5, 1.0); }"));
  gl.linkProgram(program); gl.useProgram(program);
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 3, -1, -1, 3]), gl.STATIC_DRAW);
  gl.enableVertexAttribArray(0); gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
  var time = gl.getUniformLocation(program, "t");
  function draw(t) { gl.uniform1f(time, t); gl.drawArrays(gl.TRIANGLES, 0, 3); gl.flush(); }
  window.__timelines = window.__timelines || {};
  window.__timelines.slow = {
    paused: function () { return true; },
    duration: function () { return 0.2; },
    totalTime: function (t) { draw(t); }
  };
  draw(0);
</script></body></html>"""


@pytest.mark.slow
def test_a_frame_the_page_is_still_drawing_is_waited_for_past_the_frame_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Heavy WebGL on software rendering (as HyperFrames' catalog has: cosmic-orb,
    liquid glass) is not a stuck page: the old code stopped with "did not paint within 1 s"."""
    project = write_project(tmp_path / "p", SLOW_DRAW)
    monkeypatch.setenv("HYPERFRAMES_FRAME_TIMEOUT_S", "1")
    out = tmp_path / "slow.mp4"
    RenderJob(RenderOptions(project=project, output=out, workers=1)).run()
    assert out.stat().st_size > 0


# Run in a process of its own: this one's other threads (a finished render's readers, a
# standby's stderr drain) may be busy when the test starts, and the watch counts them all.
WATCH = """
import json, threading, time
from hyperframes_desktop.render.worker.script_probe import BusyWatch

def watch(seconds):
    w = BusyWatch(window_s=seconds)
    end = time.monotonic() + seconds * 1.2
    while time.monotonic() < end:
        w.sample(time.monotonic())
        time.sleep(0.05)
    return w.busy(time.monotonic())

idle = watch(0.6)  # only this thread, sleeping
stop = threading.Event()

def burn():  # as the page's threads do while it works
    while not stop.is_set():
        pass

thread = threading.Thread(target=burn, daemon=True)
thread.start()
busy = watch(0.6)
stop.set()
thread.join()
print(json.dumps([idle, busy]))
"""


def test_the_page_counts_as_working_while_other_threads_of_the_process_burn_cpu() -> None:
    done = subprocess.run(
        [sys.executable, "-c", WATCH], capture_output=True, text=True, timeout=60, check=True
    )
    idle, busy = json.loads(done.stdout)
    assert idle is False
    assert busy is True
