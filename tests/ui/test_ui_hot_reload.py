"""Hot reload: saves on disk show in the preview within 2 s, at the same frame."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ui_helpers import BROKEN_PAGE, close_to, css_page, make_project, rgb_at

from hyperframes_desktop.project.own_writes import forget_own_writes, record_own_write
from hyperframes_desktop.project.timeline import atomic_write

RED, GREEN, BLUE, WHITE = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)
RELOAD_MS = 2000  # the promise: an edit shows within 2 s
STAGE = (20 / 320, 20 / 180)  # a point of the stage's background, away from the box


def _stage_colour(window) -> tuple[int, int, int]:
    return rgb_at(window.preview.view.grab_stage(), *STAGE)


def _shows(window, frame: int, colour: tuple[int, int, int]) -> bool:
    """The reloaded page applied the seek to ``frame`` and the stage has ``colour``."""
    driver = window.preview.view.driver
    return driver.shown_frame == frame and close_to(_stage_colour(window), colour)


def _at_frame_30(window, qtbot) -> None:
    window.preview.seek(30)  # 1.0 s: blue stage, white box at left 140..180
    qtbot.waitUntil(lambda: close_to(_stage_colour(window), BLUE), timeout=5000)


def _save(path: Path, text: str) -> None:
    """Save as editors do: a temp file renamed over the original."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def test_a_colour_edit_shows_at_the_same_frame(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    _at_frame_30(window, qtbot)
    compiled_before = window.preview.view.compiled
    view = window.preview.view
    zoom, geometry = view.driver.page.zoomFactor(), view.web.geometry()
    curtain = window.preview.curtain
    during: list[tuple[bool, tuple[int, int, int]]] = []
    window.hot_reload.reloaded.connect(
        lambda _c: during.append((curtain.isVisible(), rgb_at(curtain.pixmap().toImage(), *STAGE)))
    )

    page = project / "index.html"
    page.write_text(page.read_text().replace("rgb(0, 0, 255)", "rgb(0, 255, 0)"))  # in place
    qtbot.waitUntil(lambda: _shows(window, 30, GREEN), timeout=RELOAD_MS)
    # while the new page loaded, a still of the last frame covered the stage; then it lifted
    assert during and during[0][0] and close_to(during[0][1], BLUE), during
    qtbot.waitUntil(lambda: not curtain.isVisible(), timeout=1000)
    assert window.preview.view.compiled is not compiled_before
    assert window.preview.controller.frame == 30
    assert view.driver.page.zoomFactor() == zoom and view.web.geometry() == geometry
    image = window.preview.view.grab_stage()
    assert close_to(rgb_at(image, 160 / 320, 0.5), WHITE)  # the box is where frame 30 has it


