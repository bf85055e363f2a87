"""Text in place: only the characters that differ change, entities and inline markup kept,
golden files for LF, CRLF and BOM; script-written text is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.design_files import KINDS, check_golden, edit_and_write, ref, write_project

from hyperframes_desktop.project.design.text import plain_text, set_text
from hyperframes_desktop.project.timeline import (
    EditHistory,
    EditRefused,
    build_timeline,
)

PAGE = (
    "<!doctype html>\n"
    "<div id=root data-composition-id=m data-width=320 data-height=180 data-duration=2>\n"
    "  <h1 id=title class=clip data-start=0 data-duration=2 data-track-index=0>Tom &amp; Jerry"
    "</h1>\n"
    "  <p id=sub class=clip data-start=0 data-duration=2 data-track-index=1>Cats <b>and</b> "
    "mice &#8212; live\n"
    "  <p id=count class=clip data-start=0 data-duration=2 data-track-index=2>0</p>\n"
    "</div>\n"
    "<script>document.getElementById('count').textContent = '42';</script>\n"
)


def _project(tmp_path: Path, kind: str = "lf") -> Path:
    return write_project(tmp_path, PAGE, kind)


def _edit(folder: Path, element: str, new: str):
    return edit_and_write(folder, lambda t: set_text(t, ref(folder, element), new))[1]


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_title_changes_only_the_text_and_keeps_amp(tmp_path, kind) -> None:
    folder = _project(tmp_path, kind)
    before = (folder / "index.html").read_bytes()
    _edit(folder, "title", "Tom & Jerry <3 Spike")
    after = (folder / "index.html").read_bytes()
    check_golden(f"text_title_{kind}.html", after)
    assert after == before.replace(b"Tom &amp; Jerry</h1>", b"Tom &amp; Jerry &lt;3 Spike</h1>")


def test_inline_markup_and_entities_stay(tmp_path) -> None:
    folder = _project(tmp_path)
    page = folder / "index.html"
    timeline = build_timeline(folder)
    element = ref(folder, "sub")
    assert plain_text(timeline, element) == "Cats and mice \u2014 live"
    _edit(folder, "sub", "Dogs and mice \u2014 live!")
    assert "<p id=sub" in page.read_text()
    assert "Dogs <b>and</b> mice &#8212; live!\n  <p id=count" in page.read_text()
    history = EditHistory(folder)
    history.record(_edit(folder, "sub", "Dogs and rats \u2014 live!"))
    assert "Dogs <b>and</b> rats &#8212; live!" in page.read_text()
    history.undo()
    assert "Dogs <b>and</b> mice &#8212; live!" in page.read_text()


def test_text_a_script_writes_is_refused(tmp_path) -> None:
    folder = _project(tmp_path)
    timeline = build_timeline(folder)
    with pytest.raises(EditRefused, match="A script writes the text"):
        set_text(timeline, ref(folder, "count"), "7")
