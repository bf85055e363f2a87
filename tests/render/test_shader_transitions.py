"""HyperFrames' page-side shader transitions (``@hyperframes/shader-transitions``, the real
library from the npm registry) are drawn: each scene captured alone, mixed by the transition's
shader, the same in a render, a still and a range that starts inside the transition."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_rgb
from support.media import near, pixel
from support.shader_library import shader_project

from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.incremental import CACHE_DIR_ENV
from hyperframes_desktop.render.incremental.warm_pool import WarmPool
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

RED, BLUE, WHITE = (220, 30, 30), (30, 60, 220), (255, 255, 255)


def test_iris_mixes_the_two_scenes_with_the_pages_accent(gsap_file: Path, tmp_path: Path) -> None:
    accent = 'accentColor: "#00ff00",'
    project = shader_project(tmp_path / "p", gsap_file, "sdf-iris", accent=accent)
    options = RenderOptions(project=project, output=tmp_path / "o", format="png-sequence")
    out = RenderJob(options).run().output

    def frame(n: int):
        return frame_rgb(out / f"frame_{n:06d}.png", 0)

    before, middle, after = frame(3), frame(10), frame(18)
    assert near(pixel(before, 160, 90), RED, 20) and near(pixel(before, 10, 10), WHITE, 20)
    assert near(pixel(after, 160, 90), BLUE, 20)
    # progress 0.5 (linear: the ease is not applied): the iris (radius 0.6 of the height)
    # shows the incoming scene in the middle and the outgoing one in the corners, and the
    # badge outside the scenes is not drawn over the shader's frame
    assert near(pixel(middle, 160, 90), BLUE, 20), pixel(middle, 160, 90)
    assert near(pixel(middle, 310, 170), RED, 20), pixel(middle, 310, 170)
    assert near(pixel(middle, 10, 10), RED, 20), pixel(middle, 10, 10)
    # just inside the rim, the glow adds 0.7 × the accent's bright shade: green, from #00ff00
    r, g, b = pixel(middle, 266, 90)
    assert g > 200 and r < 120, (r, g, b)


def test_a_transition_frame_is_the_same_in_a_render_a_still_and_a_range(
    gsap_file: Path, tmp_path: Path
) -> None:
    stripe = '<div id="stripe"></div>'
    project = shader_project(tmp_path / "p", gsap_file, "whip-pan", red_inside=stripe)
    whole = (
        RenderJob(RenderOptions(project=project, output=tmp_path / "all", format="png-sequence"))
        .run()
        .output
    )
    seven = frame_rgb(whole / "frame_000007.png", 0)
    # whip-pan at progress 0.2: the outgoing scene slides left by 0.3 of the width and is
    # mixed 80/20 with the incoming one; its white stripe (x < 160) now ends near x = 64
    assert pixel(seven, 20, 90)[0] > 200 and pixel(seven, 20, 90)[1] > 200, pixel(seven, 20, 90)
    assert pixel(seven, 200, 90)[1] < 100, pixel(seven, 200, 90)
    still = render_still(StillOptions(project, frame=7, output=tmp_path / "s7.png")).output
    assert frame_rgb(still, 0).data == seven.data
    part = (
        RenderJob(
            RenderOptions(
                project=project, output=tmp_path / "r7", format="png-sequence", frames=(7, 8)
            )
        )
        .run()
        .output
    )
    assert frame_rgb(part / "frame_000007.png", 0).data == seven.data


def test_the_render_cache_never_reuses_a_mixed_frame(
    gsap_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another shader leaves the page's DOM as it was (the script is not part of a frame's
    fingerprint), but not the transition's frames."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "render-cache"))
    project = shader_project(tmp_path / "p", gsap_file, "sdf-iris")

    def render(name: str):
        options = RenderOptions(project=project, output=tmp_path / name, format="mov", cache=True)
        return RenderJob(options).run()

    first = render("first.mov")
    assert near(pixel(frame_rgb(first.output, 10), 160, 90), BLUE, 20)
    page = project / "index.html"
    page.write_text(page.read_text().replace("sdf-iris", "flash-through-white"))
    again = render("again.mov")
    assert again.cache is not None
    assert near(pixel(frame_rgb(again.output, 10), 160, 90), WHITE, 20)
    assert near(pixel(frame_rgb(again.output, 3), 160, 90), RED, 20)


def test_a_warm_process_reads_the_transitions_of_each_page_it_loads(
    gsap_file: Path, tmp_path: Path
) -> None:
    """The studio's warm capture processes load each render's page anew: the transitions
    are that page's, not the first page's."""
    project = shader_project(tmp_path / "p", gsap_file, "sdf-iris")
    pool = WarmPool()
    try:

        def render(name: str):
            options = RenderOptions(
                project=project, output=tmp_path / name, format="mov", cache=False
            )
            return RenderJob(options, warm_pool=pool).run()

        first = render("first.mov")
        assert near(pixel(frame_rgb(first.output, 10), 160, 90), BLUE, 20)
        page = project / "index.html"
        page.write_text(page.read_text().replace("sdf-iris", "flash-through-white"))
        again = render("again.mov")
        assert pool.reused >= 1, "the second render ran in the first one's processes"
        assert near(pixel(frame_rgb(again.output, 10), 160, 90), WHITE, 20)
    finally:
        pool.stop()
