"""Selecting and moving elements on the preview's stage (pytest-qt, real page, real files)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from timeline_helpers import drag, release

PAGE = """<!doctype html>
<html><head><style>
html, body { margin: 0; width: 320px; height: 180px; overflow: hidden; background: #000; }
.box { position: absolute; }
</style></head><body>
<div id="stage" data-composition-id="main" data-width="320" data-height="180"
     data-duration="2" data-fps="30" data-no-timeline>
  <!-- Tom &amp; Jerry: a hand-written comment that must survive -->
  <div id="card" class="clip box" data-start="0" data-duration="2" data-track-index="0"
       style="left: 20px; top: 20px; width: 100px; height: 60px; background: rgb(0, 200, 0)"></div>
  <div id="chip" class="clip box" data-start="0" data-duration="2" data-track-index="1"
       style="left:200px;top:100px;width:40px;height:40px;background:#00f"></div>
</div>
</body></html>
"""


def _open(open_window, tmp_path: Path, qtbot):
    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(PAGE, encoding="utf-8")
    window = open_window(project)
    editor = window.canvas
    qtbot.waitUntil(lambda: {"card", "chip"} <= set(editor.files), timeout=10_000)
    window.preview.seek(10)
    qtbot.waitUntil(lambda: window.preview.view.driver.shown_frame == 10, timeout=10_000)
    qtbot.waitUntil(lambda: {"card", "chip"} <= set(editor.rects), timeout=5000)
    return window, editor, project / "index.html"


def _screen(editor, x: float, y: float) -> QPoint:
    """Stage CSS pixels -> the click catcher's pixels."""
    web, zoom = editor.view.web, editor.zoom()
    return QPoint(round(web.x() + x * zoom), round(web.y() + y * zoom))


def _click(editor, x: float, y: float, shift: bool = False) -> None:
    mods = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    QTest.mouseClick(editor.view.catcher, Qt.MouseButton.LeftButton, mods, _screen(editor, x, y))


def _rest(window, editor, qtbot) -> None:
    """After a write: the page reloaded and the rects were asked again."""
    qtbot.waitUntil(lambda: window.preview.is_ready, timeout=10_000)
    qtbot.wait(300)


def test_drag_by_n_px_changes_left_and_top_by_n_and_undo_restores(
    open_window, tmp_path, qtbot
) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    original = page.read_bytes()
    _click(editor, 70, 50)  # the card's centre
    qtbot.waitUntil(lambda: window.model.selection == {"card"}, timeout=5000)
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)
    start, end = _screen(editor, 70, 50), _screen(editor, 70 + 17, 50 + 9)
    drag(editor.view.catcher, start, end, shift=True)  # Shift: no snapping
    text = page.read_text()
    assert text == original.decode().replace("left: 20px; top: 20px", "left: 37px; top: 29px")
    assert window.timeline.history.undo_label.startswith("Move")
    window.timeline.actions.undo.trigger()
    assert page.read_bytes() == original


def test_a_drag_snaps_the_centre_to_the_stage_centre(open_window, tmp_path, qtbot) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    _click(editor, 70, 50)
    qtbot.waitUntil(lambda: window.model.selection == {"card"}, timeout=5000)
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)
    # the centre (70, 50) to (158, 88): 2 px off the stage centre (160, 90) -> snapped
    drag(editor.view.catcher, _screen(editor, 70, 50), _screen(editor, 158, 88), release=False)
    lines = {(g.axis, g.at, g.what) for g in editor._guides}
    assert {("x", 160.0, "stage centre"), ("y", 90.0, "stage centre")} <= lines
    assert len(editor.overlay.guides) == len(lines)  # drawn
    release(editor.view.catcher, _screen(editor, 158, 88))
    assert "left: 110px; top: 60px" in page.read_text()
    window.timeline.actions.undo.trigger()
    assert page.read_text() == PAGE


