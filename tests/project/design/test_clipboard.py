"""Copy and paste of elements: the clipboard holds the exact source markup; paste inserts it
through the write-back's insertion with unique ids (references inside renamed with them), on a
free track at the same times, byte-exact for the rest of the file (LF, CRLF + BOM, omitted end
tags, entities), atomic, refused when the file changed, undone byte for byte.

Golden files in tests/project/design/golden/paste_*.html (UPDATE_GOLDEN=1 rewrites them after
review)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.design_files import check_golden

from hyperframes_desktop.project.design.clipboard import (
    Clipboard,
    copy_elements,
    paste_elements,
    selection_refs,
)
from hyperframes_desktop.project.design.move import ElementRef
from hyperframes_desktop.project.own_writes import forget_own_writes
from hyperframes_desktop.project.scanner import scan
from hyperframes_desktop.project.timeline import (
    EditHistory,
    EditRefused,
    FileChangedError,
    build_timeline,
)

PAGE = (
    "<!doctype html>\n"
    "<!-- Tom &amp; Jerry -->\n"
    "<div id=root data-composition-id=m data-width=320 data-height=180 data-duration=4>\n"
    "  <h1 id=title class=clip data-start=0 data-duration=2 data-track-index=0"
    " aria-describedby='note' style=\"color: #fff\">Tom &amp; <b id=amp>Jerry</b></h1>\n"
    "  <div id=card class='clip card' data-start=1 data-duration=2 data-track-index=1>\n"
    "    <label for=name id=note>Name&nbsp;</label><input id=name>\n"
    "    <svg><rect id=fill /><use href='#fill' style='fill: url(#fill)'/></svg>\n"
    "  </div>\n"
    "  <p id=line class=clip data-start=title data-duration=1 data-track-index=2>A line\n"
    "  <p id=last class=clip data-start='line + 0.5' data-duration=1 data-track-index=2>B\n"
    "</div>\n"
)
VARIANTS = {
    "lf": PAGE.encode("utf-8"),
    "crlf_bom": b"\xef\xbb\xbf" + PAGE.replace("\n", "\r\n").encode("utf-8"),
}


def _project(tmp_path: Path, data: bytes) -> Path:
    (tmp_path / "index.html").write_bytes(data)
    forget_own_writes()
    return tmp_path


def _ids(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig")
    return [str(e.attrs["id"]) for e in scan(text) if e.attrs.get("id")]


def _copy_paste(root: Path, ids: list[str]) -> tuple[bytes, bytes, EditHistory]:
    page = root / "index.html"
    before = page.read_bytes()
    timeline = build_timeline(root)
    board = copy_elements(timeline, [ElementRef(page, i) for i in ids])
    board = Clipboard.from_json(board.to_json())  # through the clipboard's own format
    history = EditHistory()
    history.record(paste_elements(timeline, board))
    return before, page.read_bytes(), history


@pytest.mark.parametrize("kind", sorted(VARIANTS))
def test_copy_holds_the_exact_source_markup(tmp_path: Path, kind: str) -> None:
    root = _project(tmp_path, VARIANTS[kind])
    timeline = build_timeline(root)
    page = root / "index.html"
    board = copy_elements(timeline, selection_refs(timeline, {"title", "card", "line", "amp"}))
    newline = "\r\n" if kind == "crlf_bom" else "\n"
    assert [e.markup for e in board.elements] == [
        "<h1 id=title class=clip data-start=0 data-duration=2 data-track-index=0"
        " aria-describedby='note' style=\"color: #fff\">Tom &amp; <b id=amp>Jerry</b></h1>",
        "<div id=card class='clip card' data-start=1 data-duration=2 data-track-index=1>"
        f"{newline}    <label for=name id=note>Name&nbsp;</label><input id=name>"
        f"{newline}    <svg><rect id=fill /><use href='#fill' style='fill: url(#fill)'/></svg>"
        f"{newline}  </div>",
        # the omitted </p> is written out, so the copy stands on its own
        "<p id=line class=clip data-start=title data-duration=1 data-track-index=2>A line</p>",
    ]
    assert [e.window for e in board.elements] == [(0.0, 2.0), (1.0, 3.0), (2.0, 3.0)]
    assert board.plain_text() == "\n".join(e.markup for e in board.elements)
    assert page.read_bytes() == VARIANTS[kind]  # copying writes nothing


@pytest.mark.parametrize("kind", sorted(VARIANTS))
def test_paste_inserts_copies_with_unique_ids_and_undo_restores(tmp_path: Path, kind: str) -> None:
    root = _project(tmp_path, VARIANTS[kind])
    before, after, history = _copy_paste(root, ["title", "card", "line"])
    check_golden(f"paste_{kind}.html", after)
    # the rest of the file is byte for byte the same: one run of bytes was inserted (right
    # after the root's start tag: its last <p> is left open, so nothing may follow it)
    at = before.index(b"data-duration=4>") + len(b"data-duration=4>")
    assert after.startswith(before[:at]) and after.endswith(before[at:])
    old, new = _ids(before), _ids(after)
    assert len(new) == len(set(new)) == len(old) + 7
    added = [i for i in new if i not in old]
    assert added == ["title-2", "amp-2", "card-2", "note-2", "name-2", "fill-2", "line-2"]
    history.undo()
    assert (root / "index.html").read_bytes() == before


def test_references_inside_the_pasted_markup_follow_the_renamed_ids(tmp_path: Path) -> None:
    root = _project(tmp_path, VARIANTS["lf"])
    _, after, _ = _copy_paste(root, ["title", "card", "line", "last"])
    text = after.decode("utf-8")
    pasted = text[: text.index("<h1 id=title ")]  # pasted as the root's first children
    assert "aria-describedby='note-2'" in pasted
    assert "<label for=name-2 id=note-2>Name&nbsp;</label><input id=name-2>" in pasted
    assert "<use href='#fill-2' style='fill: url(#fill-2)'/>" in pasted
    assert "data-start=title-2 " in pasted  # the pasted line follows the pasted title
    assert "data-start='line-2 + 0.5'" in pasted
    assert "class='clip card'" in pasted  # a class is never an id reference
    assert "Tom &amp; <b id=amp-2>Jerry</b>" in pasted  # entities kept


def test_pasted_clips_keep_their_times_on_a_free_track(tmp_path: Path) -> None:
    root = _project(tmp_path, VARIANTS["lf"])
    _copy_paste(root, ["title", "card"])
    timeline = build_timeline(root)
    title, copy = timeline.clip_by_id("title"), timeline.clip_by_id("title-2")
    card, card_copy = timeline.clip_by_id("card"), timeline.clip_by_id("card-2")
    assert title and copy and card and card_copy
    assert (copy.start, copy.end) == (title.start, title.end)
    assert (card_copy.start, card_copy.end) == (card.start, card.end)
    # title's track 0 is busy over [0, 2) and track 1 holds card from 1 s: the copy goes to
    # track 2 (its line starts at 2 s); the card copy avoids the title copy there
    assert copy.track == 2
    assert card_copy.track == 3


def test_paste_is_refused_when_the_file_changed_on_disk(tmp_path: Path) -> None:
    root = _project(tmp_path, VARIANTS["lf"])
    page = root / "index.html"
    timeline = build_timeline(root)
    board = copy_elements(timeline, [ElementRef(page, "title")])
    page.write_bytes(VARIANTS["lf"] + b"<!-- an agent's save -->\n")
    with pytest.raises(FileChangedError):
        paste_elements(timeline, board)
    assert page.read_bytes() == VARIANTS["lf"] + b"<!-- an agent's save -->\n"


def test_markup_that_would_adopt_its_neighbours_is_refused(tmp_path: Path) -> None:
    root = _project(tmp_path, VARIANTS["lf"])
    timeline = build_timeline(root)
    board = Clipboard.from_json('{"elements": [{"markup": "<div id=x>open", "window": null}]}')
    title = copy_elements(timeline, [ElementRef(root / "index.html", "title")])
    with pytest.raises(EditRefused, match=r"more of index\.html"):
        paste_elements(timeline, Clipboard((*board.elements, *title.elements)))
    assert (root / "index.html").read_bytes() == VARIANTS["lf"]
    with pytest.raises(EditRefused, match="no elements the studio can paste"):
        Clipboard.from_json("not json")


CLOSED = (
    "<!doctype html>\n"
    '<div id="root" data-composition-id="m" data-width="320" data-height="180" '
    'data-duration="4">\n'
    '  <ul id="list" class="clip" data-start="1" data-duration="1"><li>a &lt; b<li>c</ul>\n'
    '  <p id="note" class="clip" data-start="0" data-duration="4">Note</p>\n'
    "</div>\n"
)


def test_paste_into_a_closed_root_goes_last_and_omitted_end_tags_inside_stay(
    tmp_path: Path,
) -> None:
    root = _project(tmp_path, CLOSED.encode("utf-8"))
    before, after, history = _copy_paste(root, ["list"])
    check_golden("paste_last_child.html", after)
    assert after == before.replace(
        b"</div>\n",
        b'  <ul id="list-2" class="clip" data-start="1" data-duration="1" '
        b'data-track-index="1"><li>a &lt; b<li>c</ul>\n</div>\n',
    )
    history.undo()
    assert (root / "index.html").read_bytes() == before
