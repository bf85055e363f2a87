"""Opening projects: compositions listed with their facts, thumbnails, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QUrl
from ui_helpers import BROKEN_PAGE, SAMPLES, css_page, make_project

from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.project_panel import project_from_mime


def _texts(window) -> list[str]:
    items = window.project_panel.list
    return [items.item(i).text() for i in range(items.count())]


@pytest.mark.skipif(not (SAMPLES / "kinetic-css").is_dir(), reason="shared samples absent")
def test_sample_project_lists_its_compositions_and_previews_the_first(open_window) -> None:
    window = open_window(SAMPLES / "kinetic-css")
    texts = _texts(window)
    assert len(texts) == 1
    assert texts[0].startswith("index.html")
    assert "1280×720" in texts[0] and "3 s" in texts[0] and "30 fps" in texts[0]
    assert window.preview.is_ready
    assert window.preview.controller.frame_count == 90
    assert window.render_panel.form.composition.currentText() == "index.html"
    assert "kinetic-css" in window.windowTitle()


@pytest.mark.skipif(not (SAMPLES / "nested").is_dir(), reason="shared samples absent")
def test_nested_sample_lists_the_sub_composition(open_window) -> None:
    window = open_window(SAMPLES / "nested", ready=False)
    texts = _texts(window)
    assert texts[0].startswith("index.html")
    assert any(t.startswith("compositions/card.html") for t in texts)
    assert any("sub-composition" in t for t in texts)


def test_thumbnails_arrive_in_the_background(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p", extra={"second.html": css_page(1.0, "second")})
    window = open_window(project)
    assert len(_texts(window)) == 2
    got: list[str] = []
    window.thumbnails.thumbnail_ready.connect(_collector(got))
    window.thumbnails.request(project, [project / "index.html", project / "second.html"])
    want = {str(project / "index.html"), str(project / "second.html")}
    qtbot.waitUntil(lambda: set(got) == want, timeout=20_000)
    assert len(got) == 2
    icons = window.project_panel.list
    assert all(not icons.item(i).icon().isNull() for i in range(icons.count()))


def test_broken_composition_shows_the_engine_message(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p", extra={"broken.html": BROKEN_PAGE})
    window = open_window(project)
    texts = _texts(window)
    broken = next(t for t in texts if t.startswith("broken.html"))
    assert "data-width" in broken
    window.project_panel.select(project / "broken.html")
    assert not window.preview.view.message.isHidden()
    assert "data-width" in window.preview.view.message.text()
    # broken compositions are not offered for rendering
    combo = window.render_panel.form.composition
    assert [combo.itemText(i) for i in range(combo.count())] == ["index.html"]


def test_a_missing_folder_is_explained_in_the_panel(open_window, tmp_path: Path) -> None:
    window = open_window(None)
    assert window.open_project(tmp_path / "nope") is False
    assert not window.project_panel.error.isHidden()
    assert "does not exist" in window.project_panel.error.text()
    assert window.render_panel.form.render_button.isEnabled() is False


def test_recent_projects_persist_and_drops_open_folders(open_window, tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    saved = store.load_settings()
    assert saved.last_project == str(project.resolve())
    assert saved.recent_projects[0] == str(project.resolve())
    assert window.project_panel.recent_menu.actions()[0].text() == str(project.resolve())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(project / "index.html"))])
    assert project_from_mime(mime) == project
    mime.setUrls([QUrl.fromLocalFile(str(project))])
    assert project_from_mime(mime) == project


def _collector(into: list[str]):
    def collect(path: str, _image: object) -> None:
        into.append(path)

    return collect