def test_shift_click_two_elements_and_nudge_moves_both_in_one_step(
    open_window, tmp_path, qtbot
) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    original = page.read_bytes()
    _click(editor, 70, 50)
    qtbot.waitUntil(lambda: window.model.selection == {"card"}, timeout=5000)
    _click(editor, 220, 120, shift=True)
    qtbot.waitUntil(lambda: window.model.selection == {"card", "chip"}, timeout=5000)
    catcher = editor.view.catcher
    catcher.setFocus()
    QTest.keyClick(catcher, Qt.Key.Key_Right)
    _rest(window, editor, qtbot)
    QTest.keyClick(catcher, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    _rest(window, editor, qtbot)
    text = page.read_text()
    assert "left: 21px; top: 30px" in text and "left:201px;top:110px" in text
    assert window.preview.controller.frame == 10  # the arrows did not step the preview
    window.timeline.actions.undo.trigger()  # the nudges of one selection: one step
    assert page.read_bytes() == original
    QTest.keyClick(catcher, Qt.Key.Key_Escape)
    assert window.model.selection == frozenset()


def test_a_marquee_selects_what_it_touches(open_window, tmp_path, qtbot) -> None:
    window, editor, _page = _open(open_window, tmp_path, qtbot)
    drag(editor.view.catcher, _screen(editor, 5, 5), _screen(editor, 210, 110))
    assert window.model.selection == {"card", "chip"}
    drag(editor.view.catcher, _screen(editor, 300, 170), _screen(editor, 230, 130))
    assert window.model.selection == {"chip"}


def _drag_alt(widget, start: QPoint, end: QPoint) -> None:
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    alt, held = Qt.KeyboardModifier.AltModifier, Qt.MouseButton.LeftButton
    steps = [(QEvent.Type.MouseButtonPress, start, held)]
    steps += [(QEvent.Type.MouseMove, start + (end - start) * i / 6, held) for i in range(1, 7)]
    steps += [(QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)]
    for kind, pos, buttons in steps:
        button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else held
        event = QMouseEvent(
            kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons, alt
        )
        QApplication.sendEvent(widget, event)


def test_resize_with_alt_grows_from_the_centre_and_rotate_turns(
    open_window, tmp_path, qtbot
) -> None:
    window, editor, page = _open(open_window, tmp_path, qtbot)
    original = page.read_text()
    _click(editor, 70, 50)
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)
    grips = editor.overlay.handles(editor.overlay.boxes[0])
    right = grips["mr"].center().toPoint()
    _drag_alt(editor.view.catcher, right, right + QPoint(round(10 * editor.zoom()), 0))
    assert page.read_text() == original.replace(
        "left: 20px; top: 20px; width: 100px;", "left: 10px; top: 20px; width: 120px;"
    )
    _rest(window, editor, qtbot)
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)
    box = editor.overlay.boxes[0]
    knob = editor.overlay.handles(box)["rotate"].center()
    centre = box.center()
    # a quarter turn clockwise around the centre: from straight above to straight right
    end = QPoint(round(centre.x() + (centre.y() - knob.y())), round(centre.y()))
    drag(editor.view.catcher, knob.toPoint(), end)
    assert "background: rgb(0, 200, 0); rotate: 90deg" in page.read_text()
    window.timeline.actions.undo.trigger()  # the rotation
    assert "rotate" not in page.read_text() and "width: 120px" in page.read_text()
    window.timeline.actions.undo.trigger()  # the resize
    assert page.read_text() == original


TITLE_PAGE = PAGE.replace(
    'background: rgb(0, 200, 0)"></div>',
    'background: rgb(0, 200, 0)">Tom &amp; <b>Jerry</b></div>',
).replace(
    "</div>\n</body>",
    '<p id="live" class="clip box" data-start="0" data-duration="2" data-track-index="2"'
    ' style="left:0;top:140px;width:80px;height:20px;margin:0;color:#fff">0</p>\n'
    "<script>document.getElementById('live').textContent = 'live';</script>\n</div>\n</body>",
)


def test_typing_a_new_title_in_place_changes_only_the_text(open_window, tmp_path, qtbot) -> None:
    project = tmp_path / "p"
    project.mkdir()
    page = project / "index.html"
    page.write_text(TITLE_PAGE, encoding="utf-8")
    window = open_window(project)
    editor = window.canvas
    qtbot.waitUntil(lambda: {"card", "live"} <= set(editor.files), timeout=10_000)
    editor.refresh()
    qtbot.waitUntil(lambda: "card" in editor.rects, timeout=5000)
    _click(editor, 70, 50)
    qtbot.waitUntil(lambda: window.model.selection == {"card"}, timeout=5000)
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)
    QTest.mouseDClick(editor.view.catcher, Qt.MouseButton.LeftButton, pos=_screen(editor, 70, 50))
    field = editor.text.field
    assert field.isVisible() and field.text() == "Tom & Jerry"
    assert not window.full_preview.active  # a double-click on it edits, it does not go full
    field.end(False)
    QTest.keyClicks(field, " & Spike")
    QTest.keyClick(field, Qt.Key.Key_Backspace)  # a key typed in the field, not a shortcut
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert not field.isVisible()
    assert page.read_text() == TITLE_PAGE.replace(
        ">Tom &amp; <b>Jerry</b></div>", ">Tom &amp; <b>Jerry &amp; Spik</b></div>"
    )
    window.timeline.actions.undo.trigger()
    assert page.read_text() == TITLE_PAGE

    # Esc cancels; text a script writes is refused with a sentence
    _rest(window, editor, qtbot)
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)
    QTest.mouseDClick(editor.view.catcher, Qt.MouseButton.LeftButton, pos=_screen(editor, 70, 50))
    QTest.keyClicks(field, "gone")
    QTest.keyClick(field, Qt.Key.Key_Escape)
    assert not field.isVisible() and page.read_text() == TITLE_PAGE
    window.model.set_selection({"live"})
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)
    live = editor.rects["live"]
    centre = _screen(editor, live["x"] + live["w"] / 2, live["y"] + live["h"] / 2)
    QTest.mouseDClick(editor.view.catcher, Qt.MouseButton.LeftButton, pos=centre)
    assert not field.isVisible()
    assert "A script writes the text" in window.statusBar().currentMessage()
