"""Moving elements on the stage writes one declaration per axis into the inline style, byte
for byte (golden files in tests/project/design/golden/; UPDATE_GOLDEN=1 rewrites them after
review), atomically, undoably, and is refused when the file changed on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.design_files import KINDS, check_golden, edit_and_write, ref, write_project

from hyperframes_desktop.project.design.declarations import get, parse, set_declaration
from hyperframes_desktop.project.design.move import move_elements
from hyperframes_desktop.project.timeline import (
    EditHistory,
    EditRefused,
    FileChangedError,
    apply_edit,
    build_timeline,
)

PAGE = (
    "<!doctype html>\n<!-- hand written -->\n"
    "<div id=root data-composition-id=m data-width=320 data-height=180 data-duration=2>\n"
    '  <h1 id=title class=clip data-start=0 data-duration=2 data-track-index=0 style="left: 20px;'
    ' top: 30px; font-family: &quot;Inter&quot;, sans-serif">Tom &amp; Jerry</h1>\n'
    "  <div id=card class=clip data-start=0 data-duration=2 data-track-index=1>card</div>\n"
    "  <div id=chip class=clip data-start=0 data-duration=2 data-track-index=2 "
    "style=opacity:0.5>chip</div>\n"
    "  <p id=note class=clip data-start=0 data-duration=2 data-track-index=3 "
    "style='translate: 4px 2px;color:red'>note\n"
    "</div>\n"
)


def _project(tmp_path: Path, kind: str = "lf") -> Path:
    return write_project(tmp_path, PAGE, kind)


def _move(folder: Path, ids: list[str], dx: float, dy: float):
    refs = [ref(folder, i) for i in ids]
    return edit_and_write(folder, lambda t: move_elements(t, refs, dx, dy))[1]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("element", "dx", "dy"),
    [("title", 12, -5), ("card", 7, 3), ("chip", -1, 0), ("note", 10, 10)],
)
def test_move_writes_one_declaration_per_axis(tmp_path, kind, element, dx, dy) -> None:
    folder = _project(tmp_path, kind)
    before = (folder / "index.html").read_bytes()
    _move(folder, [element], dx, dy)
    after = (folder / "index.html").read_bytes()
    check_golden(f"move_{element}_{kind}.html", after)
    # outside the element's start tag nothing changed
    start = before.index(f"id={element}".encode())
    assert after[:start] == before[:start]
    tail = before[before.index(b">", start) :]
    assert after.endswith(tail)


def test_moving_by_n_changes_left_and_top_by_n_and_nothing_else(tmp_path) -> None:
    folder = _project(tmp_path)
    page = folder / "index.html"
    before = page.read_text()
    _move(folder, ["title"], 25, 40)
    after = page.read_text()
    assert after == before.replace("left: 20px; top: 30px", "left: 45px; top: 70px")


def test_several_elements_move_in_one_undo_step(tmp_path) -> None:
    folder = _project(tmp_path)
    page = folder / "index.html"
    original = page.read_bytes()
    history = EditHistory(folder)
    history.record(_move(folder, ["title", "card"], 1, 0))
    history.record(_move(folder, ["title", "card"], 1, 0))  # a nudge run: one step
    text = page.read_text()
    assert "left: 22px" in text and 'style="translate: 2px 0px"' in text
    history.undo()
    assert page.read_bytes() == original
    assert not history.can_undo


def test_a_file_changed_on_disk_is_not_overwritten(tmp_path) -> None:
    folder = _project(tmp_path)
    page = folder / "index.html"
    timeline = build_timeline(folder)
    edit = move_elements(timeline, [ref(folder, "card")], 5, 5)
    page.write_text(PAGE.replace("card</div>", "edited</div>"))
    with pytest.raises(FileChangedError):
        apply_edit(edit, timeline)
    assert "edited</div>" in page.read_text()


def test_an_element_without_a_unique_id_is_refused(tmp_path) -> None:
    folder = _project(tmp_path)
    timeline = build_timeline(folder)
    with pytest.raises(EditRefused, match='no element with id "ghost"'):
        move_elements(timeline, [ref(folder, "ghost")], 1, 1)


def test_declarations_keep_every_other_byte() -> None:
    style = "color: red !important ; left : 5px;background:url(a;b)"
    assert set_declaration(style, "left", "9px") == style.replace("5px", "9px")
    assert set_declaration(style, "color", "blue") == style.replace("red", "blue")
    assert get(style, "background") == "url(a;b)"
    assert [d.name for d in parse(style)] == ["color", "left", "background"]
    assert set_declaration("left:1px", "top", "2px") == "left:1px;top:2px"
    assert set_declaration("left: 1px;", "top", "2px") == "left: 1px; top: 2px;"


def test_resize_from_the_centre_changes_size_and_position_only(tmp_path) -> None:
    from hyperframes_desktop.project.design.transform import resize_element

    folder = _project(tmp_path)
    page = folder / "index.html"
    before = page.read_text()
    timeline = build_timeline(folder)
    element = ref(folder, "title")
    edit = resize_element(timeline, element, dx=-10, dy=0, width=120, height=40, old_size=(100, 40))
    apply_edit(edit, timeline)
    assert page.read_text() == before.replace(
        'left: 20px; top: 30px; font-family: &quot;Inter&quot;, sans-serif"',
        'left: 10px; top: 30px; font-family: &quot;Inter&quot;, sans-serif; width: 120px"',
    )  # the height did not change: not written


def test_rotate_adds_to_the_inline_rotate(tmp_path) -> None:
    from hyperframes_desktop.project.design.transform import rotate_element

    folder = _project(tmp_path)
    page = folder / "index.html"
    for degrees, expect in ((30, "rotate:30deg"), (170, "rotate:-160deg")):
        timeline = build_timeline(folder)
        apply_edit(rotate_element(timeline, ref(folder, "chip"), degrees), timeline)
        assert f'style="opacity:0.5;{expect}"' in page.read_text()
