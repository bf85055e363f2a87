"""Farm = local for shader transitions: a chunk that starts inside a transition (a fresh page,
seeked straight there) mixes the same two scene layers into the same pixels."""

from __future__ import annotations

import pytest
from support.media import frame_rgb, pixel
from support.projects import gsap_js
from support.shader_library import shader_project

from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.farm import FarmBackend, FarmSettings


@pytest.mark.slow
def test_farm_chunks_draw_a_shader_transition_as_a_local_render(cluster, tmp_path):
    stripe = '<div id="stripe"></div>'
    project = shader_project(tmp_path / "p", gsap_js(), "glitch", red_inside=stripe)
    common = {"project": project, "format": "png-sequence"}
    local = RenderJob(RenderOptions(output=tmp_path / "local", **common)).run().output
    farm = FarmBackend(FarmSettings(cluster.address, chunk_frames=4)).render(
        RenderOptions(output=tmp_path / "farm", **common)
    ).output  # fmt: skip
    for n in (4, 7, 8, 12, 15):  # chunk starts inside the transition (frames 5..15) and others
        want = frame_rgb(local / f"frame_{n:06d}.png", 0)
        got = frame_rgb(farm / f"frame_{n:06d}.png", 0)
        assert got.data == want.data, f"frame {n} differs on the farm"
    # half way, the glitch mixes the outgoing red scene 50/50 with the incoming blue one (the
    # page alone would show blue, flipped on at the transition's start)
    r, g, b = pixel(frame_rgb(farm / "frame_000010.png", 0), 250, 90)
    assert r > 90 and b < 180, (r, g, b)
