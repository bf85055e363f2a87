from hyperframes_desktop.studio_model.guides import Rect, snap_move

STAGE = (320.0, 180.0)


def test_snaps_the_centre_to_the_stage_centre() -> None:
    card = Rect(20, 20, 100, 60)  # centre x 70
    snap = snap_move(card, 87, 0, [], STAGE, threshold=6)  # centre at 157: 3 px off 160
    assert snap.dx == 90 and snap.dy == 0
    assert [(g.axis, g.at, g.what) for g in snap.guides] == [("x", 160.0, "stage centre")]


def test_snaps_to_another_elements_edge_and_shift_turns_it_off() -> None:
    card, other = Rect(0, 0, 50, 50), Rect(200, 100, 40, 40)
    snap = snap_move(card, 148, 48, [other], STAGE, threshold=5)  # right edge 198 -> 200
    assert (snap.dx, snap.dy) == (150, 50)
    assert {(g.axis, g.at) for g in snap.guides} >= {("x", 200.0), ("y", 100.0)}
    off = snap_move(card, 148, 48, [other], STAGE, threshold=5, enabled=False)
    assert (off.dx, off.dy, off.guides) == (148, 48, ())


def test_nothing_near_moves_freely() -> None:
    snap = snap_move(Rect(30, 30, 10, 10), 40, 15, [], STAGE, threshold=2)
    assert (snap.dx, snap.dy, snap.guides) == (40, 15, ())


def test_a_line_shared_by_the_stage_and_an_element_is_named_for_the_stage() -> None:
    # an element as large as the stage (the composition's root, say) has its centre on the
    # stage centre: the guide says "stage centre", whichever target is listed last
    root = Rect(0, 0, 320, 180)
    snap = snap_move(Rect(20, 20, 100, 60), 88, 38, [root], (320, 180), 4)
    assert ("y", 90.0, "stage centre") in {(g.axis, g.at, g.what) for g in snap.guides}


def test_a_sub_pixel_difference_does_not_beat_the_stage_centre() -> None:
    # the page reports a 60 px box as 60.0000038 px tall: its bottom is then a hair nearer
    # another element's centre than its middle is to the stage centre; the stage still wins
    card = Rect(20, 20, 100, 60.000003814697266)
    chip = Rect(200, 100, 40, 40)
    snap = snap_move(card, 88, 38, [chip], (320, 180), 4)
    assert ("y", 90.0, "stage centre") in {(g.axis, g.at, g.what) for g in snap.guides}
