"""The farm ships a composition's remote libraries with its bundle: workers (which never
fetch anything themselves) render a CDN-GSAP page, frame for frame as the local render."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_md5s, write_project

from hyperframes_desktop.render import RenderJob, RenderOptions

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


def test_farm_renders_cdn_libraries_from_the_bundle(cluster, npm_env, tmp_path: Path) -> None:
    from hyperframes_desktop.render.farm.backend import FarmBackend
    from hyperframes_desktop.render.farm.settings import FarmSettings

    project = write_project(tmp_path / "p", PAGE)
    common = {"project": project, "format": "png-sequence"}
    local = RenderJob(RenderOptions(output=tmp_path / "local", **common)).run().output
    farm = (
        FarmBackend(FarmSettings(cluster.address, chunk_frames=4))
        .render(RenderOptions(output=tmp_path / "farm", **common))
        .output
    )
    local_frames = [frame_md5s(f)[0] for f in sorted(local.iterdir())]
    farm_frames = [frame_md5s(f)[0] for f in sorted(farm.iterdir())]
    assert len(farm_frames) == len(local_frames) == 8
    assert farm_frames == local_frames
    assert len(set(local_frames)) == 8, "GSAP moved the box every frame"
