"""Write-back: only the attributes concerned change (byte for byte elsewhere), writes are
atomic, a file changed on disk is never overwritten, undo restores the exact bytes, and every
write is recorded as the app's own."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from hyperframes_desktop.project.own_writes import forget_own_writes, is_own_write
from hyperframes_desktop.project.timeline import (
    ConfirmationRequired,
    EditHistory,
    EditRefused,
    FileChangedError,
    apply_edit,
    build_timeline,
    move_clip,
    nudge_clip,
    split_clip,
    trim_start,
)

DATA = Path(__file__).parent / "data" / "edit-project"

ODD = (
    "\ufeff<!doctype html>\r\n<!-- a hand-written file: CRLF, a BOM, comments -->\r\n"
    "<div id=root data-composition-id='m' data-width=64 data-height=36 data-duration=8>\r\n"
    '  <!-- data-start="9" in a comment is not an attribute -->\r\n'
    '  <p  class = "clip"   DATA-START = \'1\'\tdata-duration="1" id=a data-track-index=0 >é'
    "</p>\r\n"
    '  <p class=clip data-start="a + 0.5" data-duration=1 id=b data-track-index=0></p>\r\n'
    "</div>\r\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(DATA, folder)
    forget_own_writes()
    return folder


def _siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_only_the_attribute_value_changes(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    path = folder / "index.html"
    original = ODD.encode("utf-8")
    path.write_bytes(original)
    timeline = build_timeline(folder)
    apply_edit(move_clip(timeline, "a", 60), timeline)  # 2 s at 30 fps
    assert path.read_bytes() == original.replace(b"DATA-START = '1'", b"DATA-START = '2'")
    timeline = build_timeline(folder)
    apply_edit(move_clip(timeline, "b", 165, track=3), timeline)
    assert path.read_bytes() == original.replace(b"DATA-START = '1'", b"DATA-START = '2'").replace(
        b'data-start="a + 0.5" data-duration=1 id=b data-track-index=0',
        b'data-start="a + 2.5" data-duration=1 id=b data-track-index=3',
    )


def test_split_copies_the_element_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    path = folder / "index.html"
    path.write_bytes(ODD.encode("utf-8"))
    timeline = build_timeline(folder)
    apply_edit(split_clip(timeline, "a", 45), timeline)
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff<!doctype html>\r\n<!-- a hand-written")
    first = (
        '  <p  class = "clip"   DATA-START = \'1\'\tdata-duration="0.5" id=a data-track-index=0 >é'
        "</p>"
    )
    copy = (
        '  <p  class = "clip"   DATA-START = \'1.5\'\tdata-duration="0.5" id=a-2 '
        "data-track-index=0 >é</p>"
    )
    assert f"{first}\r\n{copy}\r\n" in text
    assert 'data-start="a-2 + 0.5"' in text  # b still starts half a second after a's end
    after = build_timeline(folder)
    assert after.clip("b").start_frame == timeline.clip("b").start_frame


def test_write_is_atomic_and_keeps_the_mode(project: Path) -> None:
    path = project / "index.html"
    os.chmod(path, 0o640)
    before = _siblings(project)
    timeline = build_timeline(project)
    applied = apply_edit(move_clip(timeline, "logo", 12), timeline)
    assert _siblings(project) == before, "no temporary file is left beside the composition"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    (write,) = applied.writes
    assert write.path == path and write.after == path.read_bytes()
    assert write.before == timeline.sources[path]


def test_a_failed_write_leaves_the_file_and_no_temp(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "index.html"
    original = path.read_bytes()
    timeline = build_timeline(project)
    edit = move_clip(timeline, "logo", 12)

    def disk_full(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(EditRefused, match=r"could not be written \(No space left on device"):
        apply_edit(edit, timeline)
    monkeypatch.undo()
    assert path.read_bytes() == original
    assert not [name for name in _siblings(project) if name.startswith(".")]


def test_a_file_changed_on_disk_is_not_overwritten(project: Path) -> None:
    path = project / "index.html"
    timeline = build_timeline(project)
    edit = move_clip(timeline, "logo", 12)
    external = path.read_bytes().replace(b"<title>timeline edits</title>", b"<title>x</title>")
    path.write_bytes(external)
    with pytest.raises(FileChangedError) as caught:
        apply_edit(edit, timeline)
    assert caught.value.path == path
    assert "index.html changed on disk since the studio read it" in str(caught.value)
    assert "Reload the project" in str(caught.value)
    assert path.read_bytes() == external


def test_nested_file_conflict_names_that_file(project: Path) -> None:
    card = project / "compositions" / "card.html"
    timeline = build_timeline(project)
    edit = move_clip(timeline, "card-host/stamp", 114)
    card.write_bytes(card.read_bytes() + b"\n")
    with pytest.raises(FileChangedError, match=r"compositions/card\.html changed on disk"):
        apply_edit(edit, timeline)


def test_writes_are_recorded_as_own_writes(project: Path) -> None:
    path = project / "index.html"
    timeline = build_timeline(project)
    assert not is_own_write(path)
    history = EditHistory(project)
    history.record(apply_edit(move_clip(timeline, "logo", 12), timeline))
    assert is_own_write(path)
    path.write_bytes(path.read_bytes() + b"<!-- an editor's save -->")
    assert not is_own_write(path)
    path.write_bytes(path.read_bytes()[: -len(b"<!-- an editor's save -->")])
    history.undo()
    assert is_own_write(path)


def test_undo_and_redo_restore_bytes_across_reloads(project: Path) -> None:
    path = project / "index.html"
    original = path.read_bytes()
    history = EditHistory(project)
    timeline = build_timeline(project)
    history.record(apply_edit(move_clip(timeline, "logo", 12), timeline))
    after_move = path.read_bytes()
    timeline = build_timeline(project)  # the app reloads after its own write
    history.record(apply_edit(trim_start(timeline, "reel", 108), timeline))
    after_trim = path.read_bytes()
    assert history.undo_label == "Trim reel"
    assert history.undo().label == "Trim reel"
    assert path.read_bytes() == after_move
    assert history.undo().label == "Move logo"
    assert path.read_bytes() == original
    assert history.undo() is None and not history.can_undo
    history.redo()
    history.redo()
    assert path.read_bytes() == after_trim
    assert history.redo() is None


def test_undo_is_refused_after_an_external_change(project: Path) -> None:
    path = project / "index.html"
    history = EditHistory(project)
    timeline = build_timeline(project)
    history.record(apply_edit(move_clip(timeline, "logo", 12), timeline))
    external = path.read_bytes() + b"<!-- edited elsewhere -->"
    path.write_bytes(external)
    with pytest.raises(FileChangedError, match='so undoing "Move logo" was not written'):
        history.undo()
    assert path.read_bytes() == external and history.can_undo


def test_repeated_nudges_merge_into_one_step(project: Path) -> None:
    path = project / "index.html"
    original = path.read_bytes()
    history = EditHistory(project)
    for _ in range(3):
        timeline = build_timeline(project)
        history.record(apply_edit(nudge_clip(timeline, "reel", 1), timeline))
    assert build_timeline(project).clip("reel").start_frame == 99
    timeline = build_timeline(project)
    history.record(apply_edit(nudge_clip(timeline, "logo", 1), timeline))  # another clip
    history.seal()  # e.g. the selection changed
    timeline = build_timeline(project)
    history.record(apply_edit(nudge_clip(timeline, "logo", 1), timeline))
    history.undo()
    history.undo()
    assert build_timeline(project).clip("logo").start_frame == 6
    assert history.undo_label == "Nudge reel"
    history.undo()
    assert path.read_bytes() == original and not history.can_undo


def test_a_warned_split_needs_confirmation(project: Path) -> None:
    path = project / "index.html"
    original = path.read_bytes()
    timeline = build_timeline(project)
    edit = split_clip(timeline, "logo", 24)
    with pytest.raises(ConfirmationRequired, match='"#logo"'):
        apply_edit(edit, timeline)
    assert path.read_bytes() == original
    apply_edit(edit, timeline, confirmed=True)
    assert 'id="logo-2"' in path.read_text(encoding="utf-8")


def test_a_no_op_edit_writes_nothing(project: Path) -> None:
    path = project / "index.html"
    mtime = path.stat().st_mtime_ns
    timeline = build_timeline(project)
    history = EditHistory(project)
    history.record(apply_edit(move_clip(timeline, "logo", 6), timeline))
    assert path.stat().st_mtime_ns == mtime and not history.can_undo
