"""HyperFrames' timeline rules: ``window.__timelines`` exists before any composition script;
a composition with neither a timeline nor data-no-timeline renders from its data-duration;
GSAP callbacks fire as HyperFrames' renderer fires them, once as the playhead passes, so
frame N is the same through a whole render, ``--frames N-N``, a still and a backwards scrub."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import frame_rgb, write_project
from support.media import near, pixel
from support.projects import REPO_ROOT
from support.rendering import cli_env

from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

ORANGE, BLACK = (240, 120, 20), (0, 0, 0)

# Registers its timeline with no guard: `window.__timelines` must already exist.
UNGUARDED = """<!doctype html><html><head>
<script src="gsap.min.js"></script>
<style>html, body { margin: 0; background: #000; }
#bar { position: absolute; left: 0; top: 40px; width: 0; height: 40px;
       background: rgb(240,120,20); }
</style></head><body>
<div data-composition-id="main" data-width="320" data-height="180" data-duration="2" data-fps="10">
  <div id="bar"></div>
</div>
<script>
  const tl = gsap.timeline({ paused: true });
  tl.to("#bar", { width: 320, duration: 2, ease: "none" }, 0);
  window.__timelines["main"] = tl;
</script>
</body></html>"""

# Neither a timeline nor data-no-timeline: CSS only, rendered from data-duration.
NO_TIMELINE = """<!doctype html><html><head><style>
html, body { margin: 0; background: #000; }
#late { position: absolute; left: 0; top: 0; width: 320px; height: 180px;
        background: rgb(240,120,20); }
</style></head><body>
<div data-composition-id="plain" data-width="320" data-height="180" data-duration="1" data-fps="10">
  <div id="late" class="clip" data-start="0.5" data-duration="0.5"></div>
