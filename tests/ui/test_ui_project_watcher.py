"""The project watcher alone: recursive, debounced, own writes skipped (real files, inotify)."""

from __future__ import annotations

from pathlib import Path

from hyperframes_desktop.project.own_writes import forget_own_writes, record_own_write
from hyperframes_desktop.ui.project_watcher import ProjectWatcher


def _project(root: Path) -> Path:
    (root / "compositions").mkdir(parents=True)
    (root / "index.html").write_text("<div></div>")
    (root / "compositions" / "a.html").write_text("<div></div>")
    return root


def test_new_folders_are_watched_and_a_burst_is_one_report(tmp_path: Path, qtbot) -> None:
    root = _project(tmp_path / "p")
    watcher = ProjectWatcher()
    watcher.watch(root)
    reports: list = []
    watcher.changed.connect(reports.append)

    deep = root / "assets" / "new" / "deep"
    deep.mkdir(parents=True)  # three levels at once: found by the re-scan
    (deep / "x.css").write_text("a{}")
    for n in range(5):  # a burst of saves: one report
        (root / "compositions" / "a.html").write_text(f"<div>{n}</div>")
    qtbot.waitUntil(lambda: len(reports) == 1, timeout=2000)
    qtbot.wait(400)
    assert len(reports) == 1
    assert reports[0].added == {deep / "x.css"}
    assert reports[0].modified == {root / "compositions" / "a.html"}

    (deep / "x.css").write_text("a{color:red}")  # in place, in a folder created after watch()
    qtbot.waitUntil(lambda: len(reports) == 2, timeout=2000)
    assert reports[1].modified == {deep / "x.css"}
    watcher.stop()


def test_own_writes_and_scratch_files_are_not_reported(tmp_path: Path, qtbot) -> None:
    root = _project(tmp_path / "p")
    watcher = ProjectWatcher()
    watcher.watch(root)
    reports: list = []
    watcher.changed.connect(reports.append)
    page = root / "index.html"
    try:
        data = b"<div>timeline edit</div>"
        page.write_bytes(data)
        record_own_write(page, data)
        (root / ".index.html.swp").write_text("swap")
        (root / "index.html~").write_text("backup")
        qtbot.wait(600)
        assert reports == []
        page.write_bytes(b"<div>editor</div>")
        qtbot.waitUntil(lambda: len(reports) == 1, timeout=2000)
        assert reports[0].modified == {page}
    finally:
        forget_own_writes()
        watcher.stop()


def test_stop_and_an_unwatched_folder_report_nothing(tmp_path: Path, qtbot) -> None:
    root = _project(tmp_path / "p")
    watcher = ProjectWatcher()
    watcher.watch(root)
    reports: list = []
    watcher.changed.connect(reports.append)
    watcher.stop()
    (root / "index.html").write_text("<div>changed</div>")
    qtbot.wait(500)
    assert reports == [] and not watcher.watching
