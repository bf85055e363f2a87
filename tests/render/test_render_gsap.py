"""A GSAP composition (GSAP 3.14.2 from the npm registry): a paused timeline seeked frame by
frame, its callbacks, frame-rate overrides and chunked capture with two workers."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from support import (
    Frame,
    all_frames_rgb,
    assert_colour,
    frame_rgb,
    span,
    video_info,
    write_project,
)
from support.compositions import (
    CALLBACK_INITIAL,
    CALLBACK_POINT,
    GSAP_BOX,
    GSAP_BOX_COLOUR,
    callback_colour_at,
    gsap_html,
)
from support.rendering import ApiRender, render_api

pytestmark = pytest.mark.slow


def check_box(frame: Frame, t: float) -> None:
    assert_colour(frame, *GSAP_BOX.centre_at(t), GSAP_BOX_COLOUR, what=f"GSAP box at t={t:.4f}")
    found = span(frame, GSAP_BOX.row, GSAP_BOX_COLOUR)
    assert found is not None, f"GSAP box not found at t={t:.4f}"
    assert found[0] == pytest.approx(GSAP_BOX.left_at(t), abs=3), f"box left edge at t={t:.4f}"
    assert found[1] - found[0] + 1 == pytest.approx(GSAP_BOX.size, abs=3)


def test_output_probe(gsap_render: ApiRender) -> None:
    info = video_info(gsap_render.output)
    assert (info.codec, info.pix_fmt, info.width, info.height) == ("h264", "yuv420p", 640, 360)
    assert info.frames == 20 and info.rate == 10
    assert info.duration == pytest.approx(2.0, abs=0.01)
    assert gsap_render.result.perf.workers == 1


@pytest.mark.parametrize("index", [0, 10, 19])
def test_linear_tween_position_at_first_middle_and_last_frame(
    gsap_render: ApiRender, index: int
) -> None:
    check_box(frame_rgb(gsap_render.output, index), index / 10)


@pytest.mark.parametrize("index", [0, 4, 5, 10, 14, 15, 19])
def test_on_update_callback_fires_on_every_seek(gsap_render: ApiRender, index: int) -> None:
    t = index / 10
    frame = frame_rgb(gsap_render.output, index)
    expected = callback_colour_at(t)
    assert expected != CALLBACK_INITIAL
    assert_colour(frame, *CALLBACK_POINT, expected, what=f"onUpdate colour at t={t}")


def test_fps_override_renders_at_24(gsap_project: Path, tmp_path: Path) -> None:
    rendered = render_api(gsap_project, tmp_path / "o24.mp4", fps=Fraction(24), quality="draft")
    info = video_info(rendered.output)
    assert info.frames == 48  # 2 s x 24 fps, not the composition's 10 fps
    assert info.rate == 24
    assert info.duration == pytest.approx(2.0, abs=0.01)
    assert rendered.result.perf.totalFrames == 48
    frames = all_frames_rgb(rendered.output)
    assert len(frames) == 48
    for index in (0, 12, 24, 47):
        check_box(frames[index], index / 24)
    # 11/24 s = 0.458 s is before the callback's 0.5 s switch, 12/24 s is on it
    assert_colour(frames[11], *CALLBACK_POINT, (255, 0, 0), what="callback at 11/24 s")
    assert_colour(frames[12], *CALLBACK_POINT, (0, 255, 0), what="callback at 12/24 s")


def test_rational_fps_from_the_composition(gsap_file: Path, tmp_path: Path) -> None:
    project = write_project(tmp_path / "ntsc", gsap_html(fps="30000/1001"))
    shutil.copyfile(gsap_file, project / "gsap.min.js")
    rendered = render_api(project, tmp_path / "ntsc.mp4", quality="draft")
    info = video_info(rendered.output)
    # ceil(2 s x 29.97 fps) = ceil(59.94) = 60 frames
    assert info.frames == 60
    assert info.rate == Fraction(30000, 1001)
    assert info.duration == pytest.approx(60 * 1001 / 30000, abs=0.01)
    fps = Fraction(30000, 1001)
    for index in (0, 30, 59):
        check_box(frame_rgb(rendered.output, index), float(index / fps))


def test_two_workers_give_the_same_frames_as_one(
    gsap_project: Path, gsap_render: ApiRender, tmp_path: Path
) -> None:
    two = render_api(gsap_project, tmp_path / "two.mp4", workers=2)
    assert two.result.perf.workers == 2
    one_info, two_info = video_info(gsap_render.output), video_info(two.output)
    assert two_info.frames == one_info.frames == 20
    assert (two_info.codec, two_info.pix_fmt, two_info.rate) == ("h264", "yuv420p", 10)
    assert two_info.duration == pytest.approx(one_info.duration, abs=0.01)
    one_frames, two_frames = all_frames_rgb(gsap_render.output), all_frames_rgb(two.output)
    assert len(one_frames) == len(two_frames) == 20
    for index, (a, b) in enumerate(zip(one_frames, two_frames, strict=True)):
        diff = sum(abs(p - q) for p, q in zip(a.data, b.data, strict=True)) / len(a.data)
        assert diff < 2.0, f"frame {index}: mean difference {diff:.2f} per channel"
    # the chunk boundary (frame 10 starts the second chunk) is in the right place
    for index in (9, 10, 11):
        check_box(two_frames[index], index / 10)
