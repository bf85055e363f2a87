"""Rendering the same project twice gives identical decoded frames."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_md5s, video_info, write_project
from support.rendering import ApiRender, render_api

from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow


def test_two_renders_decode_to_identical_frames(
    gsap_project: Path, gsap_render: ApiRender, tmp_path: Path
) -> None:
    again = render_api(gsap_project, tmp_path / "again.mp4", workers=1)
    first, second = frame_md5s(gsap_render.output), frame_md5s(again.output)
    assert len(first) == video_info(again.output).frames == 20
    assert len(set(first)) > 10, "the frames should differ from each other (it is animated)"
    assert first == second


def test_no_timeline_composition_is_deterministic_too(mixed_project: Path, tmp_path: Path) -> None:
    a = render_api(mixed_project, tmp_path / "a.mp4", quality="draft")
    b = render_api(mixed_project, tmp_path / "b.mp4", quality="draft")
    first, second = frame_md5s(a.output), frame_md5s(b.output)
    assert len(first) == 20 and len(set(first)) > 10
    assert first == second


#: CSS transform animations that change scale: Chromium holds such a layer's raster scale
#: from frame to frame while it "animates", so without care a frame's pixels depended on
#: the frames drawn before it (a still, a chunk and a whole render disagreed by a few levels).
SCALING_CSS = """<!doctype html><html><head><style>
html, body { margin: 0; width: 640px; height: 360px; overflow: hidden; background: #f3ede2; }
@keyframes turn { 0% { transform: rotate(0deg) scale(1); border-radius: 4px; }
  50% { transform: rotate(135deg) scale(0.55); border-radius: 20px; }
  100% { transform: rotate(270deg) scale(1); border-radius: 4px; } }
@keyframes swell { from { transform: scale(0.8); } to { transform: scale(1.3); } }
#square { position: absolute; left: 75px; top: 70px; width: 85px; height: 85px;
  background: #e4572e; animation: turn 3s cubic-bezier(0.65, 0, 0.35, 1) 0s 1 both; }
#tri { position: absolute; left: 240px; top: 75px; width: 90px; height: 80px;
  background: #17a398; clip-path: polygon(50% 0%, 100% 100%, 0% 100%);
  transform-origin: 50% 66%; animation: swell 0.75s ease-in-out 0.3s infinite alternate both; }
</style></head><body>
<div id="root" data-composition-id="scaling" data-width="640" data-height="360"
     data-duration="1.5" data-fps="30" data-no-timeline>
<div id="square"></div><div id="tri"></div></div></body></html>"""


def test_scaling_css_animation_frames_do_not_depend_on_history(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", SCALING_CSS)
    whole = RenderJob(
        RenderOptions(project=project, output=tmp_path / "all", format="png-sequence")
    ).run()
    chunk = RenderJob(
        RenderOptions(
            project=project, output=tmp_path / "chunk", format="png-sequence", frames=(30, 34)
        )
    ).run()
    frames = {p.name: frame_md5s(p)[0] for p in sorted(whole.output.iterdir())}
    assert len(frames) == 45 and len(set(frames.values())) > 30
    for png in sorted(chunk.output.iterdir()):
        assert frame_md5s(png)[0] == frames[png.name], f"chunk {png.name} differs"
    for frame in (20, 40):
        still = render_still(StillOptions(project, frame=frame, output=tmp_path / f"{frame}.png"))
        assert frame_md5s(still.output)[0] == frames[f"frame_{frame:06d}.png"], frame
