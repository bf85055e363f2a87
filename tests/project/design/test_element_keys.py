"""Source keys for elements without an id: stable across edits that leave the element's place
alone, refused with a sentence when the file changed so they no longer resolve, and written
into the studio preview's page only (never a render's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.design_files import KINDS, check_golden, edit_and_write, ref, write_project

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.project.design.element_keys import PAGE_ATTRIBUTE, key_label
from hyperframes_desktop.project.design.layers import delete_elements
from hyperframes_desktop.project.design.move import ElementRef, move_elements
from hyperframes_desktop.project.design.properties import set_property
from hyperframes_desktop.project.design.selectable import selectable_ids
from hyperframes_desktop.project.design.text import set_text
from hyperframes_desktop.project.timeline import (
    EditHistory,
    EditRefused,
    apply_edit,
    build_timeline,
)
from hyperframes_desktop.render.compile import compile_page

PAGE = (
    "<!doctype html>\n"
    "<div id=root data-composition-id=m data-width=320 data-height=180 data-duration=2>\n"
    '  <h1 style="left: 20px; top: 30px">Tom &amp; Jerry</h1>\n'
    "  <p>one\n"
    "  <p style='color:red'>two <b>bold</b>\n"
    "  <svg><rect width=4 height=4></rect></svg>\n"
    "</div>\n"
)
TWO = "@index.html#div:0/p:1"


def _project(tmp_path: Path, page: str = PAGE, name: str = "p") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "index.html").write_bytes(page.replace("\n", "\r\n").encode())
    return folder


def _ref(folder: Path, key: str) -> ElementRef:
    return ElementRef(folder.resolve() / "index.html", key)


def test_idless_elements_get_source_keys_and_text_markup_does_not(tmp_path) -> None:
    folder = _project(tmp_path)
    keys = selectable_ids(build_timeline(folder))
    assert set(keys) == {
        "@index.html#div:0/h1:0",
        "@index.html#div:0/p:0",
        TWO,
        "@index.html#div:0/p:1/svg:0",  # an svg does not end a <p>
    }  # no root, no <b>, nothing inside the svg
    assert key_label(TWO) == "<p>"


def test_a_key_survives_edits_that_leave_its_place_alone(tmp_path) -> None:
    folder = _project(tmp_path)
    page = folder / "index.html"
    timeline = build_timeline(folder)
    apply_edit(move_elements(timeline, [_ref(folder, TWO)], 5, -2), timeline)
    timeline = build_timeline(folder)
    apply_edit(set_text(timeline, _ref(folder, "@index.html#div:0/p:0"), "1"), timeline)
    timeline = build_timeline(folder)
    apply_edit(set_property(timeline, _ref(folder, TWO), "color", "#00f"), timeline)
    assert (
        page.read_bytes()
        == PAGE.replace("\n", "\r\n")
        .replace("<p>one", "<p>1")
        .replace("style='color:red'", "style='color:#00f;translate:5px -2px'")
        .encode()
    )


def test_a_key_that_no_longer_resolves_is_refused_with_a_sentence(tmp_path) -> None:
    folder = _project(tmp_path)
    timeline = build_timeline(folder)
    (folder / "index.html").write_text(PAGE.replace("  <p>one\n", ""))
    changed = build_timeline(folder)
    with pytest.raises(EditRefused, match=r"no longer has the <p> element .* select the element"):
        move_elements(changed, [_ref(folder, TWO)], 1, 1)
    assert TWO in selectable_ids(timeline) and TWO not in selectable_ids(changed)


def test_keys_are_in_the_studio_preview_page_and_never_in_a_render(tmp_path) -> None:
    folder = _project(tmp_path)
    comp = load_composition(folder)
    preview = compile_page(comp, tmp_path / "preview", source_keys=True)
    render = compile_page(comp, tmp_path / "render")
    marked = preview.html_path.read_text()
    assert f'{PAGE_ATTRIBUTE}="{TWO}"' in marked
    assert marked.count(f"{PAGE_ATTRIBUTE}=") == 4
    assert PAGE_ATTRIBUTE not in render.html_path.read_text()


@pytest.mark.parametrize("kind", KINDS)
def test_idless_move_and_delete_golden(tmp_path: Path, kind: str) -> None:
    """An id-less element moved, then an id-less element whose end tag is omitted deleted:
    golden files for LF, CRLF and BOM; undo restores every byte."""
    folder = write_project(tmp_path, PAGE, kind)
    before = (folder / "index.html").read_bytes()
    history = EditHistory(folder)
    history.record(edit_and_write(folder, lambda t: move_elements(t, [ref(folder, TWO)], 3, 4))[1])
    one = "@index.html#div:0/p:0"
    history.record(edit_and_write(folder, lambda t: delete_elements(t, [ref(folder, one)]))[1])
    after = (folder / "index.html").read_bytes()
    check_golden(f"idless_move_delete_{kind}.html", after)
    assert b"one" not in after and b"two <b>bold</b>" in after
    history.undo()
    history.undo()
    assert (folder / "index.html").read_bytes() == before
