"""HyperFrames' visibility rules for timed elements: a timed descendant never shows while a
timed ancestor is outside its window (even when its CSS says visible, or it is fixed), and a
hidden in-flow clip leaves the flow so the next one takes its place."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_rgb, write_project
from support.media import near, pixel

from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

BAND, FIRST, SECOND, PAGE = (20, 20, 220), (220, 20, 20), (20, 200, 20), (240, 240, 240)

INDEX = """<!doctype html><html><head><style>
html, body { margin: 0; background: rgb(240, 240, 240); }
.scene { position: absolute; left: 0; top: 0; width: 160px; height: 180px; }
#band { position: fixed; left: 0; right: 0; bottom: 0; height: 30px; visibility: visible;
        background: rgb(20, 20, 220); }
#stack { position: absolute; left: 200px; top: 0; width: 120px; }
#stack p { margin: 0; height: 60px; }
</style></head><body>
<div data-composition-id="main" data-width="320" data-height="180" data-duration="2"
     data-no-timeline>
  <section id="scene" class="scene clip" data-start="0" data-duration="1">
    <div id="band" class="clip" data-start="0" data-duration="2"></div>
  </section>
  <div id="stack">
    <p id="first" class="clip" data-start="0" data-duration="1"
       style="background: rgb(220, 20, 20)"></p>
    <p id="second" class="clip" data-start="1" data-duration="1"
       style="background: rgb(20, 200, 20)"></p>
  </div>
</div></body></html>"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("visibility") / "p", INDEX)


def _at(project: Path, out: Path, time: str):
    return frame_rgb(render_still(StillOptions(project, time=time, output=out)).output, 0)


def test_timed_descendants_follow_their_ancestors(project: Path, tmp_path: Path) -> None:
    before = _at(project, tmp_path / "a.png", "0.5")
    assert near(pixel(before, 100, 170), BAND, 30)  # the scene shows: so does its band
    after = _at(project, tmp_path / "b.png", "1.5")
    # the band's own window runs on, but its scene ended: hidden, fixed and visible or not
    assert near(pixel(after, 100, 170), PAGE, 30), pixel(after, 100, 170)


def test_hidden_in_flow_clips_leave_the_flow(project: Path, tmp_path: Path) -> None:
    before = _at(project, tmp_path / "a.png", "0.5")
    assert near(pixel(before, 260, 30), FIRST, 30)
    assert near(pixel(before, 260, 90), PAGE, 30)  # the second is hidden, in its place
    after = _at(project, tmp_path / "b.png", "1.5")
    # the first is gone: the second moved up into its place
    assert near(pixel(after, 260, 30), SECOND, 30), pixel(after, 260, 30)
    assert near(pixel(after, 260, 90), PAGE, 30), pixel(after, 260, 90)
