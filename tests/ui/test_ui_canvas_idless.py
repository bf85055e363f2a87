"""Elements without an id on the stage (pytest-qt, real page, real files): they are selected
by their source key, and moving, inspector edits and text in place write back byte-exact."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from timeline_helpers import drag
from ui_helpers import close_to, rgb_at

# Neither box has an id; the second sits inside a wrapper so its key has depth.
PAGE = """<!doctype html>
<html><head><style>
html, body { margin: 0; width: 320px; height: 180px; overflow: hidden; background: #000; }
.box { position: absolute; }
</style></head><body>
<div id="stage" data-composition-id="main" data-width="320" data-height="180"
     data-duration="2" data-fps="30" data-no-timeline>
  <div class="box" style="left: 20px; top: 20px; width: 100px; height: 60px;
       background: rgb(0, 200, 0); color: rgb(255, 255, 255)">Tom &amp; <b>Jerry</b></div>
  <section><div class="box"
       style="left:200px;top:100px;width:40px;height:40px;background:#00f"></div></section>
</div>
</body></html>
"""
GREEN = "@index.html#html:0/body:0/div:0/div:0"
BLUE = "@index.html#html:0/body:0/div:0/section:0/div:0"


def _open(open_window, tmp_path: Path, qtbot):
    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(PAGE, encoding="utf-8")
    window = open_window(project)
    editor = window.canvas
    qtbot.waitUntil(lambda: {GREEN, BLUE} <= set(editor.files), timeout=10_000)
    editor.refresh()
    qtbot.waitUntil(lambda: {GREEN, BLUE} <= set(editor.rects), timeout=5000)
    return window, editor, project / "index.html"


def _screen(editor, x: float, y: float) -> QPoint:
    web, zoom = editor.view.web, editor.zoom()
    return QPoint(round(web.x() + x * zoom), round(web.y() + y * zoom))


def _click(editor, x: float, y: float, shift: bool = False) -> None:
    mods = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    QTest.mouseClick(editor.view.catcher, Qt.MouseButton.LeftButton, mods, _screen(editor, x, y))


def test_an_idless_element_is_picked_and_a_drag_changes_left_top_by_n_only(
    open_window, tmp_path, qtbot
) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    original = page.read_bytes()
    _click(editor, 30, 70)  # inside the green box, off its text
    qtbot.waitUntil(lambda: window.model.selection == {GREEN}, timeout=5000)
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)
    drag(editor.view.catcher, _screen(editor, 30, 70), _screen(editor, 30 + 13, 70 + 7), shift=True)
    assert page.read_bytes() == original.replace(b"left: 20px; top: 20px", b"left: 33px; top: 27px")
    assert window.timeline.history.undo_label == "Move <div>"
    window.timeline.actions.undo.trigger()
    assert page.read_bytes() == original


def test_shift_click_two_idless_elements_and_nudge_moves_both(open_window, tmp_path, qtbot) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    original = page.read_bytes()
    _click(editor, 30, 70)
    qtbot.waitUntil(lambda: window.model.selection == {GREEN}, timeout=5000)
    _click(editor, 220, 120, shift=True)
    qtbot.waitUntil(lambda: window.model.selection == {GREEN, BLUE}, timeout=5000)
    editor.view.catcher.setFocus()
    QTest.keyClick(editor.view.catcher, Qt.Key.Key_Left)
    text = page.read_text()
    assert "left: 19px; top: 20px" in text and "left:199px;top:100px" in text
    window.timeline.actions.undo.trigger()
    assert page.read_bytes() == original


def test_inspector_colour_and_text_in_place_on_an_idless_element(
    open_window, tmp_path, qtbot
) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    design = window.design
    window.design_dock.show()
    window.model.set_selection({GREEN})
    qtbot.waitUntil(lambda: design.fields["color"].text() == "rgb(255, 255, 255)", timeout=5000)
    assert design.title.text() == "<div>"
    assert design.sources["color"].text() == "inline style"
    field = design.fields["color"]
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, "#ffcc00")
    QTest.keyClick(field, Qt.Key.Key_Return)
    edited = PAGE.replace("color: rgb(255, 255, 255)", "color: #ffcc00")
    assert page.read_text() == edited
    # the key survived the edit: text in place on the same element
    qtbot.waitUntil(lambda: window.preview.is_ready, timeout=10_000)
    editor.refresh()
    qtbot.waitUntil(lambda: GREEN in editor.rects, timeout=5000)
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)
    QTest.mouseDClick(editor.view.catcher, Qt.MouseButton.LeftButton, pos=_screen(editor, 30, 70))
    text_field = editor.text.field
    assert text_field.isVisible() and text_field.text() == "Tom & Jerry"
    text_field.end(False)
    QTest.keyClicks(text_field, "!")
    QTest.keyClick(text_field, Qt.Key.Key_Return)
    assert page.read_text() == edited.replace("<b>Jerry</b>", "<b>Jerry!</b>")
    window.timeline.actions.undo.trigger()
    window.timeline.actions.undo.trigger()
    assert page.read_text() == PAGE


def test_a_drag_at_zoom_2_moves_by_screen_pixels_over_2(open_window, tmp_path, qtbot) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    original = page.read_bytes()
    margin = 8  # the preview's margin around the stage (ui/preview/view.py)
    editor.view.setFixedSize(320 * 2 + 2 * margin, 180 * 2 + 2 * margin)
    qtbot.waitUntil(lambda: editor.zoom() == 2.0, timeout=5000)
    editor.refresh()
    qtbot.wait(200)
    _click(editor, 30, 70)
    qtbot.waitUntil(lambda: window.model.selection == {GREEN}, timeout=5000)
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)
    start = _screen(editor, 30, 70)
    drag(editor.view.catcher, start, start + QPoint(46, -18), shift=True)  # screen pixels
    assert page.read_bytes() == original.replace(b"left: 20px; top: 20px", b"left: 43px; top: 11px")
    window.timeline.actions.undo.trigger()
    assert page.read_bytes() == original


def test_an_idless_clip_is_one_selection_on_the_timeline_and_the_stage(
    open_window, tmp_path, qtbot
) -> None:
    from timeline_helpers import bar_point

    project = tmp_path / "p"
    project.mkdir()
    page = project / "index.html"
    clip_page = PAGE.replace(
        '<div class="box" style="left: 20px',
        '<div class="clip box" data-start="0" data-duration="2" data-track-index="0"\n'
        '       style="left: 20px',
    )
    page.write_text(clip_page, encoding="utf-8")
    window = open_window(project)
    editor, bars = window.canvas, window.timeline.canvas
    qtbot.waitUntil(lambda: bars.bar_by_key("<div>#0") is not None, timeout=10_000)
    qtbot.waitUntil(lambda: GREEN in editor.files, timeout=10_000)
    editor.refresh()
    qtbot.waitUntil(lambda: GREEN in editor.rects, timeout=5000)
    # the timeline's bar -> the stage's box and the inspector
    QTest.mouseClick(bars.viewport(), Qt.MouseButton.LeftButton, pos=bar_point(bars, "<div>#0"))
    assert window.model.selection == {"<div>#0"}
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)
    assert editor.selected() == [GREEN] and window.design.element_id == GREEN
    # the stage's box -> the timeline's bar; a nudge on the stage moves the element
    window.model.set_selection(())
    _click(editor, 30, 70)
    qtbot.waitUntil(lambda: window.model.selection == {GREEN}, timeout=5000)
    assert bars.state.selected == "<div>#0"
    editor.view.catcher.setFocus()
    QTest.keyClick(editor.view.catcher, Qt.Key.Key_Down)
    assert page.read_text() == clip_page.replace("top: 20px", "top: 21px")


def test_while_playing_only_the_selections_boxes_are_asked(open_window, tmp_path, qtbot) -> None:
    """Every element is selectable now, so the page is asked for every box only when the
    stage may need them (paused, or a press); during playback the selection's boxes
    follow the playhead alone."""
    window, editor, _page = _open(open_window, tmp_path, qtbot)
    window.model.set_selection({GREEN})
    controller = window.preview.controller
    controller.toggle_play()
    qtbot.waitUntil(lambda: window.model.playing and editor._partial, timeout=5000)
    asked = editor._asked
    qtbot.waitUntil(lambda: editor._asked > asked, timeout=5000)  # a question while playing
    editor.rects = {}  # from now on only answers to questions asked while playing count
    qtbot.waitUntil(lambda: GREEN in editor.rects, timeout=5000)
    assert BLUE not in editor.rects and editor._partial
    controller.toggle_play()
    assert not window.model.playing
    qtbot.waitUntil(lambda: {GREEN, BLUE} <= set(editor.rects), timeout=5000)
    assert not editor._partial


def test_hide_and_lock_an_idless_element_in_the_studio_only(open_window, tmp_path, qtbot) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    original = page.read_bytes()
    assert editor.rects[GREEN]["shown"]
    window.model.set_layers({GREEN}, {BLUE})
    qtbot.waitUntil(lambda: editor.rects.get(GREEN, {}).get("shown") is False, timeout=5000)
    assert editor.rects[BLUE]["shown"]  # the other one is still drawn, only locked
    assert GREEN not in editor.pickable() and BLUE not in editor.pickable()
    _click(editor, 220, 120)  # the locked element: not selected
    qtbot.wait(300)
    assert window.model.selection == frozenset()
    assert page.read_bytes() == original  # never in the HTML


def test_a_hidden_idless_element_stays_hidden_when_another_program_adds_one_before_it(
    open_window, tmp_path, qtbot
) -> None:
    """The mark follows the blue box to its new place; the red box that now sits at the blue
    box's old place in the file stays visible, in this session and the next."""
    window, _editor, page = _open(open_window, tmp_path, qtbot)
    layers = window.layers
    qtbot.waitUntil(lambda: BLUE in layers.items, timeout=5000)
    layers.items[BLUE].setCheckState(1, Qt.CheckState.Checked)

    def stage(fx: float, fy: float) -> tuple[int, int, int]:
        return rgb_at(window.preview.view.grab_stage(), fx, fy)

    qtbot.waitUntil(lambda: close_to(stage(220 / 320, 120 / 180), (0, 0, 0)), timeout=5000)
    red = (
        '<section><div class="box" style="left:20px;top:130px;width:30px;height:30px;'
        'background:#f00"></div></section>\n  '
    )
    page.write_text(PAGE.replace("<section>", red + "<section>", 1), encoding="utf-8")
    moved = BLUE.replace("section:0", "section:1")
    qtbot.waitUntil(lambda: window.model.hidden == {moved}, timeout=10_000)
    # the new page shows the red box and, once the studio's sheet is applied, no blue one
    qtbot.waitUntil(
        lambda: (
            close_to(stage(35 / 320, 145 / 180), (255, 0, 0))
            and close_to(stage(220 / 320, 120 / 180), (0, 0, 0))
        ),
        timeout=5000,
    )
    assert window.layers.items[moved].checkState(1) == Qt.CheckState.Checked
    again = open_window(page.parent)
    assert again.model.hidden == {moved}
