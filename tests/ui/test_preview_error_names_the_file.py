"""The note under the preview names the user's file for a script error, as render errors do,
never the compiled page the preview loads (composition.html)."""

from __future__ import annotations

from pathlib import Path

from hyperframes_desktop.ui.preview.page import status_problems

PAGE = """<!doctype html>
<html><body>
<div id="root" data-composition-id="main" data-start="0" data-duration="1" data-width="320"
 data-height="180" data-fps="10" data-no-timeline></div>
<script>throw new Error("boom from the page");</script>
</body></html>
"""


def test_errors_name_the_source_file() -> None:
    problems = status_problems(
        {"errors": ["Uncaught Error: boom (composition.html:5)"]}, [], "composition.html", "a.html"
    )
    assert problems == ["Script error: Uncaught Error: boom (a.html:5)"]


def test_the_preview_note_names_index_html(open_window, tmp_path: Path, qtbot) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(PAGE, encoding="utf-8")
    window = open_window(project)
    notes = window.preview.notes
    qtbot.waitUntil(lambda: "boom from the page" in notes.text(), timeout=20_000)
    assert "index.html:5" in notes.text(), notes.text()
    assert "composition.html" not in notes.text()
