"""Inspector edits: one declaration changes, where the property is defined (inline, else an
#id rule, else inline saying so); golden files for LF, CRLF and BOM files."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.design_files import KINDS, check_golden, edit_and_write, ref, write_project

from hyperframes_desktop.project.design.properties import set_property, where_defined
from hyperframes_desktop.project.timeline import (
    EditHistory,
    EditRefused,
    apply_edit,
    build_timeline,
)

PAGE = (
    "<!doctype html>\n<style>\n  /* #title { color: blue } (a comment) */\n"
    "  #title { font-size: 40px; color: rgb(255, 255, 255); }\n"
    "  .big, #title2 { color: red; }\n</style>\n"
    "<div id=root data-composition-id=m data-width=320 data-height=180 data-duration=2>\n"
    '  <h1 id=title class="clip big" data-start=0 data-duration=2 data-track-index=0 '
    'style="left: 20px">Tom &amp; Jerry</h1>\n'
    "  <p id=sub class=clip data-start=0 data-duration=2 data-track-index=1>sub</p>\n"
    "</div>\n"
)


def _project(tmp_path: Path, kind: str) -> Path:
    return write_project(tmp_path, PAGE, kind)


def _set(folder: Path, element: str, name: str, value: str):
    return edit_and_write(folder, lambda t: set_property(t, ref(folder, element), name, value))[0]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("case", "element", "name", "value"),
    [
        ("inline", "title", "left", "32px"),
        ("id_rule", "title", "color", "#ffcc00"),
        ("new_inline", "sub", "opacity", "0.5"),
    ],
)
def test_one_declaration_changes(tmp_path, kind, case, element, name, value) -> None:
    folder = _project(tmp_path, kind)
    before = (folder / "index.html").read_bytes()
    edit = _set(folder, element, name, value)
    after = (folder / "index.html").read_bytes()
    check_golden(f"property_{case}_{kind}.html", after)
    head = before[: before.index(b"<style>")]
    assert after.startswith(head)  # BOM, doctype and line endings as they were
    assert bool(edit.warnings) == (case == "new_inline")


def test_a_colour_edit_changes_one_declaration_only(tmp_path) -> None:
    folder = _project(tmp_path, "lf")
    page = folder / "index.html"
    timeline = build_timeline(folder)
    element = ref(folder, "title")
    assert where_defined(timeline, element, "color").kind == "rule"
    assert where_defined(timeline, element, "left").kind == "inline"
    assert where_defined(timeline, element, "opacity").kind == "none"
    _set(folder, "title", "color", "red")
    assert page.read_text() == PAGE.replace(
        "#title { font-size: 40px; color: rgb(255, 255, 255); }",
        "#title { font-size: 40px; color: red; }",
    )


def test_a_slider_drag_is_one_undo_step(tmp_path) -> None:
    folder = _project(tmp_path, "lf")
    page = folder / "index.html"
    history = EditHistory(folder)
    for value in ("0.9", "0.8", "0.7"):
        timeline = build_timeline(folder)
        element = ref(folder, "sub")
        history.record(apply_edit(set_property(timeline, element, "opacity", value), timeline))
    assert 'style="opacity: 0.7"' in page.read_text()
    history.undo()
    assert page.read_text() == PAGE


def test_values_that_would_break_out_are_refused(tmp_path) -> None:
    folder = _project(tmp_path, "lf")
    timeline = build_timeline(folder)
    element = ref(folder, "title")
    for bad in ("red; display: none", "red}", "</style>", ""):
        with pytest.raises(EditRefused):
            set_property(timeline, element, "color", bad)
