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
NO_SWIFTSHADER = {qt_env.SWIFTSHADER_DIR_ENV: "/nonexistent/swiftshader"}


def test_the_one_switch_software_for_capture_gpu_for_the_studio_where_one_exists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(qt_env, "has_gpu", lambda: True)
    capture = _flags(dict(NO_SWIFTSHADER), offscreen=True)
    assert all(flag in capture for flag in [*SWIFTSHADER, "--disable-gpu"])
    studio = _flags({"QT_QPA_PLATFORM": "xcb"}, offscreen=False)
    assert "--disable-gpu" not in studio and "--use-gl=angle" in studio
    assert "--enable-unsafe-swiftshader" in studio  # a blocklisted GPU still gets WebGL
    monkeypatch.setattr(qt_env, "has_gpu", lambda: False)
    no_gpu = _flags({"QT_QPA_PLATFORM": "xcb", **NO_SWIFTSHADER}, offscreen=False)
    assert all(flag in no_gpu for flag in SWIFTSHADER)
    off = _flags({qt_env.WEBGL_ENV: "off"}, offscreen=True)
    assert "--disable-gpu" in off and not any(flag in off for flag in SWIFTSHADER)
    own = _flags({"QTWEBENGINE_CHROMIUM_FLAGS": "--use-angle=vulkan"}, offscreen=True)
    assert "--use-angle=vulkan" in own and "--use-angle=swiftshader" not in own
    assert qt_env.webgl_mode({qt_env.WEBGL_ENV: "nonsense"}, offscreen=True) == "software"


# A canvas cleared to a colour naming the rasterizer WebGL reports: green for SwiftShader (what
# HyperFrames' Chrome draws with), blue for Mesa's llvmpipe, red for anything else.
RENDERER_HTML = f"""<!doctype html><html><head><style>
html,body{{margin:0;background:#fff}} canvas{{display:block}}</style></head><body>
<div id="root" data-composition-id="gl" data-width="{W}" data-height="{H}"
 data-duration="1" data-fps="1" data-no-timeline style="width:{W}px;height:{H}px">
<canvas id="c" width="{W}" height="{H}"></canvas></div>
<script>
var gl = document.getElementById('c').getContext('webgl', {{preserveDrawingBuffer: true}});
var info = gl && gl.getExtension('WEBGL_debug_renderer_info');
var name = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : '';
var rgb = /SwiftShader/.test(name) ? [0, 1, 0] : /llvmpipe/.test(name) ? [0, 0, 1] : [1, 0, 0];
if (gl) {{ gl.clearColor(rgb[0], rgb[1], rgb[2], 1); gl.clear(gl.COLOR_BUFFER_BIT); }}
</script></body></html>"""
GREEN, BLUE = (0, 255, 0), (0, 0, 255)


def _renderer_colour(tmp_path: Path) -> tuple[int, int, int]:
    project = write_project(tmp_path / "p", RENDERER_HTML)
    still = render_still(StillOptions(project, frame=0, output=tmp_path / "still.png"))
    return pixel(frame_rgb(still.output, 0), W // 2, H // 2)


@pytest.mark.timeout(180)
def test_software_webgl_is_swiftshader_where_installed_and_llvmpipe_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if qt_env.find_swiftshader() is None:
        pytest.skip("SwiftShader is not installed (apt package chromium-common)")
    monkeypatch.delenv(qt_env.SOFTWARE_WEBGL_ENV, raising=False)
    assert near(_renderer_colour(tmp_path / "a"), GREEN, tol=2)
    # without the library (or asked for), the capture falls back to llvmpipe and still draws
    monkeypatch.setenv(qt_env.SWIFTSHADER_DIR_ENV, str(tmp_path / "no-swiftshader"))
    assert near(_renderer_colour(tmp_path / "b"), BLUE, tol=2)
    monkeypatch.delenv(qt_env.SWIFTSHADER_DIR_ENV)
    monkeypatch.setenv(qt_env.SOFTWARE_WEBGL_ENV, "llvmpipe")
    assert near(_renderer_colour(tmp_path / "c"), BLUE, tol=2)


def test_swiftshader_flags_name_its_driver_alone_and_a_child_decides_again() -> None:
    if qt_env.find_swiftshader() is None:
        pytest.skip("SwiftShader is not installed (apt package chromium-common)")
    env: dict[str, str] = {}
    flags = _flags(env, offscreen=True)
    assert "--use-angle=vulkan" in flags and "--disable-gpu" in flags
    assert env["VK_ICD_FILENAMES"].endswith("vk_swiftshader_icd.json")
    # a worker started with that environment but told to use llvmpipe drops our vulkan flag
    child = {**env, qt_env.SOFTWARE_WEBGL_ENV: "llvmpipe"}
    again = _flags(child, offscreen=True)
    assert "--use-angle=swiftshader" in again and "--use-angle=vulkan" not in again
    # a user's own choice stays
    own = {"QTWEBENGINE_CHROMIUM_FLAGS": "--use-angle=gl"}
    assert "--use-angle=gl" in _flags(own, offscreen=True)
