"""Closing the window ends everything it started: nothing acts after it closed."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QThreadPool
from test_ui_preview import VIDEO_PAGE
from ui_helpers import css_page, make_project, render_children


def test_a_save_after_the_window_closed_does_nothing(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p", extra={"other.html": css_page(1.0, "other")})
    window = open_window(project)
    qtbot.waitUntil(lambda: not window.thumbnails.busy, timeout=20_000)
    made = window.thumbnails.made
    window.close()
    assert not window.hot_reload.watcher.watching
    (project / "other.html").write_text(css_page(1.5, "other"), encoding="utf-8")
    (project / "new.html").write_text(css_page(1.0, "new"), encoding="utf-8")
    qtbot.wait(800)  # well past the watcher's debounce: a live watcher would have reloaded
    assert window.thumbnails.made == made
    assert window.project_panel.list.count() == 2


def test_closing_during_video_frame_extraction_stops_it(open_window, tmp_path: Path, qtbot) -> None:
    from hyperframes_desktop.render import tools

    project = tmp_path / "video"
    project.mkdir()
    page = VIDEO_PAGE.replace('data-duration="2"', 'data-duration="6"')
    (project / "index.html").write_text(page, encoding="utf-8")
    made = tools.run_tool(
        "ffmpeg",
        ["-v", "error", "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=30:d=7", "-c:v", "libx264",
         "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-y", str(project / "clip.mp4")],
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    window = open_window(project, ready=False)
    view = window.preview.view
    qtbot.waitUntil(lambda: view._frames_task is not None, timeout=20_000)
    task = view._frames_task
    window.close()
    assert task.cancel.is_set()
    assert QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.wait(100)  # a late result would be delivered now
    assert not view.compiled.html_path.parent.name.endswith("-frames")
    assert not render_children()


def test_a_value_typed_just_before_closing_is_kept_not_previewed(
    open_window, tmp_path: Path, qtbot
) -> None:
    from test_variables_panel import PAGE, SCHEMA

    from hyperframes_desktop.ui import store

    project = tmp_path / "vars"
    project.mkdir()
    (project / "index.html").write_text(PAGE.format(schema=json.dumps(SCHEMA)), encoding="utf-8")
    window = open_window(project)
    window.variables_panel.set_value("bg", "#0000ff")  # applied after a short pause…
    window.close()  # …which the close does not wait for
    assert store.load_variable_values(project, project / "index.html") == {"bg": "#0000ff"}
    loads = window.preview.view._loads
    qtbot.wait(500)  # past the pause: nothing is applied to the closed preview
    assert window.preview.view._loads == loads
