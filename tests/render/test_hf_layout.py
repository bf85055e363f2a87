"""HyperFrames' layout rules: the root and sub-composition hosts take their size from
data-width/data-height when the author's CSS does not size them, and the root's timed
children are laid out on top of each other (checked on stills: what a viewer sees)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_rgb, write_project
from support.media import near, pixel

from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

RED, GREEN, BLUE, YELLOW = (220, 20, 20), (20, 200, 20), (20, 20, 220), (230, 220, 20)

# Nothing in the author's CSS sizes the root, the host or the clips: only data-width/height.
# The body keeps the browser's default 8 px margin: HyperFrames zeroes it.
INDEX = """<!doctype html>
<html><head><style>
  body { background: rgb(0, 0, 0); }
  [data-composition-id="main"] { background: rgb(20, 20, 220); }
  #fill { background: rgb(230, 220, 20); }
</style></head>
<body>
<div data-composition-id="main" data-width="320" data-height="180" data-duration="2"
     data-no-timeline>
  <p id="words" class="clip" data-start="0" data-duration="2">in flow</p>
  <div id="card-host" data-composition-src="compositions/card.html"
       data-start="0" data-duration="1"></div>
  <div id="fill" class="clip" data-start="1" data-duration="1"></div>
</div>
</body></html>
"""

CARD = """<template>
<div data-composition-id="card" data-width="320" data-height="180">
  <style>
    [data-composition-id="card"] { width: 100%; height: 100%; position: relative;
                                    background: rgb(20, 200, 20); }
    [data-composition-id="card"] .corner { position: absolute; right: 0; bottom: 0;
                                            width: 40px; height: 40px;
                                            background: rgb(220, 20, 20); }
  </style>
  <div class="corner"></div>
</div>
</template>
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hf-layout") / "p"
    return write_project(folder, INDEX, {"compositions/card.html": CARD})


def _still(project: Path, out: Path, time: str) -> object:
    return frame_rgb(render_still(StillOptions(project, time=time, output=out)).output, 0)


def test_root_and_host_are_sized_from_data_width_and_height(project: Path, tmp_path: Path) -> None:
    frame = _still(project, tmp_path / "a.png", "0.5")
    # the host fills the 320x180 root (its inner root's 100% resolves), the corner box sits in
    # the bottom-right corner, and nothing of the root's own blue shows under the card
    assert near(pixel(frame, 300, 165), RED, 30), pixel(frame, 300, 165)
    assert near(pixel(frame, 160, 120), GREEN, 30), pixel(frame, 160, 120)
    assert near(pixel(frame, 10, 170), GREEN, 30), pixel(frame, 10, 170)


def test_an_empty_timed_child_of_the_root_fills_it(project: Path, tmp_path: Path) -> None:
    frame = _still(project, tmp_path / "b.png", "1.5")
    # #fill has no size of its own: taken out of flow at the top left, 100% of the root
    for x, y in ((0, 0), (5, 5), (160, 90), (314, 174), (319, 179)):
        assert near(pixel(frame, x, y), YELLOW, 30), (x, y, pixel(frame, x, y))
