"""The Design inspector (pytest-qt, real page, real files): computed values with their
source, one declaration per edit, and keys typed in its fields never reach a shortcut."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QSlider

PAGE = """<!doctype html>
<html><head><style>
html, body { margin: 0; width: 320px; height: 180px; overflow: hidden; background: #000; }
#card { position: absolute; color: rgb(255, 255, 255); font-size: 20px; }
</style></head><body>
<div id="stage" data-composition-id="main" data-width="320" data-height="180"
     data-duration="2" data-fps="30" data-no-timeline>
  <div id="card" class="clip" data-start="0" data-duration="2" data-track-index="0"
       style="left: 20px; top: 20px; width: 100px; height: 60px; background: rgb(0, 200, 0)"
       >Tom &amp; Jerry</div>
</div>
</body></html>
"""


def _open(open_window, tmp_path: Path, qtbot):
    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(PAGE, encoding="utf-8")
    window = open_window(project)
    design = window.design
    qtbot.waitUntil(lambda: "card" in design.files, timeout=10_000)
    window.design_dock.show()
    window.design_dock.raise_()
    window.model.set_selection({"card"})
    qtbot.waitUntil(lambda: design.fields["color"].text() == "rgb(255, 255, 255)", timeout=5000)
    return window, design, project / "index.html"


def test_shows_computed_values_and_where_they_come_from(open_window, tmp_path, qtbot) -> None:
    _window, design, _page = _open(open_window, tmp_path, qtbot)
    assert design.title.text() == "#card"
    assert design.fields["left"].text() == "20px"
    assert design.sources["left"].text() == "inline style"
    assert design.sources["color"].text() == "#card rule"
    assert design.sources["font-weight"].text().startswith("computed")
    assert design.text.text() == "Tom & Jerry"


def test_a_colour_edit_changes_one_declaration(open_window, tmp_path, qtbot) -> None:
    window, design, page = _open(open_window, tmp_path, qtbot)
    field = design.fields["color"]
    field.setFocus()
    field.selectAll()
    QTest.keyClicks(field, "#ffcc00")
    QTest.keyClick(field, Qt.Key.Key_Return)
    assert page.read_text() == PAGE.replace("color: rgb(255, 255, 255);", "color: #ffcc00;")
    window.timeline.actions.undo.trigger()
    assert page.read_text() == PAGE


def test_typing_a_new_text_keeps_the_entity(open_window, tmp_path, qtbot) -> None:
    window, design, page = _open(open_window, tmp_path, qtbot)
    design.text.setFocus()
    design.text.end(False)
    QTest.keyClicks(design.text, " & Spike")
    QTest.keyClick(design.text, Qt.Key.Key_Return)
    assert page.read_text() == PAGE.replace(">Tom &amp; Jerry<", ">Tom &amp; Jerry &amp; Spike<")
    window.timeline.actions.undo.trigger()
    assert page.read_text() == PAGE


def test_backspace_and_delete_in_every_field_edit_text_never_the_element(
    open_window, tmp_path, qtbot
) -> None:
    window, design, page = _open(open_window, tmp_path, qtbot)
    timeline = window.timeline
    timeline.canvas.select("card")  # the timeline's Delete would remove this clip
    assert timeline.actions.delete.isEnabled()
    for field in design.all_fields():
        target = field.lineEdit() if isinstance(field, QComboBox) else field
        field.setFocus()
        if isinstance(target, QLineEdit):
            target.setText("abc")
            target.setCursorPosition(1)
            QTest.keyClick(target, Qt.Key.Key_Backspace)
            QTest.keyClick(target, Qt.Key.Key_Delete)
            assert target.text() == "c", field
        else:
            assert isinstance(field, QSlider)
            QTest.keyClick(field, Qt.Key.Key_Backspace)
            QTest.keyClick(field, Qt.Key.Key_Delete)
        assert 'id="card"' in page.read_text(), field
        assert timeline.timeline.clip_by_id("card") is not None
