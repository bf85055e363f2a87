"""HYPERFRAMES_FRAME_TIMEOUT_S: how long one frame may take to paint before the render stops
with a sentence naming that limit (default 15 s; a bad value keeps the default), unless
Chromium is still drawing it (render/worker/script_probe.py)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from support import write_project

from hyperframes_desktop.render import RenderError, RenderJob, RenderOptions
from hyperframes_desktop.render.capture_process import _frame_timeout_s
from hyperframes_desktop.render.worker.script_probe import DrawingWatch

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


@pytest.mark.slow
def test_a_stuck_frame_stops_the_render_after_the_frame_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", STUCK_FRAME)
    monkeypatch.setenv("HYPERFRAMES_FRAME_TIMEOUT_S", "2")
    with pytest.raises(RenderError, match=r"Frame \d did not paint within 2 s"):
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
def test_a_frame_chromium_is_still_drawing_is_waited_for_past_the_frame_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Heavy WebGL on software rendering (as HyperFrames' catalog has: cosmic-orb,
    liquid glass) is not a stuck page: the old code stopped with "did not paint within 1 s"."""
    project = write_project(tmp_path / "p", SLOW_DRAW)
    monkeypatch.setenv("HYPERFRAMES_FRAME_TIMEOUT_S", "1")
    out = tmp_path / "slow.mp4"
    RenderJob(RenderOptions(project=project, output=out, workers=1)).run()
    assert out.stat().st_size > 0


def _busy(name: str | None, stop: threading.Event) -> threading.Thread:
    """A thread of this process that burns CPU, under ``name`` as /proc shows it."""

    def burn() -> None:
        if name is not None:
            Path(f"/proc/self/task/{threading.get_native_id()}/comm").write_text(name)
        while not stop.is_set():
            pass

    thread = threading.Thread(target=burn, daemon=True)
    thread.start()
    return thread


def _watch(seconds: float) -> bool | None:
    watch = DrawingWatch(window_s=seconds)
    end = time.monotonic() + seconds * 1.2
    while time.monotonic() < end:
        watch.sample(time.monotonic())
        time.sleep(0.05)
    return watch.drawing(time.monotonic())


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="threads are read from /proc")
def test_busy_drawing_threads_mean_drawing_and_a_busy_script_thread_alone_means_stuck() -> None:
    assert _watch(0.6) is False  # nothing busy but this thread
    stop = threading.Event()
    thread = _busy(None, stop)  # e.g. SwiftShader's workers, the GPU thread
    try:
        assert _watch(0.6) is True
    finally:
        stop.set()
        thread.join()
    stop = threading.Event()
    thread = _busy("Chrome_InProcRe", stop)  # the page's script thread, in a loop
    try:
        assert _watch(0.6) is False
    finally:
        stop.set()
        thread.join()
