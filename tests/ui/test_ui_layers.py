"""The Layers dock and delete on the selection (pytest-qt, real page, real files)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit
from test_ui_canvas import PAGE, _click, _open
from ui_helpers import close_to, rgb_at

BLUE, BLACK = (0, 0, 255), (0, 0, 0)
CHIP = (220 / 320, 120 / 180)  # the chip's centre, as fractions of the stage


def _stage(window, fx: float, fy: float):
    return rgb_at(window.preview.view.grab_stage(), fx, fy)


def test_layers_select_hide_and_lock_without_touching_the_file(
    open_window, tmp_path, qtbot
) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    layers = window.layers
    qtbot.waitUntil(lambda: {"card", "chip"} <= set(layers.items), timeout=5000)
    top = [layers.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) for i in range(2)]
    assert top == ["chip", "card"]  # topmost first
    layers.items["card"].setSelected(True)
    assert window.model.selection == {"card"}
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)

    # hide: gone from the preview, not from the file; kept for the next session
    assert close_to(_stage(window, *CHIP), BLUE)
    layers.items["chip"].setCheckState(1, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: close_to(_stage(window, *CHIP), BLACK), timeout=5000)
    assert page.read_text() == PAGE
    # lock: a click on the card on the stage no longer selects it
    layers.items["card"].setCheckState(2, Qt.CheckState.Checked)
    assert window.model.selection == frozenset()
    _click(editor, 70, 50)
    qtbot.wait(300)
    assert window.model.selection == frozenset()

    again = open_window(page.parent)
    assert again.model.hidden == {"chip"} and again.model.locked == {"card"}
    again.layers.items["chip"].setCheckState(1, Qt.CheckState.Unchecked)
    again.layers.items["card"].setCheckState(2, Qt.CheckState.Unchecked)
    assert again.model.hidden == frozenset() and again.model.locked == frozenset()


def test_delete_removes_the_selection_and_undo_brings_it_back(open_window, tmp_path, qtbot) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    original = page.read_bytes()
    _click(editor, 70, 50)
    qtbot.waitUntil(lambda: window.model.selection == {"card"}, timeout=5000)
    _click(editor, 220, 120, shift=True)
    qtbot.waitUntil(lambda: window.model.selection == {"card", "chip"}, timeout=5000)
    editor.view.catcher.setFocus()
    QTest.keyClick(editor.view.catcher, Qt.Key.Key_Delete)
    text = page.read_text()
    assert 'id="card"' not in text and 'id="chip"' not in text
    assert "Tom &amp; Jerry" in text  # the comment beside them stays
    window.timeline.actions.undo.trigger()
    assert page.read_bytes() == original


def test_the_model_knows_the_problems_and_the_render_jobs(open_window, tmp_path, qtbot) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(
        PAGE.replace("</div>\n</body>", '<img id="pic" src="missing.png">\n</div>\n</body>')
    )
    window = open_window(project)
    qtbot.waitUntil(lambda: bool(window.model.problems), timeout=10_000)
    assert window.model.problems == window.problems.problems()
    assert any("missing.png" in str(p) for p in window.model.problems)
    assert window.model.jobs == list(window.queue.jobs.values())


def test_copy_and_paste_two_clips_gives_two_new_unique_ids(open_window, tmp_path, qtbot) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    original = page.read_bytes()
    _click(editor, 70, 50)
    qtbot.waitUntil(lambda: window.model.selection == {"card"}, timeout=5000)
    _click(editor, 220, 120, shift=True)
    qtbot.waitUntil(lambda: window.model.selection == {"card", "chip"}, timeout=5000)
    catcher = editor.view.catcher
    catcher.setFocus()
    QTest.keyClick(catcher, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert window.model.status.startswith("Copied 2 elements")
    assert page.read_bytes() == original  # copying writes nothing
    QTest.keyClick(catcher, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    text = page.read_text()
    assert text.count("<div ") == PAGE.count("<div ") + 2
    assert 'id="card-2"' in text and 'id="chip-2"' in text
    assert text.count('id="card"') == text.count('id="chip"') == 1
    assert window.model.selection == {"card-2", "chip-2"}  # the copies are selected
    assert "Tom &amp; Jerry" in text
    window.timeline.actions.undo.trigger()
    assert page.read_bytes() == original


def test_ctrl_v_in_a_field_pastes_text_never_elements(open_window, tmp_path, qtbot) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    original = page.read_bytes()
    _click(editor, 70, 50)
    qtbot.waitUntil(lambda: window.model.selection == {"card"}, timeout=5000)
    editor.view.catcher.setFocus()
    QTest.keyClick(editor.view.catcher, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    field = QLineEdit(window)
    field.show()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus, timeout=2000)
    QTest.keyClick(field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert field.text().startswith('<div id="card"')  # the plain-text markup
    assert page.read_bytes() == original


def test_cut_is_copy_and_delete_in_one_undo_step(open_window, tmp_path, qtbot) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    original = page.read_bytes()
    _click(editor, 70, 50)
    qtbot.waitUntil(lambda: window.model.selection == {"card"}, timeout=5000)
    editor.view.catcher.setFocus()
    QTest.keyClick(editor.view.catcher, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert 'id="card"' not in page.read_text()
    QTest.keyClick(editor.view.catcher, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert 'id="card"' in page.read_text()  # the id is free again: kept
    window.timeline.actions.undo.trigger()
    assert 'id="card"' not in page.read_text()
    window.timeline.actions.undo.trigger()
    assert page.read_bytes() == original
