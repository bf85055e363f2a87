"""WebGL in the capture processes: a shader canvas seeked frame by frame draws, draws the same
pixels run to run, and a ``still`` equals the same frame of the whole render. The flags come
from the one switch in render/qt_env.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_md5s, frame_rgb, write_project
from support.media import near, pixel

from hyperframes_desktop.render import RenderJob, RenderOptions, qt_env
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

W, H, DURATION, FPS = 160, 90, 2, 2


def webgl_html() -> str:
    """A canvas cleared and drawn by a fragment shader at a colour that depends on the seek
    time (a timeline-shaped object, seeked like GSAP's). Without WebGL the canvas stays
    transparent over a white page."""
    return f"""<!doctype html><html><head><style>
html,body{{margin:0;background:#fff}} canvas{{display:block}}</style></head><body>
<div id="root" data-composition-id="gl" data-width="{W}" data-height="{H}"
 data-duration="{DURATION}" data-fps="{FPS}" style="position:relative;width:{W}px;height:{H}px">
<canvas id="c" width="{W}" height="{H}"></canvas></div>
<script>
var gl = document.getElementById('c').getContext('webgl');
var draw = function () {{}};
if (gl) {{
  var vs = gl.createShader(gl.VERTEX_SHADER);
  gl.shaderSource(vs, 'attribute vec2 p;void main(){{gl_Position=vec4(p,0.,1.);}}');
  gl.compileShader(vs);
  var fs = gl.createShader(gl.FRAGMENT_SHADER);
  gl.shaderSource(fs, 'precision mediump float;uniform float t;'
    + 'void main(){{gl_FragColor=vec4(t/{DURATION}.,1.-t/{DURATION}.,.5,1.);}}');
  gl.compileShader(fs);
  var prog = gl.createProgram();
  gl.attachShader(prog, vs); gl.attachShader(prog, fs); gl.linkProgram(prog);
  gl.useProgram(prog);
  var buf = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, buf);
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1,-1,3,-1,-1,3]), gl.STATIC_DRAW);
  var loc = gl.getAttribLocation(prog, 'p');
  gl.enableVertexAttribArray(loc);
  gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
  var tl = gl.getUniformLocation(prog, 't');
  draw = function (t) {{
    gl.clearColor(0, 0, 0, 1); gl.clear(gl.COLOR_BUFFER_BIT);
    gl.uniform1f(tl, t); gl.drawArrays(gl.TRIANGLES, 0, 3);
  }};
}}
window.__timelines = {{gl: {{paused: function () {{ return true; }},
  totalTime: function (t) {{ draw(t); }}}}}};
</script></body></html>"""


def expected(frame: int) -> tuple[int, int, int]:
    t = frame / FPS
    return (round(255 * t / DURATION), round(255 * (1 - t / DURATION)), 128)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("webgl") / "p", webgl_html())


def _sequence(project: Path, out: Path) -> Path:
    options = RenderOptions(project=project, output=out, format="png-sequence")
    return RenderJob(options).run().output


@pytest.fixture(scope="module")
def sequence(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sequence(project, tmp_path_factory.mktemp("webgl-seq") / "frames")


def _frames(folder: Path) -> list[Path]:
    return sorted(folder.glob("frame_*.png"))


@pytest.mark.timeout(180)
def test_a_shader_canvas_draws_the_seeked_colour(sequence: Path) -> None:
    frames = _frames(sequence)
    assert len(frames) == DURATION * FPS
    for index, png in enumerate(frames):
        colour = pixel(frame_rgb(png, 0), W // 2, H // 2)
        assert near(colour, expected(index), tol=4), (index, colour, expected(index))


@pytest.mark.timeout(180)
def test_webgl_frames_are_identical_run_to_run_and_a_still_equals_its_frame(
    project: Path, sequence: Path, tmp_path: Path
) -> None:
    again = _sequence(project, tmp_path / "again")
    assert [frame_md5s(p) for p in _frames(again)] == [frame_md5s(p) for p in _frames(sequence)]
    still = render_still(StillOptions(project, frame=2, output=tmp_path / "still.png"))
    assert frame_md5s(still.output) == frame_md5s(_frames(sequence)[2])


def _flags(env: dict[str, str], offscreen: bool) -> list[str]:
    return qt_env.configure_qtwebengine_env(env, offscreen=offscreen)[
        "QTWEBENGINE_CHROMIUM_FLAGS"
    ].split()


SWIFTSHADER = ["--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]


def test_the_one_switch_software_for_capture_gpu_for_the_studio_where_one_exists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(qt_env, "has_gpu", lambda: True)
    capture = _flags({}, offscreen=True)
    assert all(flag in capture for flag in [*SWIFTSHADER, "--disable-gpu"])
    studio = _flags({"QT_QPA_PLATFORM": "xcb"}, offscreen=False)
    assert "--disable-gpu" not in studio and "--use-gl=angle" in studio
    assert "--enable-unsafe-swiftshader" in studio  # a blocklisted GPU still gets WebGL
    monkeypatch.setattr(qt_env, "has_gpu", lambda: False)
    assert all(flag in _flags({"QT_QPA_PLATFORM": "xcb"}, offscreen=False) for flag in SWIFTSHADER)
    off = _flags({qt_env.WEBGL_ENV: "off"}, offscreen=True)
    assert "--disable-gpu" in off and not any(flag in off for flag in SWIFTSHADER)
    own = _flags({"QTWEBENGINE_CHROMIUM_FLAGS": "--use-angle=vulkan"}, offscreen=True)
    assert "--use-angle=vulkan" in own and "--use-angle=swiftshader" not in own
    assert qt_env.webgl_mode({qt_env.WEBGL_ENV: "nonsense"}, offscreen=True) == "software"
