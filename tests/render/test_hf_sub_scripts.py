"""Each sub-composition's scripts run in a scope of their own, as HyperFrames wraps them: two
sub-compositions and the root may all declare ``const tl`` (as the catalog's vignelli example
does) and every one of them still registers and plays its timeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import frame_rgb, gsap_js, write_project
from support.media import near, pixel

from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

INDEX = """<!doctype html><html><head><script src="gsap.min.js"></script>
<style>body { margin: 0; background: #000; }
#dot { position: absolute; left: 0; top: 150px; width: 20px; height: 20px; background: #fff; }
</style></head><body>
<div data-composition-id="main" data-width="320" data-height="180" data-duration="1">
  <div id="dot"></div>
  <div data-composition-src="compositions/a.html" data-start="0" data-duration="1"></div>
  <div data-composition-src="compositions/b.html" data-start="0" data-duration="1"></div>
</div>
<script>
  const tl = gsap.timeline({ paused: true });
  tl.to("#dot", { x: 300, duration: 1, ease: "none" });
  window.__timelines["main"] = tl;
</script></body></html>"""


def _sub(name: str, top: int, colour: str) -> str:
    return f"""<template>
<div data-composition-id="{name}" data-width="320" data-height="180">
  <div class="box" style="position:absolute;left:0;top:{top}px;width:40px;height:40px;
       background:{colour}"></div>
  <script>
    const tl = gsap.timeline({{ paused: true }});
    tl.to('[data-composition-id="{name}"] .box', {{ x: 260, duration: 1, ease: "none" }});
    window.__timelines["{name}"] = tl;
  </script>
</div>
</template>"""


def test_sub_compositions_may_declare_the_same_top_level_names(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "p",
        INDEX,
        {
            "compositions/a.html": _sub("a", 10, "rgb(220,20,20)"),
            "compositions/b.html": _sub("b", 80, "rgb(20,200,20)"),
        },
    )
    shutil.copyfile(gsap_js(), project / "gsap.min.js")
    out = render_still(StillOptions(project, frame=29, output=tmp_path / "f.png")).output
    frame = frame_rgb(out, 0)
    # both boxes and the root's dot have moved right: all three timelines registered and ran
    assert near(pixel(frame, 275, 30), (220, 20, 20), 40), pixel(frame, 275, 30)
    assert near(pixel(frame, 275, 100), (20, 200, 20), 40), pixel(frame, 275, 100)
    assert near(pixel(frame, 20, 30), (0, 0, 0), 40), pixel(frame, 20, 30)
    assert near(pixel(frame, 300, 160), (255, 255, 255), 40), pixel(frame, 300, 160)
