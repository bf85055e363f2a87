"""Relative URLs in a sub-composition resolve as HyperFrames resolves them (``../x`` from
the sub-composition's own folder; ``x`` beside it when that file exists, else from the
project folder), and the problem checker, the media stage and the compiled page agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_rgb, write_project
from support.media import near, pixel, write_tone

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.project.problems import check_project
from hyperframes_desktop.render.still import StillOptions, encode_png, render_still

pytestmark = pytest.mark.slow

RED, GREEN, BLUE, GREY = (220, 20, 20), (20, 200, 20), (20, 20, 220), (128, 128, 128)


def _png(colour: tuple[int, int, int]) -> bytes:
    return encode_png(bytes([*colour, 255]) * 16, 4, 4)


INDEX = """<!doctype html><html><head><style>body { margin: 0; background: #000; }</style>
</head><body>
<div data-composition-id="main" data-width="320" data-height="180" data-duration="1"
     data-no-timeline>
  <div data-composition-src="compositions/card.html" data-start="0" data-duration="1"></div>
</div></body></html>"""

CARD = """<template>
<div data-composition-id="card" data-width="320" data-height="180">
  <style>
    [data-composition-id="card"] .left { position: absolute; left: 0; top: 0; width: 160px;
      height: 180px; background: url('../assets/green.png'); background-size: cover; }
  </style>
  <div class="left"></div>
  <img src="red.png" style="position:absolute;left:160px;top:0;width:160px;height:90px">
  <div id="painted" style="position:absolute;left:160px;top:90px;width:160px;height:90px;
       background-image: url(grey.png); background-size: cover"></div>
  <audio id="tone" class="clip" src="../media/tone.wav" data-start="0" data-duration="1"></audio>
  <script src="../vendor/paint.js"></script>
</div>
</template>"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sub-paths") / "p"
    write_project(
        folder,
        INDEX,
        {
            "compositions/card.html": CARD,
            "assets/green.png": _png(GREEN),
            "compositions/red.png": _png(RED),  # beside the sub-composition
            "grey.png": _png(GREY),  # not beside it: from the project folder
            "vendor/paint.js": 'document.getElementById("painted").style.outline = '
            '"40px solid rgb(20, 20, 220)"; document.getElementById("painted").style'
            '.outlineOffset = "-40px";\n',
        },
    )
    write_tone(folder / "media" / "tone.wav", 1.0)
    return folder


def test_checker_finds_every_file_the_sub_composition_names(project: Path) -> None:
    assert [p.text() for p in check_project(project)] == []


def test_media_stage_gets_the_file_beside_the_sub_composition_s_folder(project: Path) -> None:
    (host,) = load_composition(project).hosts
    (tone,) = host.child.media
    assert tone.path == (project / "media" / "tone.wav").resolve()


def test_the_page_loads_them_from_where_the_rule_says(project: Path, tmp_path: Path) -> None:
    out = render_still(StillOptions(project, frame=0, output=tmp_path / "f.png")).output
    frame = frame_rgb(out, 0)
    assert near(pixel(frame, 80, 90), GREEN, 30), pixel(frame, 80, 90)  # CSS url(../)
    assert near(pixel(frame, 240, 45), RED, 30), pixel(frame, 240, 45)  # img beside it
    assert near(pixel(frame, 240, 135), GREY, 30), pixel(frame, 240, 135)  # project's
    assert near(pixel(frame, 165, 175), BLUE, 30), pixel(frame, 165, 175)  # script ../
