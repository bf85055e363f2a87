"""File ▸ Restore Earlier Version…: the journal's copies, restored undoably (real files)."""

from __future__ import annotations

from pathlib import Path

from timeline_helpers import card_project

from hyperframes_desktop.project.timeline import move_clip


def test_restore_an_earlier_version_and_undo_it(open_window, tmp_path: Path, qtbot) -> None:
    project = card_project(tmp_path / "p")
    index = project / "index.html"
    original = index.read_bytes()
    window = open_window(project)
    timeline = window.timeline
    qtbot.waitUntil(lambda: timeline.canvas.bar_by_key("card") is not None, timeout=10_000)
    assert timeline.apply(lambda t: move_clip(t, "card", 30))
    moved = index.read_bytes()
    assert moved != original

    window.actions.restore.trigger()
    dialog = timeline.restore.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.list.topLevelItemCount() == 1
    item = dialog.list.topLevelItem(0)
    assert item.text(1) == "index.html" and item.text(3).startswith("Move")
    dialog.restore.click()
    assert index.read_bytes() == original
    # the version restored over is in the journal too: nothing is lost
    assert dialog.list.topLevelItemCount() == 2
    assert timeline.history.undo_label.startswith("Restore index.html")
    timeline.actions.undo.trigger()
    assert index.read_bytes() == moved
    dialog.close()