</div></body></html>"""

# Each .call() widens the bar by 40 px: the bar's width counts the callbacks that fired.
# Calls sit ON frame times (0.5, 1.0, 1.5 s at 10 fps: frames 5, 10, 15), where a seek that
# nudges past the frame and back fires them twice; a tween moves a box, so the frames also
# differ by the timeline's own state.
CALLS = """<!doctype html><html><head>
<script src="gsap.min.js"></script>
<style>html, body { margin: 0; background: #000; }
#count { position: absolute; left: 0; top: 0; width: 0; height: 60px; background: rgb(240,120,20); }
#mover { position: absolute; left: 0; top: 100px; width: 40px; height: 40px; background: #fff; }
</style></head><body>
<div data-composition-id="calls" data-width="320" data-height="180" data-duration="2" data-fps="10">
  <div id="count"></div><div id="mover"></div>
</div>
<script>
  var fired = 0;
  function bump() {
    fired += 1;
    document.getElementById("count").style.width = (fired * 40) + "px";
  }
  var tl = gsap.timeline({ paused: true });
  tl.to("#mover", { x: 280, duration: 2, ease: "none" }, 0);
  tl.call(bump, null, 0.5);
  tl.call(bump, null, 1.0);
  tl.call(bump, null, 1.5);
  window.__timelines = window.__timelines || {};
  window.__timelines["calls"] = tl;
</script>
</body></html>"""


def _project(folder: Path, html: str, gsap: Path | None = None) -> Path:
    project = write_project(folder, html)
    if gsap is not None:
        shutil.copyfile(gsap, project / "gsap.min.js")
    return project


def _still(project: Path, out: Path, frame: int):
    return frame_rgb(render_still(StillOptions(project, frame=frame, output=out)).output, 0)


def test_unguarded_timeline_registration_renders(gsap_file: Path, tmp_path: Path) -> None:
    project = _project(tmp_path / "p", UNGUARDED, gsap_file)
    frame = _still(project, tmp_path / "f.png", 10)  # 1 s: the bar is half way
    assert near(pixel(frame, 150, 60), ORANGE, 30), pixel(frame, 150, 60)
    assert near(pixel(frame, 170, 60), BLACK, 30), pixel(frame, 170, 60)


def test_composition_without_timeline_renders_from_its_duration(tmp_path: Path) -> None:
    project = _project(tmp_path / "p", NO_TIMELINE)
    out = RenderJob(RenderOptions(project=project, output=tmp_path / "o.mp4")).run().output
    assert near(pixel(frame_rgb(out, 2), 160, 90), BLACK, 30)
    assert near(pixel(frame_rgb(out, 7), 160, 90), ORANGE, 30)


def _count(frame) -> int:
    """How many callbacks fired: the bar's width in 40 px steps."""
    return sum(near(pixel(frame, x, 30), ORANGE, 40) for x in (20, 60, 100, 140, 180))


@pytest.fixture(scope="module")
def calls_sequence(gsap_file: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("calls")
    project = _project(root / "p", CALLS, gsap_file)
    options = RenderOptions(project=project, output=root / "all", format="png-sequence")
    return project, RenderJob(options).run().output


@pytest.mark.parametrize(("frame", "fired"), [(4, 0), (5, 1), (9, 1), (10, 2), (12, 2), (19, 3)])
def test_callbacks_fire_once_as_the_playhead_passes(
    calls_sequence: tuple[Path, Path], frame: int, fired: int
) -> None:
    _, sequence = calls_sequence
    assert _count(frame_rgb(sequence / f"frame_{frame:06d}.png", 0)) == fired


def test_frame_is_the_same_however_it_is_reached(
    calls_sequence: tuple[Path, Path], tmp_path: Path
) -> None:
    project, sequence = calls_sequence
    whole = {n: frame_rgb(sequence / f"frame_{n:06d}.png", 0).data for n in (10, 16)}
    for n in (10, 16):  # a still, and a range that starts at N (a farm chunk does)
        assert _still(project, tmp_path / f"s{n}.png", n).data == whole[n], f"still {n}"
        part = (
            RenderJob(
                RenderOptions(
                    project=project, output=tmp_path / f"r{n}", format="png-sequence", frames=(n, n)
                )
            )
            .run()
            .output
        )
        assert frame_rgb(part / f"frame_{n:06d}.png", 0).data == whole[n], f"frames {n}-{n}"


def test_backward_scrub_shows_the_rendered_frames(mixed_project: Path, tmp_path: Path) -> None:
    """A studio-like scrub from the end backwards lands on the pixels a whole render has."""
    sequence = (
        RenderJob(
            RenderOptions(project=mixed_project, output=tmp_path / "all", format="png-sequence")
        )
        .run()
        .output
    )
    order = [19, 17, 14, 10, 9, 5, 4, 0]
    proc = subprocess.run(
        [sys.executable, str(REPO_ROOT / "tests" / "support" / "scrub.py"), str(mixed_project),
         str(tmp_path / "scrub"), *map(str, order)],
        env=cli_env(tmp_path), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for n in order:
        want = frame_rgb(sequence / f"frame_{n:06d}.png", 0).data
        got = frame_rgb(tmp_path / "scrub" / f"frame_{n:06d}.png", 0).data
        assert got == want, f"frame {n} differs after a backwards scrub"


# No data-duration: the registered timeline (1.5 s) gives the length, as in HyperFrames.
TIMELINE_LENGTH = """<!doctype html><html><head>
<script src="gsap.min.js"></script>
<style>html, body { margin: 0; background: #000; }
#bar { position: absolute; left: 0; top: 40px; width: 0; height: 40px;
       background: rgb(240,120,20); }
</style></head><body>
<div data-composition-id="sized" data-width="320" data-height="180" data-fps="10">
  <div id="bar"></div>
  <div id="tail" class="clip" data-start="1"
       style="position:absolute;left:0;top:120px;width:320px;height:40px;background:#fff"></div>
</div>
<script>
  var tl = gsap.timeline({ paused: true });
  tl.to("#bar", { width: 320, duration: 1.5, ease: "none" }, 0);
  window.__timelines["sized"] = tl;
</script>
</body></html>"""


def test_root_without_duration_takes_its_timelines_length(gsap_file: Path, tmp_path: Path) -> None:
    from support.media import video_info

    project = _project(tmp_path / "p", TIMELINE_LENGTH, gsap_file)
    out = RenderJob(RenderOptions(project=project, output=tmp_path / "o.mp4")).run().output
    assert video_info(out).frames == 15  # 1.5 s x 10 fps
    last = frame_rgb(out, 14)
    assert near(pixel(last, 280, 60), ORANGE, 40)  # the bar is (nearly) full
    # the clip without data-duration runs to the composition's (the timeline's) end
    assert near(pixel(last, 160, 140), (255, 255, 255), 30)
    still = render_still(StillOptions(project, time="1.4", output=tmp_path / "s.png"))
    assert still.frame == 14
