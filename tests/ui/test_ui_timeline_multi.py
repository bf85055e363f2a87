"""Several clips selected on the timeline (Shift-click) move together (pytest-qt)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from timeline_helpers import bar_point, card_project

from hyperframes_desktop.project.timeline import build_timeline


def test_shift_click_two_clips_and_nudge_moves_both_data_starts(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = card_project(tmp_path / "p")
    index = project / "index.html"
    original = index.read_bytes()
    window = open_window(project)
    timeline = window.timeline
    canvas = timeline.canvas
    qtbot.waitUntil(lambda: canvas.bar_by_key("note") is not None, timeout=10_000)
    canvas.fit()
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=bar_point(canvas, "card"))
    QTest.mouseClick(
        canvas.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ShiftModifier,
        bar_point(canvas, "note"),
    )
    assert window.model.selection == {"card", "note"}
    assert canvas.state.is_selected("card") and canvas.state.is_selected("note")
    before = build_timeline(project)
    starts = {k: before.clip_by_id(k).start_frame for k in ("card", "note")}
    window.activateWindow()
    canvas.setFocus()
    for _ in range(3):
        QTest.keyClick(canvas, Qt.Key.Key_Right)
    after = build_timeline(project)
    assert {k: after.clip_by_id(k).start_frame for k in starts} == {
        k: v + 3 for k, v in starts.items()
    }
    assert window.model.selection == {"card", "note"}  # still both after the rebuilds
    timeline.actions.undo.trigger()  # three nudges of the pair: one step
    assert index.read_bytes() == original


def test_track_hide_solo_and_mute_are_preview_only(open_window, tmp_path: Path, qtbot) -> None:
    from ui_helpers import close_to, rgb_at

    from hyperframes_desktop.ui.timeline.painter import ROW_H, RULER_H, track_switches

    project = card_project(tmp_path / "p")
    index = project / "index.html"
    original = index.read_bytes()
    window = open_window(project)
    canvas = window.timeline.canvas
    qtbot.waitUntil(lambda: canvas.bar_by_key("note") is not None, timeout=10_000)
    window.preview.seek(20)  # the card (track 0) is on screen at frames 15-29

    def card_colour():
        return rgb_at(window.preview.view.grab_stage(), 70 / 320, 50 / 180)

    qtbot.waitUntil(lambda: close_to(card_colour(), (0, 200, 0)), timeout=10_000)

    def switch(track: int, flag: str) -> None:
        row = next(i for i, r in enumerate(canvas.rows) if r.track == track and not r.scope)
        box = track_switches(RULER_H + row * ROW_H - canvas.verticalScrollBar().value())[flag]
        QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=box.center().toPoint())

    switch(0, "hide")
    assert window.model.track_hidden == {"card"}
    qtbot.waitUntil(lambda: close_to(card_colour(), (0, 0, 0)), timeout=5000)
    switch(0, "hide")
    qtbot.waitUntil(lambda: close_to(card_colour(), (0, 200, 0)), timeout=5000)
    switch(1, "solo")  # only the note's track shows
    assert window.model.track_hidden == {"card"}
    qtbot.waitUntil(lambda: close_to(card_colour(), (0, 0, 0)), timeout=5000)
    assert window.model.track_muted == {"card"}  # Solo silences the other tracks too
    switch(1, "solo")
    assert window.model.track_hidden == frozenset()
    switch(0, "mute")  # mute: left out of the preview's sound mix, still on screen
    assert window.model.track_muted == {"card"} and window.model.track_hidden == frozenset()
    assert window.preview.audio.silenced == {"card"}
    switch(0, "mute")
    assert window.preview.audio.silenced == frozenset()
    assert index.read_bytes() == original  # never written
