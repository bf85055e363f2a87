"""The shared sample projects (../shared/samples), rendered as users would render them."""

from __future__ import annotations

import pytest
from support import (
    SAMPLES,
    Frame,
    assert_colour,
    colour_distance,
    copy_sample,
    frame_rgb,
    near,
    pixel,
    span,
    video_info,
)
from support.rendering import ApiRender, render_api

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"shared samples not found at {SAMPLES}"),
]

# compositions/card.html: .panel is left 410, top 230, 1100x660, background #fbf8f3. Row 350
# lies between the panel title (ends at y=330) and the chart (starts at y=370): flat panel.
PANEL = (0xFB, 0xF8, 0xF3)
PANEL_ROW = 350
PANEL_LEFT, PANEL_RIGHT = 410, 1509
# #card-stamp (a clip inside the card, card time 1.5-2.5 s = host 2.5-3.5 s), #ff7a59: a point
# in its rounded left end, clear of its text.
STAMP = (0xFF, 0x7A, 0x59)
STAMP_POINT = (1260, 240)


@pytest.fixture(scope="module")
def nested(tmp_path_factory: pytest.TempPathFactory) -> ApiRender:
    project = copy_sample("nested", tmp_path_factory.mktemp("nested") / "nested")
    return render_api(project, tmp_path_factory.mktemp("nested-out") / "nested.mp4")


@pytest.fixture(scope="module")
def nested_frames(nested: ApiRender) -> dict[float, Frame]:
    return {t: frame_rgb(nested.output, round(t * 30)) for t in (0.5, 2.0, 3.0, 4.5)}


def test_nested_sample_probe(nested: ApiRender) -> None:
    info = video_info(nested.output)
    assert (info.codec, info.pix_fmt) == ("h264", "yuv420p")
    assert (info.width, info.height, info.frames, info.rate) == (1920, 1080, 150, 30)
    assert info.duration == pytest.approx(5.0, abs=0.01)


def test_card_sub_composition_shows_only_inside_its_host_window(
    nested_frames: dict[float, Frame],
) -> None:
    # host data-start="1" data-duration="3": on screen for 1 s <= t < 4 s
    during = nested_frames[2.0]
    assert_colour(during, 960, PANEL_ROW, PANEL, what="card panel at 2.0 s")
    found = span(during, PANEL_ROW, PANEL, tol=12)
    assert found is not None
    assert found[0] == pytest.approx(PANEL_LEFT, abs=3)
    assert found[1] == pytest.approx(PANEL_RIGHT, abs=3)
    for t in (0.5, 4.5):
        frame = nested_frames[t]
        for x in (500, 960, 1400):
            got = pixel(frame, x, PANEL_ROW)
            assert colour_distance(got, PANEL) > 60, f"card panel visible at {t} s: {got}"


def test_clip_inside_the_sub_composition_uses_card_time(
    nested_frames: dict[float, Frame],
) -> None:
    # the stamp is a clip at card 1.5 s = host 2.5 s: hidden at 2.0 s, shown at 3.0 s
    assert not near(pixel(nested_frames[2.0], *STAMP_POINT), STAMP, 30)
    assert_colour(nested_frames[3.0], *STAMP_POINT, STAMP, what="card stamp at 3.0 s")


def test_kinetic_css_sample_renders_90_animated_frames(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    project = copy_sample("kinetic-css", tmp_path_factory.mktemp("kinetic") / "kinetic-css")
    rendered = render_api(project, project.parent / "kinetic.mp4", quality="draft")
    info = video_info(rendered.output)
    assert (info.codec, info.pix_fmt) == ("h264", "yuv420p")
    assert (info.width, info.height, info.frames, info.rate) == (1280, 720, 90, 30)
    assert info.duration == pytest.approx(3.0, abs=0.01)
    first, middle, last = (frame_rgb(rendered.output, i) for i in (0, 45, 89))
    assert first.data != middle.data != last.data  # the CSS animations are seeked
