"""Rendering the same project twice gives identical decoded frames."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_md5s, video_info
from support.rendering import ApiRender, render_api

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
