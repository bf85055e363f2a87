"""Nudging several clips is one edit; a clip relative to another of them moves with it."""

from __future__ import annotations

from pathlib import Path

from hyperframes_desktop.project.timeline import apply_edit, build_timeline, nudge_clips

PAGE = (
    "<div id=root data-composition-id=m data-width=64 data-height=36 data-duration=8>\n"
    "  <p class=clip id=a data-start=1 data-duration=1 data-track-index=0>A</p>\n"
    '  <p class=clip id=b data-start="a + 0.5" data-duration=1 data-track-index=0>B</p>\n'
    "  <p class=clip id=c data-start=4 data-duration=1 data-track-index=1>C</p>\n"
    "</div>\n"
)


def test_nudge_several_clips_in_one_edit(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(PAGE)
    timeline = build_timeline(tmp_path)
    edit = nudge_clips(timeline, ["a", "b", "c"], 15, "a")  # half a second at 30 fps
    assert edit.merge_key == "nudge:a|b|c"
    apply_edit(edit, timeline)
    assert page.read_text() == PAGE.replace("data-start=1 ", "data-start=1.5 ").replace(
        "data-start=4 ", "data-start=4.5 "
    )
    after = build_timeline(tmp_path)
    assert after.clip_by_id("b").start_frame == 90  # moved with a (2.5 s + 0.5 s), offset kept
