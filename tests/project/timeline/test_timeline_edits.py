"""Each edit operation maps to a minimal set of attribute changes, checked against golden
diffs (tests/project/timeline/golden/*.diff; UPDATE_GOLDEN=1 rewrites them after review).
The diffs show every changed line and nothing else: relative starts keep their reference,
nested clips are edited in their own file, a split gives unique ids."""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from hyperframes_desktop.project.timeline import (
    Edit,
    EditRefused,
    Timeline,
    build_timeline,
    delete_clip,
    move_clip,
    nudge_clip,
    set_clip_properties,
    split_clip,
    trim_end,
    trim_start,
)
from hyperframes_desktop.project.timeline.changes import apply_changes

DATA = Path(__file__).parent / "data" / "edit-project"
GOLDEN = Path(__file__).parent / "golden"

Operation = Callable[[Timeline], Edit]

CASES: dict[str, Operation] = {
    "move_absolute": lambda t: move_clip(t, "logo", 12),
    "move_with_relative_dependents": lambda t: move_clip(t, "title", 6),
    "move_relative_keeps_reference": lambda t: move_clip(t, "subtitle", 72),
    "move_relative_negative_offset": lambda t: move_clip(t, "subtitle", 36, track=5),
    "move_to_frame_not_on_a_decimal": lambda t: move_clip(t, "logo", 25),
    "move_across_tracks": lambda t: move_clip(t, "logo", 6, track=6),
    "move_unquoted_attributes": lambda t: move_clip(t, "<div>#0", 168, track=7),
    "move_nested_clip": lambda t: move_clip(t, "card-host/stamp", 114),
    "move_host": lambda t: move_clip(t, "card-host", 120),
    "nudge_video": lambda t: nudge_clip(t, "reel", 1),
    "trim_head_video": lambda t: trim_start(t, "reel", 108),
    "trim_head_relative": lambda t: trim_start(t, "subtitle", 72),
    "trim_head_host": lambda t: trim_start(t, "card-host", 120),
    "trim_tail_audio": lambda t: trim_end(t, "music", 120),
    "trim_tail_nested": lambda t: trim_end(t, "card-host/stamp-note", 150),
    "split_video": lambda t: split_clip(t, "reel", 120),
    "split_audio": lambda t: split_clip(t, "music", 36),
    "split_relative_with_inner_ids": lambda t: split_clip(t, "subtitle", 72),
    "split_nested_clip": lambda t: split_clip(t, "card-host/stamp", 120),
    "split_host": lambda t: split_clip(t, "card-host", 132),
    "split_anonymous": lambda t: split_clip(t, "<div>#0", 132),
    "split_off_decimal": lambda t: split_clip(t, "title", 25),
    "delete_element": lambda t: delete_clip(t, "logo"),
    "delete_nested_clip": lambda t: delete_clip(t, "card-host/stamp-note"),
    "inspector_media": lambda t: set_clip_properties(
        t, "reel", element_id="intro-reel", media_start=2.0, volume=0.5
    ),
    "inspector_rename_referenced": lambda t: set_clip_properties(t, "title", element_id="heading"),
    "inspector_timing": lambda t: set_clip_properties(
        t, "music", start_frame=24, duration_frames=48, track=8
    ),
}


def _diff(timeline: Timeline, edit: Edit) -> str:
    after = apply_changes(timeline.sources, edit.changes)
    out: list[str] = []
    for path in sorted(after):
        name = path.relative_to(timeline.project_root).as_posix()
        before_lines = timeline.sources[path].decode().splitlines(keepends=True)
        after_lines = after[path].decode().splitlines(keepends=True)
        out += difflib.unified_diff(before_lines, after_lines, f"a/{name}", f"b/{name}", n=0)
    return "".join(out)


@pytest.fixture
def timeline(tmp_path: Path) -> Timeline:
    project = tmp_path / "project"
    shutil.copytree(DATA, project)
    return build_timeline(project)


@pytest.mark.parametrize("name", sorted(CASES))
def test_edit_matches_golden_diff(name: str, timeline: Timeline) -> None:
    edit = CASES[name](timeline)
    diff = _diff(timeline, edit)
    golden = GOLDEN / f"{name}.diff"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(diff, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden.name}; run with UPDATE_GOLDEN=1 and review"
    assert diff == golden.read_text(encoding="utf-8")
    assert edit.result is not None


def _clip(edit: Edit, key: str):
    assert edit.result is not None
    clip = edit.result.clip(key)
    assert clip is not None, key
    return clip


def test_move_lands_on_the_frame_and_dependents_follow(timeline: Timeline) -> None:
    edit = move_clip(timeline, "title", 6)
    assert _clip(edit, "title").start_frame == 6
    assert _clip(edit, "subtitle").start_frame == 60 + 6
    assert _clip(edit, "subtitle").raw_start == "title + 0.5"


def test_relative_start_stays_relative(timeline: Timeline) -> None:
    edit = move_clip(timeline, "subtitle", 36, track=5)
    subtitle = _clip(edit, "subtitle")
    assert subtitle.start_frame == 36 and subtitle.track == 5
    assert subtitle.start_ref is not None and subtitle.start_ref.ref == "title"
    assert subtitle.raw_start == "title - 0.5"


def test_off_decimal_frames_resolve_to_the_intended_frame(timeline: Timeline) -> None:
    for frame in range(1, 40):
        edit = move_clip(timeline, "logo", frame, track=9)
        assert _clip(edit, "logo").start_frame == frame
        assert _clip(edit, "logo").duration_frames == 72


