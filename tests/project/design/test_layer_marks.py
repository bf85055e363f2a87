"""Hide and lock marks on id-less elements follow their element when elements are added or
removed before it, and are dropped rather than land on another element."""

from __future__ import annotations

from pathlib import Path

from hyperframes_desktop.project.design.layer_marks import follow, sign
from hyperframes_desktop.project.timeline import build_timeline

HEAD = (
    "<!doctype html>\n"
    "<div id=root data-composition-id=m data-width=320 data-height=180 data-duration=2>\n"
)
A = '  <p class="note">Alpha</p>\n'
B = '  <p class="note" style="left: 4px">Beta &amp; co</p>\n'
C = '  <p class="note">Gamma</p>\n'
TAIL = "</div>\n"
KEY = "@index.html#div:0/p:{}"


def _timeline(project: Path, *paragraphs: str):
    (project / "index.html").write_text(HEAD + "".join(paragraphs) + TAIL, encoding="utf-8")
    return build_timeline(project)


def test_a_mark_follows_its_element_when_one_is_inserted_before_it(tmp_path: Path) -> None:
    before = _timeline(tmp_path, A, B)
    marks = sign(before, [KEY.format(1)])  # Beta
    assert set(marks) == {KEY.format(1)}
    after = _timeline(tmp_path, C, A, B)  # another program inserted Gamma first
    assert follow(after, marks) == {KEY.format(1): KEY.format(2)}
    # a style edit on the marked element (the stage's own edits) is the same element
    styled = _timeline(tmp_path, C, A, B.replace("left: 4px", "left: 40px"))
    assert follow(styled, marks) == {KEY.format(1): KEY.format(2)}


def test_a_mark_whose_element_was_removed_is_dropped_not_moved(tmp_path: Path) -> None:
    before = _timeline(tmp_path, A, B)
    marks = sign(before, [KEY.format(0)])  # Alpha
    after = _timeline(tmp_path, B)  # Alpha deleted: Beta is p:0 now
    assert follow(after, marks) == {KEY.format(0): None}


def test_an_unmoved_mark_stays_and_ids_and_other_files_are_not_looked_at(
    tmp_path: Path,
) -> None:
    before = _timeline(tmp_path, A, B)
    marks = {**sign(before, [KEY.format(0)]), "card": "x", "@other.html#html:0/p:0": "y"}
    assert follow(before, marks) == {KEY.format(0): KEY.format(0)}


def test_alike_elements_equally_near_are_not_guessed(tmp_path: Path) -> None:
    before = _timeline(tmp_path, A, B, A)
    marks = sign(before, [KEY.format(1)])
    after = _timeline(tmp_path, A, A)  # Beta gone; two Alphas left
    assert follow(after, marks) == {KEY.format(1): None}


def test_elements_alike_but_for_their_style_are_told_apart(tmp_path: Path) -> None:
    """Two empty boxes of one class differ only in ``style``: a box inserted before the
    marked one does not take its mark."""
    blue = '  <div class="box" style="left:200px;background:#00f"></div>\n'
    red = '  <div class="box" style="left:20px;background:#f00"></div>\n'
    before = _timeline(tmp_path, blue)
    key = "@index.html#div:0/div:0"
    marks = sign(before, [key])
    after = _timeline(tmp_path, red, blue)
    assert follow(after, marks) == {key: "@index.html#div:0/div:1"}
    # the marked box moved on the stage (its style changed) and nothing was inserted
    dragged = _timeline(tmp_path, blue.replace("200px", "210px"))
    assert follow(dragged, marks) == {key: key}
