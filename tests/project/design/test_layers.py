"""Layers: topmost first, nested compositions unfold; deleting the selection removes exactly
those elements (omitted end tags included) as one undoable edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.design_files import KINDS, check_golden, edit_and_write, ref, write_project

from hyperframes_desktop.project.design.layers import delete_elements, layer_tree
from hyperframes_desktop.project.design.move import ElementRef
from hyperframes_desktop.project.timeline import (
    EditHistory,
    EditRefused,
    apply_edit,
    build_timeline,
)

INDEX = (
    "<!doctype html>\n"
    "<div id=root data-composition-id=m data-width=320 data-height=180 data-duration=4>\n"
    "  <div id=bg class=clip data-start=0 data-duration=4 data-track-index=0></div>\n"
    "  <div id=group><p id=a class=clip data-start=0 data-duration=1 data-track-index=1>A\n"
    "    <p id=b class=clip data-start=a data-duration=1 data-track-index=1>B</div>\n"
    "  <div id=host data-composition-src=card.html data-start=0 data-duration=4"
    " data-track-index=2></div>\n"
    "</div>\n"
)
CARD = (
    "<div id=card-root data-composition-id=card data-width=320 data-height=180 "
    "data-duration=4><span id=logo class=clip data-start=0 data-duration=4 "
    "data-track-index=0>L</span><i id=dot></i></div>\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text(INDEX)
    (tmp_path / "card.html").write_text(CARD)
    return tmp_path


def _flat(layers, depth=0):
    for layer in layers:
        yield depth, layer.element_id
        yield from _flat(layer.children, depth + 1)


def test_topmost_first_with_nested_compositions_unfolded(project: Path) -> None:
    layers = layer_tree(build_timeline(project))
    assert list(_flat(layers)) == [
        (0, "host"),
        (1, "dot"),
        (1, "logo"),
        (0, "group"),
        (1, "b"),
        (1, "a"),
        (0, "bg"),
    ]


def test_delete_the_selection_with_omitted_end_tags(project: Path) -> None:
    page = project / "index.html"
    history = EditHistory(project)
    timeline = build_timeline(project)
    with pytest.raises(EditRefused, match='starts relative to "a"'):
        delete_elements(timeline, [ElementRef(page.resolve(), "a")])
    refs = [ElementRef(page.resolve(), i) for i in ("a", "b")]
    history.record(apply_edit(delete_elements(timeline, refs), timeline))
    assert page.read_text() == INDEX.replace(
        "<div id=group><p id=a class=clip data-start=0 data-duration=1 data-track-index=1>A\n"
        "    <p id=b class=clip data-start=a data-duration=1 data-track-index=1>B</div>",
        "<div id=group>\n    </div>",  # the elements' own bytes only
    )
    history.undo()
    assert page.read_text() == INDEX


@pytest.mark.parametrize("kind", KINDS)
def test_delete_with_omitted_end_tags_golden(tmp_path: Path, kind: str) -> None:
    """``b`` ends at its parent's ``</div>`` (its own ``</p>`` omitted): the delete takes b's
    bytes only, in LF, CRLF and BOM files alike."""
    folder = write_project(tmp_path, INDEX, kind)
    (folder / "card.html").write_text(CARD)
    before = (folder / "index.html").read_bytes()
    history = EditHistory(folder)
    history.record(edit_and_write(folder, lambda t: delete_elements(t, [ref(folder, "b")]))[1])
    after = (folder / "index.html").read_bytes()
    check_golden(f"delete_omitted_b_{kind}.html", after)
    assert after.count(b"</div>") == before.count(b"</div>")
    history.undo()
    assert (folder / "index.html").read_bytes() == before
