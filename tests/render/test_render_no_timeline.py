"""A composition without GSAP (data-no-timeline): CSS @keyframes, WAAPI and clip windows,
rendered once through the engine API and checked by what the decoded frames show."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pytest
from support import Frame, assert_colour, frame_rgb, partial_files, pixel, span, video_info
from support.compositions import (
    BACKGROUND,
    CLIP_A_COLOUR,
    CLIP_A_POINT,
    CLIP_B_COLOUR,
    CLIP_B_POINT,
    CSS_BOX,
    WAAPI_BOX,
    WAAPI_COLOUR,
    css_colour_at,
)
from support.rendering import ApiRender, render_api

from hyperframes_desktop.render import Progress

pytestmark = pytest.mark.slow

FPS = 10
FRAMES = 20  # 2 s x 10 fps
SENTINEL = b"an older render that must be replaced only when the new one succeeds"


@dataclass
class Observed:
    """What a viewer of the output folder saw while capture was running."""

    final_content_during_capture: list[bytes] = field(default_factory=list)
    partials_during_capture: list[list[str]] = field(default_factory=list)


@dataclass
class MixedRender:
    render: ApiRender
    output: Path
    observed: Observed
    frames: dict[int, Frame]


@pytest.fixture(scope="module")
def mixed(mixed_project: Path, tmp_path_factory: pytest.TempPathFactory) -> MixedRender:
    out_dir = tmp_path_factory.mktemp("mixed-out")
    output = out_dir / "mixed.mp4"
    output.write_bytes(SENTINEL)  # an existing file with the same name
    observed = Observed()

    def watch(p: Progress) -> None:
        if p.stage == "capture" and p.frames_done > 0 and not observed.partials_during_capture:
            observed.final_content_during_capture.append(output.read_bytes())
            observed.partials_during_capture.append([f.name for f in partial_files(out_dir)])

    rendered = render_api(mixed_project, output, on_progress=watch)
    wanted = (0, 4, 5, 9, 10, 14, 15, 17, 18, 19)
    return MixedRender(rendered, output, observed, {i: frame_rgb(output, i) for i in wanted})


def test_output_is_h264_yuv420p_with_exact_frames_duration_and_size(mixed: MixedRender) -> None:
    assert mixed.render.output == mixed.output
    info = video_info(mixed.output)
    assert info.streams == 1
    assert (info.codec, info.pix_fmt) == ("h264", "yuv420p")
    assert (info.width, info.height) == (640, 360)
    assert info.frames == FRAMES
    assert info.rate == Fraction(FPS)
    assert info.duration == pytest.approx(2.0, abs=0.01)


def test_existing_output_is_replaced_only_at_the_end(mixed: MixedRender) -> None:
    # while frames were being captured the old file was untouched and a hidden temp file was
    # being written beside it
    assert mixed.observed.final_content_during_capture == [SENTINEL]
    (during,) = mixed.observed.partials_during_capture
    assert all(name.startswith(".") and "partial" in name for name in during), during
    # afterwards: the new video under the final name, no temp file left
    assert mixed.output.read_bytes()[4:8] == b"ftyp"
    assert partial_files(mixed.output.parent) == []
    assert sorted(p.name for p in mixed.output.parent.iterdir()) == ["mixed.mp4"]


@pytest.mark.parametrize("index", [0, 10, 19])
def test_css_keyframes_box_position_and_colour(mixed: MixedRender, index: int) -> None:
    frame = mixed.frames[index]
    t = index / FPS
    colour = css_colour_at(t)
    x, y = CSS_BOX.centre_at(t)
    assert_colour(frame, x, y, colour, what=f"CSS box at t={t}")
    found = span(frame, CSS_BOX.row, colour)
    assert found is not None, f"CSS box not found on row {CSS_BOX.row} at t={t}"
    left, right = found
    # one frame off would be 20 px off
    assert left == pytest.approx(CSS_BOX.left_at(t), abs=3)
    assert right - left + 1 == pytest.approx(CSS_BOX.size, abs=3)
    # where the box was at t=0 is background again once it has moved on
    if index > 0:
        assert_colour(frame, *CSS_BOX.centre_at(0), BACKGROUND, what="vacated start")


@pytest.mark.parametrize("index", [0, 10, 19])
def test_waapi_animation_is_seeked(mixed: MixedRender, index: int) -> None:
    frame = mixed.frames[index]
    t = index / FPS
    assert_colour(frame, *WAAPI_BOX.centre_at(t), WAAPI_COLOUR, what=f"WAAPI box at t={t}")
    found = span(frame, WAAPI_BOX.row, WAAPI_COLOUR)
    assert found is not None
    assert found[0] == pytest.approx(WAAPI_BOX.left_at(t), abs=3)


@pytest.mark.parametrize(
    ("index", "visible"),
    [(0, False), (4, False), (5, True), (9, True), (10, False), (19, False)],
)
def test_clip_is_visible_only_inside_its_window(
    mixed: MixedRender, index: int, visible: bool
) -> None:
    # clip-a: data-start="0.5" data-duration="0.5" -> frames 5..9 at 10 fps
    expected = CLIP_A_COLOUR if visible else BACKGROUND
    assert_colour(mixed.frames[index], *CLIP_A_POINT, expected, what=f"clip-a at frame {index}")


@pytest.mark.parametrize(
    ("index", "visible"),
    [(10, False), (14, False), (15, True), (17, True), (18, False), (19, False)],
)
def test_relative_start_clip_follows_the_end_of_its_reference(
    mixed: MixedRender, index: int, visible: bool
) -> None:
    # clip-b: data-start="clip-a + 0.5" = 1.0 + 0.5 = 1.5 s, duration 0.3 -> frames 15..17
    expected = CLIP_B_COLOUR if visible else BACKGROUND
    assert_colour(mixed.frames[index], *CLIP_B_POINT, expected, what=f"clip-b at frame {index}")


def test_progress_reports_stages_in_order_and_every_frame(mixed: MixedRender) -> None:
    progress = mixed.render.progress
    order = ["compile", "capture", "encode", "assemble"]
    stages = [p.stage for p in progress]
    firsts = [stages.index(s) for s in order]
    assert firsts == sorted(firsts), f"stages out of order: {stages}"
    capture = [p for p in progress if p.stage == "capture"]
    done = [p.frames_done for p in capture]
    assert done == sorted(done) and done[-1] == FRAMES
    assert all(p.frames_total == FRAMES for p in capture)
    assert progress[-1].status == "complete"
    assert all(p.elapsed_s >= 0 for p in progress)


def test_perf_summary_describes_the_render(mixed: MixedRender) -> None:
    perf = mixed.render.result.perf
    assert perf.totalFrames == FRAMES
    assert perf.compositionDurationSeconds == pytest.approx(2.0)
    assert perf.resolution == {"width": 640, "height": 360}
    assert perf.fps == pytest.approx(FPS)
    assert perf.quality == "standard"
    for key in ("compileMs", "captureMs", "encodeMs", "assembleMs"):
        assert key in perf.stages and perf.stages[key] >= 0
    assert perf.stages["captureMs"] > 0
    assert 0 < perf.captureP50Ms <= perf.capturePeakMs
    assert 0 < perf.captureAvgMs <= perf.capturePeakMs
    assert perf.peakRssMb > 0
    assert perf.tmpPeakBytes > 0
    assert perf.outputBytes == mixed.output.stat().st_size
    assert perf.totalElapsedMs > 0
    assert perf.speed_ratio == pytest.approx(2000.0 / perf.totalElapsedMs)


def test_background_is_flat_where_nothing_is_drawn(mixed: MixedRender) -> None:
    # guards the other checks: a frame that is all one colour would make "hidden" trivial
    frame = mixed.frames[5]
    assert pixel(frame, 600, 340) != pixel(frame, *CLIP_A_POINT)
    assert_colour(frame, 600, 340, BACKGROUND, what="empty corner")
