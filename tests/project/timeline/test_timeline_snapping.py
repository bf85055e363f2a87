"""Snapping lives in the model: candidates from the playhead, clip edges, in/out points and
whole seconds, minus the clips being moved; the nearest within a threshold wins."""

from __future__ import annotations

from pathlib import Path

from hyperframes_desktop.project.timeline import build_timeline, snap_frame, snap_move, snap_points

DATA = Path(__file__).parent / "data" / "edit-project"


def test_candidates_cover_edges_marks_and_seconds() -> None:
    timeline = build_timeline(DATA)  # 24 fps, 8 s
    points = snap_points(timeline, playhead=50, in_point=10, out_point=170)
    assert points == sorted(set(points))
    assert {50, 10, 170} <= set(points)
    assert {6, 78} <= set(points)  # logo's edges
    assert {24 * s for s in range(9)} <= set(points)  # whole seconds, 0 and the end included
    assert {138, 162} <= set(points)  # a nested clip's edges


def test_the_moving_clip_and_its_nested_clips_are_ignored() -> None:
    timeline = build_timeline(DATA)
    points = snap_points(timeline, ignore={"logo", "card-host"}, whole_seconds=False)
    assert 6 not in points and 78 not in points
    assert 138 not in points and 162 not in points  # card-host/stamp-note moves with its host
    assert {0, 48} <= set(points)  # title still snaps


def test_snap_frame_picks_the_nearest_within_threshold() -> None:
    points = [0, 24, 30, 48]
    assert snap_frame(26, points, 3) == 24
    assert snap_frame(28, points, 3) == 30
    assert snap_frame(27, points, 3) == 24  # a tie goes to the earlier candidate
    assert snap_frame(38, points, 3) is None
    assert snap_frame(5, [], 3) is None


def test_snap_move_uses_the_closer_edge() -> None:
    points = [0, 48, 100]
    moved = snap_move(46, 10, points, 4)  # head 2 frames from 48
    assert (moved.start_frame, moved.snapped_to) == (48, 48)
    moved = snap_move(89, 10, points, 4)  # tail at 99, one frame from 100
    assert (moved.start_frame, moved.snapped_to) == (90, 100)
    moved = snap_move(70, 10, points, 4)
    assert (moved.start_frame, moved.snapped_to) == (70, None)