def test_play_state_survives_a_reload(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    controller = window.preview.controller
    controller.set_loop(True)
    controller.play()
    with qtbot.waitSignal(window.hot_reload.reloaded, timeout=RELOAD_MS):
        _save(project / "index.html", css_page(2.0, "main").replace("rgb(255, 0, 0)", "#f0f"))
    assert controller.playing and controller.speed == 1.0
    controller.pause()


CLIP_PAGE = """<!doctype html><html><head><style>
html, body {{ margin: 0; width: 320px; height: 180px; overflow: hidden; background: #000; }}
#stage {{ position: relative; width: 320px; height: 180px; background: rgb(255, 0, 0); }}
#card {{ position: absolute; inset: 0; background: rgb(0, 255, 0); }}
</style></head><body>
<div id="stage" data-composition-id="main" data-start="0" data-width="320" data-height="180"
     data-duration="2" data-fps="30" data-no-timeline>
  <div id="card" class="clip" data-start="{start}" data-duration="0.5" data-track-index="0"></div>
</div></body></html>
"""


def test_moving_a_clip_shows_at_the_same_frame(open_window, tmp_path: Path, qtbot) -> None:
    project = tmp_path / "clip"
    project.mkdir()
    (project / "index.html").write_text(CLIP_PAGE.format(start="0"))
    window = open_window(project)
    window.preview.seek(36)  # 1.2 s: the card (0–0.5 s) is gone, the stage is red
    qtbot.waitUntil(lambda: close_to(_stage_colour(window), RED), timeout=5000)

    _save(project / "index.html", CLIP_PAGE.format(start="1"))  # now 1.0–1.5 s
    qtbot.waitUntil(lambda: _shows(window, 36, GREEN), timeout=RELOAD_MS)
    assert window.preview.controller.frame == 36


def test_a_new_composition_file_appears_in_the_list(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    _at_frame_30(window, qtbot)
    panel = window.project_panel
    assert panel.list.count() == 1
    compiled_before = window.preview.view.compiled

    extra = project / "compositions" / "extra.html"
    extra.parent.mkdir()
    _save(extra, css_page(1.0, "extra"))
    qtbot.waitUntil(lambda: panel.list.count() == 2, timeout=RELOAD_MS)
    assert [i.path.name for i in panel.infos] == ["index.html", "extra.html"]
    assert window.render_panel.form.composition.count() == 2
    assert panel.current_info().path == project / "index.html"  # still the one previewed
    assert window.preview.view.compiled is compiled_before  # unrelated: not reloaded
    assert window.preview.controller.frame == 30
    with qtbot.waitSignal(window.thumbnails.thumbnail_ready, timeout=10_000) as got:
        pass
    assert got.args[0] in (str(extra), str(project / "index.html"))


def test_a_deleted_composition_file_leaves_the_list(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p", extra={"compositions/a.html": css_page(1.0, "a")})
    window = open_window(project)
    _at_frame_30(window, qtbot)
    panel = window.project_panel
    assert [i.path.name for i in panel.infos] == ["index.html", "a.html"]
    assert window.render_panel.form.composition.count() == 2
    compiled_before = window.preview.view.compiled

    (project / "compositions" / "a.html").unlink()
    qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=RELOAD_MS)
    assert [i.path.name for i in panel.infos] == ["index.html"]
    qtbot.waitUntil(lambda: window.render_panel.form.composition.count() == 1, timeout=RELOAD_MS)
    assert window.render_panel.form.current_composition().path == project / "index.html"
    assert panel.current_info().path == project / "index.html"  # still the one previewed
    assert window.preview.view.compiled is compiled_before  # unrelated: not reloaded
    assert window.preview.controller.frame == 30


def test_deleting_the_previewed_composition_shows_another(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = make_project(tmp_path / "p", extra={"compositions/a.html": css_page(1.0, "a")})
    window = open_window(project)
    old = project / "compositions" / "a.html"
    assert window.project_panel.select(old)
    qtbot.waitUntil(
        lambda: window.preview.is_ready and window.preview.composition.path == old, timeout=10_000
    )

    old.unlink()
    panel = window.project_panel
    qtbot.waitUntil(lambda: [i.path.name for i in panel.infos] == ["index.html"], timeout=RELOAD_MS)
    qtbot.waitUntil(
        lambda: window.preview.composition.path == project / "index.html", timeout=RELOAD_MS
    )
    assert panel.current_info().path == project / "index.html"
    assert window.render_panel.form.current_composition().path == project / "index.html"
    assert window.hot_reload.broken is None
    window.preview.seek(30)
    qtbot.waitUntil(lambda: _shows(window, 30, BLUE), timeout=5000)  # a working preview


def test_a_broken_save_keeps_the_last_frame_and_fixing_it_recovers(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    # tall enough that the note line under the stage does not shrink the (width-bound) stage
    window.resize(window.width(), 1000)
    _at_frame_30(window, qtbot)
    good = window.preview.view.grab_stage()
    compiled = window.preview.view.compiled

    problems = window.problems
    _save(project / "index.html", BROKEN_PAGE)  # no data-width
    qtbot.waitUntil(lambda: window.hot_reload.broken is not None, timeout=RELOAD_MS)

    def listed() -> list:
        return [p for p in problems.problems() if p.severity == "error"]

    qtbot.waitUntil(lambda: any(p.attribute == "data-width" for p in listed()), timeout=5000)
    assert "error" in window.problem_counts.text()
    assert "data-width" in window.hot_reload.broken
    notes = window.preview.notes
    assert notes.isVisible() and "data-width" in notes.text()
    assert "data-width" in window.statusBar().currentMessage()
    assert window.preview.view.compiled is compiled
    assert window.preview.view.grab_stage() == good  # the last good frame, untouched
    assert window.preview.actions.play_pause.isEnabled()  # still a working preview

    _save(project / "index.html", css_page(2.0, "main").replace("rgb(0, 0, 255)", "#0f0"))
    qtbot.waitUntil(lambda: _shows(window, 30, GREEN), timeout=RELOAD_MS)
    assert window.hot_reload.broken is None
    assert not notes.isVisible()
    qtbot.waitUntil(lambda: not listed(), timeout=5000)
    assert window.preview.controller.frame == 30


def test_the_apps_own_write_is_not_reloaded(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    _at_frame_30(window, qtbot)
    compiled = window.preview.view.compiled
    reloads: list[object] = []
    window.hot_reload.reloaded.connect(reloads.append)
    page = project / "index.html"
    try:
        thumbs = window.thumbnails
        qtbot.waitUntil(lambda: not thumbs.busy, timeout=10_000)
        made = thumbs.made
        checks: list[None] = []
        window.problems.checked.connect(lambda: checks.append(None))
        data = page.read_bytes().replace(b"rgb(0, 0, 255)", b"rgb(0, 255, 0)")
        page.write_bytes(data)
        record_own_write(page, data)  # as the timeline's write-back does
        qtbot.wait(1000)
        assert reloads == [] and window.preview.view.compiled is compiled
        assert close_to(_stage_colour(window), BLUE)
        # not reloaded, but the thumbnail and the problems catch up with the edit
        qtbot.waitUntil(lambda: thumbs.made == made + 1 and bool(checks), timeout=5000)

        # the same file saved by an editor afterwards is reloaded (the check above can fail)
        page.write_bytes(data.replace(b"rgb(0, 255, 0)", b"rgb(255, 255, 0)"))
        qtbot.waitUntil(lambda: _shows(window, 30, (255, 255, 0)), timeout=RELOAD_MS)
        assert len(reloads) == 1
    finally:
        forget_own_writes()


def test_scratch_files_and_renders_do_not_reload(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    reloads: list[object] = []
    window.hot_reload.reloaded.connect(reloads.append)
    (project / ".index.html.swp").write_text("swap")
    (project / "index.html~").write_text("backup")
    (project / "4913").write_text("")
    (project / "renders").mkdir()
    (project / "renders" / "index.mp4").write_bytes(b"\0" * 64)
    qtbot.wait(800)
    assert reloads == []
    (project / "renders" / "sub").mkdir()
    (project / "logo.png").write_bytes(b"png")  # a real project file: reported
    qtbot.waitUntil(lambda: len(reloads) == 1, timeout=RELOAD_MS)
    assert reloads[0].added == {project / "logo.png"}


def test_a_project_opened_broken_loads_once_fixed(open_window, tmp_path: Path, qtbot) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(BROKEN_PAGE)
    window = open_window(project, ready=False)
    assert window.preview.composition is None
    _save(project / "index.html", css_page(2.0, "main"))
    # a first load of the page (nothing was shown), not a reload: the fixture allows 20 s
    qtbot.waitUntil(lambda: window.preview.is_ready, timeout=5000)
    assert window.preview.composition.path == project / "index.html"
    # the lists follow once the page shows its frame (just after it is ready)
    form = window.render_panel.form
    qtbot.waitUntil(lambda: form.current_composition() is not None, timeout=5000)


def test_reload_current_shows_the_apps_own_edit(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    _at_frame_30(window, qtbot)
    page = project / "index.html"
    try:
        data = page.read_bytes().replace(b"rgb(0, 0, 255)", b"rgb(0, 255, 0)")
        page.write_bytes(data)
        record_own_write(page, data)
        window.hot_reload.reload_current()  # what the timeline does after writing back
        qtbot.waitUntil(lambda: _shows(window, 30, GREEN), timeout=RELOAD_MS)
    finally:
        forget_own_writes()


def test_only_the_changed_compositions_thumbnail_is_redone(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = make_project(
        tmp_path / "p",
        extra={
            "compositions/a.html": css_page(1.0, "a"),
            "compositions/b.html": css_page(1.0, "b"),
        },
    )
    window = open_window(project)
    thumbs = window.thumbnails
    qtbot.waitUntil(lambda: thumbs.made == 3 and not thumbs.busy, timeout=20_000)
    got: list[str] = []
    thumbs.thumbnail_ready.connect(lambda path, _image: got.append(path))

    _save(project / "compositions" / "b.html", css_page(1.0, "b").replace("#fff", "#0f0"))
    qtbot.waitUntil(lambda: thumbs.made == 4, timeout=RELOAD_MS)
    qtbot.waitUntil(lambda: not thumbs.busy, timeout=10_000)
    assert thumbs.made == 4  # b only; a and index.html came from the cache
    assert got.count(str(project / "compositions" / "b.html")) == 1
    assert window.preview.composition.path == project / "index.html"


def test_a_save_shows_while_another_file_is_written_continuously(
    open_window, tmp_path: Path, qtbot
) -> None:
    """A tool appending to a log in the project every 50 ms never lets the folder go quiet;
    a save still shows (the debounce has a ceiling)."""
    from PySide6.QtCore import QTimer

    project = make_project(tmp_path / "p")
    window = open_window(project)
    _at_frame_30(window, qtbot)
    log = project / "agent.log"
    writer = QTimer()
    writer.setInterval(50)

    def append() -> None:
        with log.open("a") as fh:
            fh.write("working\n")

    writer.timeout.connect(append)
    writer.start()
    try:
        qtbot.wait(300)
        page = project / "index.html"
        page.write_text(page.read_text().replace("rgb(0, 0, 255)", "rgb(0, 255, 0)"))
        qtbot.waitUntil(lambda: _shows(window, 30, GREEN), timeout=RELOAD_MS)
    finally:
        writer.stop()


def test_renaming_the_previewed_file_keeps_the_frame(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p", extra={"compositions/a.html": css_page(2.0, "a")})
    window = open_window(project)
    old, new = project / "compositions" / "a.html", project / "compositions" / "intro.html"
    assert window.project_panel.select(old)
    qtbot.waitUntil(
        lambda: window.preview.is_ready and window.preview.composition.path == old, timeout=10_000
    )
    _at_frame_30(window, qtbot)
    window.preview.controller.in_out.set_in(20)

    os.rename(old, new)
    qtbot.waitUntil(lambda: window.preview.composition.path == new, timeout=RELOAD_MS)
    assert window.project_panel.current_info().path == new
    assert [i.path.name for i in window.project_panel.infos] == ["index.html", "intro.html"]
    qtbot.waitUntil(lambda: _shows(window, 30, BLUE), timeout=RELOAD_MS)
    assert window.preview.controller.frame == 30
    assert window.preview.controller.in_out.frames() == (20, 59)
    assert window.render_panel.form.current_composition().path == new


def test_a_closed_window_stops_watching(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    reports: list[object] = []
    window.hot_reload.watcher.changed.connect(reports.append)
    (project / "index.html").write_text(css_page(2.0, "main").replace("#fff", "#0f0"))
    window.close()  # within the debounce: the report must not reach the closed window
    assert not window.hot_reload.watcher.watching
    qtbot.wait(500)
    assert reports == []


def test_an_editor_undo_back_to_the_apps_bytes_is_reloaded(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    _at_frame_30(window, qtbot)
    page = project / "index.html"
    try:
        original = page.read_bytes()
        green = original.replace(b"rgb(0, 0, 255)", b"rgb(0, 255, 0)")
        atomic_write(page, green)  # the studio's own write: not reloaded by the watcher
        qtbot.wait(700)
        window.hot_reload.reload_current()  # as the timeline does after its write-back
        qtbot.waitUntil(lambda: _shows(window, 30, GREEN), timeout=RELOAD_MS)
        _save(page, original.decode())  # the editor undoes to blue...
        qtbot.waitUntil(lambda: _shows(window, 30, BLUE), timeout=RELOAD_MS)
        _save(page, green.decode())  # ...and redoes: the studio's bytes again, a new file
        qtbot.waitUntil(lambda: _shows(window, 30, GREEN), timeout=RELOAD_MS)
    finally:
        forget_own_writes()


def test_a_project_folder_deleted_while_open_shows_a_banner(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    _at_frame_30(window, qtbot)
    banner = window.project_banner
    assert not banner.isVisible()
    shutil.rmtree(project)
    qtbot.waitUntil(banner.isVisible, timeout=RELOAD_MS)
    assert project.name in banner.text.text() and "deleted or moved" in banner.text.text()
    make_project(project)  # it comes back: Try Again opens it and the banner goes
    banner.retry.click()
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=2000)
    assert window.project == project.resolve()
