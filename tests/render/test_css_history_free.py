"""Seeked CSS animations give each frame's pixels from that frame alone, with no fixed wait.

A kinetic, CSS-only composition (kinetic-css at a quarter of its size, timings squeezed into
24 frames): elements that turn and scale, a pulsing word whose box grows over a rounded
capsule's edge, a stepped ring and an orbit with a negative delay. Chromium could make a
frame depend on the frames a capture view drew before it in two ways: the raster scale it
holds for a layer whose transform animates, and tiles patched around a changed box. Either
way two renders disagreed, and a still differed from its render's frame.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_md5s, write_project

from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

KINETIC_CSS = """<!doctype html><html><head><style>
* { margin: 0; padding: 0; box-sizing: border-box; }
html, body { width: 320px; height: 180px; overflow: hidden; background: #f3ede2; }
#stage { position: relative; width: 320px; height: 180px; overflow: hidden;
  font-family: "DejaVu Sans", sans-serif; background-color: #f3ede2;
  background-image: radial-gradient(circle, rgba(60,40,20,.16) 1px, rgba(0,0,0,0) 1.5px);
  background-size: 8px 8px; }
@keyframes turn { 0% { transform: rotate(0deg) scale(1); border-radius: 2px; }
  50% { transform: rotate(135deg) scale(0.55); border-radius: 10px; }
  100% { transform: rotate(270deg) scale(1); border-radius: 2px; } }
#square { position: absolute; left: 37px; top: 35px; width: 43px; height: 43px;
  background: #e4572e; animation: turn 0.8s cubic-bezier(0.65, 0, 0.35, 1) 0s 1 both; }
@keyframes swell { from { transform: scale(0.8); } to { transform: scale(1.3); } }
#tri { position: absolute; left: 120px; top: 37px; width: 45px; height: 40px;
  background: #17a398; clip-path: polygon(50% 0%, 100% 100%, 0% 100%);
  transform-origin: 50% 66%; animation: swell 0.25s ease-in-out 0.1s infinite alternate both; }
@keyframes tick { to { transform: rotate(360deg); } }
#ring { position: absolute; left: 205px; top: 32px; width: 50px; height: 50px;
  border-radius: 50%; border: 4px dashed #2f3061; animation: tick 0.5s steps(12, end) infinite; }
@keyframes orbit { from { transform: rotate(0deg) translateX(30px) rotate(0deg); }
  to { transform: rotate(-360deg) translateX(30px) rotate(360deg); } }
#dot { position: absolute; left: 225px; top: 53px; width: 9px; height: 9px; border-radius: 50%;
  background: #ffc145; animation: orbit 0.6s linear -0.2s infinite; }
#capsule { position: absolute; left: 160px; top: 107px; width: 115px; height: 16px;
  border-radius: 8px; background: linear-gradient(90deg, #2f3061 0%, #6b5ca5 100%); }
@keyframes beat { 0% { transform: scale(1); color: #2f3061; letter-spacing: 1px; }
  100% { transform: scale(1.14); color: #e4572e; letter-spacing: 3px; } }
#word { position: absolute; left: 37px; top: 102px; width: 125px; height: 28px;
  font-size: 23px; font-weight: 700; line-height: 28px; color: #2f3061;
  transform-origin: 0% 50%; animation: beat 0.15s ease-in-out 0.1s 4 alternate both; }
</style></head><body>
<div id="stage" data-composition-id="kinetic" data-width="320" data-height="180"
     data-duration="0.8" data-fps="30" data-no-timeline>
<div id="square"></div><div id="tri"></div><div id="ring"></div><div id="dot"></div>
<div id="capsule"></div><div id="word">TEMPO</div></div></body></html>"""

FRAMES = 24
STILLS = (5, 11, 19)


@pytest.fixture(scope="module")
def kinetic_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("kinetic") / "p", KINETIC_CSS)


def _frames(folder: Path) -> dict[str, str]:
    return {png.name: frame_md5s(png)[0] for png in sorted(folder.iterdir())}


def test_kinetic_css_renders_twice_identically_and_stills_equal_its_frames(
    kinetic_project: Path, tmp_path: Path
) -> None:
    renders = [
        RenderJob(
            RenderOptions(project=kinetic_project, output=tmp_path / name, format="png-sequence")
        ).run()
        for name in ("first", "second")
    ]
    first, second = (_frames(r.output) for r in renders)
    assert len(first) == FRAMES and len(set(first.values())) > FRAMES - 4, "it is animated"
    differing = sorted(name for name in first if first[name] != second.get(name))
    assert not differing, f"two renders of the same composition differ at {differing}"
    for frame in STILLS:
        still = render_still(
            StillOptions(kinetic_project, frame=frame, output=tmp_path / f"{frame}.png")
        )
        assert frame_md5s(still.output)[0] == first[f"frame_{frame:06d}.png"], (
            f"the still of frame {frame} differs from the render's frame {frame}"
        )