def test_trim_head_keeps_source_frames_in_place(timeline: Timeline) -> None:
    before = timeline.clip("reel")
    edit = trim_start(timeline, "reel", 108)
    after = _clip(edit, "reel")
    assert after.end_frame == before.end_frame and after.start_frame == 108
    for t in (4.5, 5.0, 5.9):
        assert after.media_time_at(t) == pytest.approx(before.media_time_at(t))
    host_edit = trim_start(timeline, "card-host", 120)
    stamp_note = _clip(host_edit, "card-host/stamp-note")
    assert stamp_note.start == pytest.approx(timeline.clip("card-host/stamp-note").start)


def test_split_gives_unique_ids_and_the_same_windows(timeline: Timeline) -> None:
    edit = split_clip(timeline, "subtitle", 72)
    first, second = _clip(edit, "subtitle"), _clip(edit, "subtitle-2")
    assert (first.start_frame, first.end_frame) == (60, 72)
    assert (second.start_frame, second.end_frame) == (72, 96)
    assert second.start_ref is not None and second.start_ref.ref == "title"
    # the host that started after the subtitle's end still starts there
    assert _clip(edit, "card-host").start_frame == timeline.clip("card-host").start_frame
    ids = [c.id for c in edit.result.all_clips() if c.id]
    assert len(ids) == len(set(ids))
    text = apply_changes(timeline.sources, edit.changes)[timeline.file].decode()
    assert 'id="sub-bold-2"' in text and text.count('id="sub-bold"') == 1
    assert edit.select == "subtitle-2" and not edit.needs_confirmation


def test_split_media_continues_the_source(timeline: Timeline) -> None:
    edit = split_clip(timeline, "reel", 120)
    first, second = _clip(edit, "reel"), _clip(edit, "reel-2")
    assert first.end_frame == second.start_frame == 120
    assert second.media_start == pytest.approx(2.0)
    assert second.media_time_at(5.5) == pytest.approx(timeline.clip("reel").media_time_at(5.5))


def test_split_of_an_element_selected_by_id_needs_confirmation(timeline: Timeline) -> None:
    edit = split_clip(timeline, "logo", 24)
    assert edit.needs_confirmation
    assert '"#logo"' in edit.warnings[0] and "split anyway" in edit.warnings[0]


@pytest.mark.parametrize(
    ("operation", "words"),
    [
        (lambda t: move_clip(t, "logo", 100), "overlap on track 1"),
        (lambda t: move_clip(t, "subtitle", 36), "overlap on track 0"),
        (lambda t: move_clip(t, "card-host/stamp-note", 120), "overlap on track 0"),
        (lambda t: trim_end(t, "logo", 125), "overlap on track 1"),
        (
            lambda t: delete_clip(t, "title"),
            'starts relative to its end (data-start="title + 0.5")',
        ),
        (lambda t: split_clip(t, "title", 48), "playhead inside"),
        (lambda t: split_clip(t, "title", 0), "playhead inside"),
        (lambda t: move_clip(t, "card-host/stamp", 10), "before the start of its composition"),
        (lambda t: trim_start(t, "reel", 60), "source media would have to begin"),
        (lambda t: trim_start(t, "reel", 144), "at least one frame"),
        (lambda t: set_clip_properties(t, "logo", element_id="title"), "already used"),
        (lambda t: set_clip_properties(t, "logo", element_id="a b"), "not a usable id"),
        (lambda t: set_clip_properties(t, "logo", volume=0.5), "Only video and audio"),
        (lambda t: set_clip_properties(t, "music", volume=1.5), "from 0 to 1"),
        (lambda t: move_clip(t, "nope", 1), 'no clip "nope"'),
    ],
)
def test_refusals_say_why_and_change_nothing(timeline: Timeline, operation, words: str) -> None:
    sources = dict(timeline.sources)
    with pytest.raises(EditRefused) as caught:
        operation(timeline)
    assert words in str(caught.value)
    assert "nothing was changed" in str(caught.value) or "reload" in str(caught.value)
    assert {p: p.read_bytes() for p in sources} == sources


def test_no_op_edits_have_no_changes(timeline: Timeline) -> None:
    assert move_clip(timeline, "logo", 6).changes == ()
    assert move_clip(timeline, "logo", 6, track=1).changes == ()
    assert trim_start(timeline, "logo", 6).changes == ()
    assert set_clip_properties(timeline, "reel", volume=1.0).changes == ()


def test_an_overlap_already_in_the_file_does_not_block_other_edits(tmp_path: Path) -> None:
    project = tmp_path / "overlap"
    project.mkdir()
    (project / "index.html").write_text(
        '<div data-composition-id="m" data-width="64" data-height="36" data-duration="6">\n'
        '<p id="a" class="clip" data-start="0" data-duration="2" data-track-index="0"></p>\n'
        '<p id="b" class="clip" data-start="1" data-duration="2" data-track-index="0"></p>\n'
        '<p id="c" class="clip" data-start="4" data-duration="1" data-track-index="0"></p>\n'
        "</div>\n",
        encoding="utf-8",
    )
    timeline = build_timeline(project)
    split = split_clip(timeline, "a", 45)  # a-2 still overlaps b, as a did
    assert _clip(split, "a-2").start_frame == 45
    renamed = set_clip_properties(timeline, "a", element_id="first")
    assert _clip(renamed, "first").start_frame == 0
    with pytest.raises(EditRefused, match=r'"a" .* and "c" .* would overlap on track 0'):
        move_clip(timeline, "a", 100)
