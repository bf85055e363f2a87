"""A sub-composition's scripts get their own ``document`` and ``gsap``, as HyperFrames' runtime
scopes them: ``querySelector``, ``getElementById`` and GSAP selector strings match only the
elements of that composition's instance, so two compositions (and two instances of one) may
use the same classes and ids and each script styles and animates its own."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import frame_rgb, gsap_js, write_project
from support.media import near, pixel

from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

INDEX = """<!doctype html><html><head><script src="gsap.min.js"></script>
<style>body { margin: 0; background: #000; }</style></head><body>
<div data-composition-id="main" data-width="320" data-height="180" data-duration="1">
  <div id="a1" data-composition-src="compositions/a.html" data-start="0" data-duration="1"
       style="position:absolute;left:0;top:0;width:320px;height:60px"></div>
  <div id="a2" data-composition-src="compositions/a.html" data-start="0" data-duration="1"
       style="position:absolute;left:0;top:60px;width:320px;height:60px"></div>
  <div id="b1" data-composition-src="compositions/b.html" data-start="0" data-duration="1"
       style="position:absolute;left:0;top:120px;width:320px;height:60px"></div>
</div>
<script>window.__timelines["main"] = gsap.timeline({ paused: true });</script>
</body></html>"""

# Both compositions use class "title" and id "box"; a is shown twice. Each script colours
# "its" title by querySelector and "its" box by getElementById, and moves "its" title with a
# GSAP selector: a with gsap.set, b with its timeline.
A = """<template><div data-composition-id="a" data-width="320" data-height="60">
  <div class="title" style="position:absolute;left:0;top:0;width:40px;height:60px"></div>
  <div id="box" style="position:absolute;left:200px;top:0;width:40px;height:60px"></div>
  <script>
    document.querySelector(".title").style.background = "rgb(0,200,0)";
    document.getElementById("box").style.background = "rgb(0,0,220)";
    gsap.set(".title", { x: 50 });
  </script></div></template>"""
B = """<template><div data-composition-id="b" data-width="320" data-height="60">
  <div class="title" style="position:absolute;left:0;top:0;width:40px;height:60px"></div>
  <div id="box" style="position:absolute;left:200px;top:0;width:40px;height:60px"></div>
  <script>
    document.querySelector(".title").style.background = "rgb(220,0,0)";
    document.getElementById("box").style.background = "rgb(220,220,0)";
    const tl = gsap.timeline({ paused: true });
    tl.to(".title", { x: 80, duration: 1, ease: "none" });
    window.__timelines["b"] = tl;
  </script></div></template>"""
GREEN, BLUE, RED, YELLOW, BLACK = (0, 200, 0), (0, 0, 220), (220, 0, 0), (220, 220, 0), (0, 0, 0)


def test_each_sub_composition_script_queries_and_animates_its_own_elements(
    tmp_path: Path,
) -> None:
    project = write_project(
        tmp_path / "p", INDEX, {"compositions/a.html": A, "compositions/b.html": B}
    )
    shutil.copyfile(gsap_js(), project / "gsap.min.js")
    out = render_still(StillOptions(project, frame=15, output=tmp_path / "f.png")).output
    frame = frame_rgb(out, 0)
    seen = {
        "a1 title": pixel(frame, 70, 30),  # set 50 px right by a's gsap.set
        "a2 title": pixel(frame, 70, 90),
        "b title": pixel(frame, 60, 150),  # 40 px right at frame 15 of b's timeline
        "a1 box": pixel(frame, 220, 30),
        "a2 box": pixel(frame, 220, 90),
        "b box": pixel(frame, 220, 150),
        "a1 start": pixel(frame, 10, 30),  # the titles left their start
        "a2 start": pixel(frame, 10, 90),
        "b start": pixel(frame, 10, 150),
    }
    want = {
        "a1 title": GREEN,
        "a2 title": GREEN,
        "b title": RED,
        "a1 box": BLUE,
        "a2 box": BLUE,
        "b box": YELLOW,
        "a1 start": BLACK,
        "a2 start": BLACK,
        "b start": BLACK,
    }
    wrong = {k: v for k, v in seen.items() if not near(v, want[k], 40)}
    assert not wrong, (wrong, want)


# One composition shown twice, from 0 s and from 0.5 s: each instance's script registers "its"
# timeline under the composition's id, and each instance plays its own from its own start.
TWICE = """<!doctype html><html><head><script src="gsap.min.js"></script>
<style>body { margin: 0; background: #000; }</style></head><body>
<div data-composition-id="main" data-width="320" data-height="180" data-duration="1">
  <div id="c1" data-composition-src="compositions/c.html" data-start="0" data-duration="1"
       style="position:absolute;left:0;top:0;width:320px;height:60px"></div>
  <div id="c2" data-composition-src="compositions/c.html" data-start="0.5" data-duration="0.5"
       style="position:absolute;left:0;top:100px;width:320px;height:60px"></div>
</div>
<script>window.__timelines["main"] = gsap.timeline({ paused: true });</script>
</body></html>"""
C = """<template><div data-composition-id="c" data-width="320" data-height="60">
  <div class="dot" style="position:absolute;left:0;top:0;width:20px;height:60px;
       background:rgb(255,255,255)"></div>
  <script>
    const tl = gsap.timeline({ paused: true });
    tl.to(".dot", { x: 200, duration: 1, ease: "none" });
    window.__timelines["c"] = tl;
  </script></div></template>"""


def test_two_instances_of_one_composition_each_play_their_own_timeline(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", TWICE, {"compositions/c.html": C})
    shutil.copyfile(gsap_js(), project / "gsap.min.js")
    out = render_still(StillOptions(project, frame=24, output=tmp_path / "f.png")).output
    frame = frame_rgb(out, 0)  # 0.8 s: the first instance at 0.8 s, the second at 0.3 s
    white = (255, 255, 255)
    assert near(pixel(frame, 170, 30), white, 40), pixel(frame, 170, 30)  # x = 160
    assert near(pixel(frame, 70, 130), white, 40), pixel(frame, 70, 130)  # x = 60
    assert near(pixel(frame, 10, 30), BLACK, 40) and near(pixel(frame, 10, 130), BLACK, 40)
