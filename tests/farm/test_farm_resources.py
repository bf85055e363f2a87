"""The farm ships a composition's remote libraries with its bundle: workers (which never
fetch anything themselves) render a CDN-GSAP page, frame for frame as the local render."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_md5s, write_project

from .conftest import LocalAndFarm

pytestmark = pytest.mark.slow

PAGE = """<!doctype html>
<html><head><script src="https://cdn.jsdelivr.net/npm/gsap@3/dist/gsap.min.js"></script>
<style>html, body { margin: 0; width: 96px; height: 54px; background: #000; }</style></head>
<body><div id="root" data-composition-id="t" data-start="0" data-width="96" data-height="54"
 data-duration="1" data-fps="8"><div id="b" style="width:10px;height:10px;background:#fff"></div>
</div>
<script>
var tl = gsap.timeline({paused: true}); tl.to("#b", {x: 80, duration: 1, ease: "none"}, 0);
window.__timelines = {t: tl};
</script></body></html>
"""


def _same_eight_moving_frames(both: LocalAndFarm) -> None:
    """The farm's PNG frames equal the local render's, byte for pixel, and every frame moved."""
    local_frames = [frame_md5s(f)[0] for f in sorted(both.local.iterdir())]
    farm_frames = [frame_md5s(f)[0] for f in sorted(both.farm.iterdir())]
    assert len(farm_frames) == len(local_frames) == 8
    assert farm_frames == local_frames
    assert len(set(local_frames)) == 8, "the picture moves every frame"


def test_farm_renders_cdn_libraries_from_the_bundle(render_both, npm_env, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", PAGE)
    _same_eight_moving_frames(render_both(4, project=project, format="png-sequence"))


def test_farm_renders_a_remote_video_clip_as_the_local_render(
    render_both, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``<video src="https://…">`` (resolved on the client, shipped in the bundle): the
    farm's frames equal the local render's, and they show the video."""
    import json

    from support.static_server import serve_folder

    from hyperframes_desktop.render import tools
    from hyperframes_desktop.render.resources.settings import CACHE_DIR_ENV, ORIGIN_OVERRIDES_ENV

    host = "https://clips-bucket.s3.amazonaws.com"
    (tmp_path / "site").mkdir()
    clip = tmp_path / "site" / "clip.mp4"
    made = tools.run_tool(
        "ffmpeg",
        ["-v", "error", "-nostdin", "-f", "lavfi", "-i", "testsrc=size=96x54:rate=8:duration=1",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-y", str(clip)],
        60,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    page = (
        "<!doctype html><html><head><style>html, body { margin: 0; width: 96px; height: 54px; "
        'background: #000; }</style></head><body><div id="root" data-composition-id="t" '
        'data-start="0" data-width="96" data-height="54" data-duration="1" data-fps="8" '
        f'data-no-timeline><video id="a-roll-video" class="clip" src="{host}/clip.mp4" '
        'data-start="0" data-duration="1" data-track-index="0" muted playsinline '
        'style="position:absolute;left:0;top:0;width:96px;height:54px"></video></div>'
        "</body></html>"
    )
    project = write_project(tmp_path / "p", page)
    with serve_folder(tmp_path / "site") as origin:
        monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
        monkeypatch.setenv(ORIGIN_OVERRIDES_ENV, json.dumps({host: origin}))
        both = render_both(4, project=project, format="png-sequence")
    _same_eight_moving_frames(both)  # the testsrc video moves every frame
