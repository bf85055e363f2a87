"""--resolution supersamples a smaller composition of the same aspect; variables reach the
page through window.__hyperframes.getVariables(), for the root and for nested hosts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import write_project
from support.media import assert_colour, frame_rgb, probe
from support.rendering import run_cli

pytestmark = pytest.mark.slow

SMALL = """<!doctype html><html><head><style>
html, body { margin: 0; width: 480px; height: 270px; background: #000; }
#a { position: absolute; left: 0; top: 0; width: 240px; height: 270px; background: #ff0000; }
#b { position: absolute; left: 240px; top: 0; width: 240px; height: 270px; background: #0000ff; }
#line { position: absolute; left: 100px; top: 0; width: 1px; height: 270px; background: #fff; }
</style></head><body>
<div id="root" data-composition-id="small" data-width="480" data-height="270"
     data-duration="0.5" data-fps="10" data-no-timeline>
<div id="a"></div><div id="b"></div><div id="line"></div></div></body></html>"""


def test_resolution_preset_supersamples(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", SMALL)
    out = tmp_path / "big.mp4"
    proc = run_cli([str(project), "-o", str(out), "--resolution", "1080p", "--quality", "draft"])
    assert proc.returncode == 0, proc.stderr
    stream = probe(out)["streams"][0]
    assert (stream["width"], stream["height"]) == (1920, 1080)
    assert int(stream["nb_read_frames"]) == 5
    frame = frame_rgb(out, 2)
    assert_colour(frame, 200, 540, (255, 0, 0), what="left half")
    assert_colour(frame, 1500, 540, (0, 0, 255), what="right half")
    # the 1-px line at x=100 becomes 4 device pixels wide at 4x: drawn, not upscaled blur
    assert_colour(frame, 402, 540, (255, 255, 255), tol=40, what="supersampled line")


def test_resolution_with_another_aspect_is_exit_2(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", SMALL)
    proc = run_cli([str(project), "-o", str(tmp_path / "x.mp4"), "--resolution", "portrait"])
    assert proc.returncode == 2
    assert "aspect ratio" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.mp4").exists()


VARS = """<!doctype html><html><head><style>
html, body { margin: 0; width: 320px; height: 180px; background: #000; }
#left { position: absolute; left: 0; top: 0; width: 160px; height: 180px; }
</style></head><body>
<div id="root" data-composition-id="vars" data-width="320" data-height="180" data-duration="0.5"
     data-fps="10" data-no-timeline
     data-composition-variables='[{"id": "bg", "type": "color", "default": "#ff0000"},
                                  {"id": "count", "type": "number", "default": 1}]'>
  <div id="left"></div>
  <div id="host" data-composition-id="child" data-composition-src="compositions/child.html"
       data-start="0" data-duration="0.5" data-variable-values='{"fill": "#0000ff"}'></div>
</div>
<script>document.getElementById("left").style.background =
  window.__hyperframes.getVariables().bg;</script>
</body></html>"""

CHILD = """<template><div data-composition-id="child" data-width="320" data-height="180"
  data-duration="0.5" data-composition-variables='{"fill": "#00ff00"}'>
<div id="right" style="position:absolute;left:160px;top:0;width:160px;height:180px"></div>
<script>document.getElementById("right").style.background =
  window.__hyperframes.getVariables().fill;</script></div></template>"""


@pytest.fixture
def vars_project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "v", VARS, {"compositions/child.html": CHILD})


def test_default_and_host_variables(vars_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "v.mp4"
    proc = run_cli([str(vars_project), "-o", str(out), "--quality", "draft"])
    assert proc.returncode == 0, proc.stderr
    frame = frame_rgb(out, 1)
    assert_colour(frame, 80, 90, (255, 0, 0), what="root default")
    assert_colour(frame, 240, 90, (0, 0, 255), what="host value over the child's default")


def test_cli_variables_and_file(vars_project: Path, tmp_path: Path) -> None:
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"bg": "#00ff00", "count": 3}))
    out = tmp_path / "v.mp4"
    args = ["--variables-file", str(values), "--variables", '{"bg": "#ffff00"}']
    proc = run_cli([str(vars_project), "-o", str(out), "--quality", "draft", *args])
    assert proc.returncode == 0, proc.stderr
    assert_colour(frame_rgb(out, 1), 80, 90, (255, 255, 0), what="--variables wins over the file")


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ('{"nope": 1}', 'no variable "nope"'),
        ('{"count": "three"}', 'variable "count" must be a number'),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
    ],
)
def test_bad_variables_are_exit_2(
    vars_project: Path, tmp_path: Path, arg: str, message: str
) -> None:
    out = tmp_path / "v.mp4"
    proc = run_cli([str(vars_project), "-o", str(out), "--variables", arg])
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


QUARTER = SMALL.replace("480", "640").replace("270", "360").replace("240", "320")


def test_quarter_scale_renders_with_the_frame_strip_intact(tmp_path: Path) -> None:
    """At 0.25x the 4-px frame strip used to round to one blended row below the stage (past
    the probed row): frame 0 never 'painted' and the render timed out."""
    project = write_project(tmp_path / "p", QUARTER)
    out = tmp_path / "small.mp4"
    proc = run_cli([str(project), "-o", str(out), "--resolution", "160x90", "--quality", "draft"])
    assert proc.returncode == 0, proc.stderr
    stream = probe(out)["streams"][0]
    assert (stream["width"], stream["height"]) == (160, 90)
    assert int(stream["nb_read_frames"]) == 5
    frame = frame_rgb(out, 4)
    assert_colour(frame, 30, 45, (255, 0, 0), tol=40, what="left half")
    assert_colour(frame, 130, 45, (0, 0, 255), tol=40, what="right half")
    # the strip is cropped off: the stage's last row is the composition, not the strip
    assert_colour(frame, 130, 89, (0, 0, 255), tol=40, what="bottom row")
