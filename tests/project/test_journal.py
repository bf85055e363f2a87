"""The backup journal: every studio write is preceded by a copy of the file's bytes in the
app's data folder; a restore is itself backed up and undoable, so no version is ever lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from hyperframes_desktop.project import journal
from hyperframes_desktop.project.timeline import (
    EditHistory,
    EditRefused,
    apply_edit,
    build_timeline,
    move_clip,
)
from hyperframes_desktop.project.timeline.restore import restore_version

PAGE = (
    "<div id=root data-composition-id=m data-width=64 data-height=36 data-duration=4>\n"
    "  <p class=clip id=a data-start=0 data-duration=1 data-track-index=0>A</p>\n"
    "</div>\n"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "index.html").write_text(PAGE)
    journal.open_project(folder)
    yield folder
    journal.open_project(None)


def test_every_edit_first_copies_the_file(project: Path, tmp_path: Path) -> None:
    page = project / "index.html"
    typed_by_agent = PAGE.replace(">A<", ">Agent's words<").encode()
    page.write_bytes(typed_by_agent)
    timeline = build_timeline(project)
    apply_edit(move_clip(timeline, "a", 30), timeline)
    book = journal.journal_for(page)
    assert book.folder.is_relative_to(tmp_path / "data")  # the app's data folder
    [entry] = book.entries()
    assert entry.file == page.resolve() and entry.why.startswith("Move")
    assert book.read(entry) == typed_by_agent


def test_restore_is_backed_up_and_undoable(project: Path) -> None:
    page = project / "index.html"
    history = EditHistory(project)
    for frame in (30, 60):
        timeline = build_timeline(project)
        history.record(apply_edit(move_clip(timeline, "a", frame), timeline))
    versions = [page.read_bytes()]
    book = journal.journal_for(page)
    oldest = book.entries()[-1]
    assert book.read(oldest) == PAGE.encode()
    applied = restore_version(book, oldest)
    history.record(applied)
    assert page.read_bytes() == PAGE.encode()
    assert book.read(book.entries()[0]) == versions[0]  # the bytes restored over: kept
    history.undo()
    assert page.read_bytes() == versions[0]


def test_a_damaged_copy_is_refused_with_a_sentence(project: Path) -> None:
    page = project / "index.html"
    timeline = build_timeline(project)
    apply_edit(move_clip(timeline, "a", 30), timeline)
    book = journal.journal_for(page)
    [entry] = book.entries()
    (book.blobs / entry.sha256).write_bytes(b"garbage")
    before = page.read_bytes()
    with pytest.raises(EditRefused, match="cannot be read"):
        restore_version(book, entry)
    assert page.read_bytes() == before


def test_a_journal_that_cannot_be_written_refuses_the_edit(project: Path, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "hyperframes-desktop").write_text("a file where the folder goes")
    page = project / "index.html"
    timeline = build_timeline(project)
    with pytest.raises(EditRefused, match="backup journal could not be written"):
        apply_edit(move_clip(timeline, "a", 30), timeline)
    assert page.read_text() == PAGE


def test_old_copies_are_pruned_with_their_blobs(project: Path, monkeypatch) -> None:
    monkeypatch.setattr(journal, "KEEP", 3)
    page = project / "index.html"
    book = journal.journal_for(page)
    for n in range(6):
        page.write_text(PAGE.replace(">A<", f">{n}<"))
        book.back_up(page)
    entries = book.entries()
    assert len(entries) == 3
    assert sorted(p.name for p in book.blobs.iterdir()) == sorted(e.sha256 for e in entries)
    assert book.read(entries[0]).decode() == PAGE.replace(">A<", ">5<")
