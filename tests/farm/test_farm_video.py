"""A ``<video>`` clip on the farm: its extracted frames travel in the bundle and the farm
render shows the same pixels as a local one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.media import frame_rgb, pixel, video_info
from support.projects import write_project

from .test_farm_formats import mean_psnr

pytestmark = pytest.mark.slow

HTML = """<!doctype html>
<html><head><meta charset="utf-8"><style>
* { margin: 0; padding: 0; }
html, body, #root { width: 320px; height: 180px; overflow: hidden; background: #202020; }
#root { position: relative; }
#v { position: absolute; left: 40px; top: 20px; width: 240px; height: 135px; }
</style></head><body>
<div id="root" data-composition-id="main" data-width="320" data-height="180" data-duration="2"
     data-fps="15" data-no-timeline>
  <video id="v" class="clip" src="media/clip.mp4" data-start="0.5" data-duration="1.2"
         data-media-start="0.5" data-track-index="0" muted></video>
</div></body></html>
"""


def test_a_video_clip_renders_on_the_farm_as_it_does_locally(render_both, tmp_path: Path):
    project = write_project(tmp_path / "p", HTML)
    (project / "media").mkdir()
    subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc2=size=160x90:rate=30",
            "-t",
            "3",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-y",
            str(project / "media" / "clip.mp4"),
        ],
        check=True,
    )
    both = render_both(10, ".mp4", project=project)
    assert video_info(both.farm).frames == video_info(both.local).frames == 30
    assert both.farm_result.perf.videoCount == 1
    assert pixel(frame_rgb(both.local, 15), 160, 90) != (0x20, 0x20, 0x20)  # the clip shows
    assert mean_psnr(both.farm, both.local) >= 40.0
