"""A ``<video>`` clip on the farm: its extracted frames travel in the bundle and the farm
render shows the same pixels as a local one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support.media import frame_rgb, pixel, video_info
from support.projects import write_project

from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.farm import FarmBackend, FarmSettings

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


def test_a_video_clip_renders_on_the_farm_as_it_does_locally(cluster, tmp_path: Path):
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
    local = RenderJob(RenderOptions(project=project, output=tmp_path / "local.mp4")).run()
    farm = FarmBackend(FarmSettings(cluster.address, chunk_frames=10)).render(
        RenderOptions(project=project, output=tmp_path / "farm.mp4")
    )
    assert video_info(farm.output).frames == video_info(local.output).frames == 30
    assert farm.perf.videoCount == 1
    assert pixel(frame_rgb(local.output, 15), 160, 90) != (0x20, 0x20, 0x20)  # the clip shows
    assert mean_psnr(farm.output, local.output) >= 40.0
