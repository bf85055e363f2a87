"""File → New Project…: templates with pictures rendered by our own still, resolution, frame
rate and folder; Create writes the project and the window opens it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hyperframes_desktop.scaffold import list_templates
from hyperframes_desktop.ui.new_project_dialog import NewProjectDialog


def test_dialog_shows_every_template_with_its_picture(qtbot: Any, tmp_path: Path) -> None:
    dialog = NewProjectDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.templates.count() == len(list_templates())
    qtbot.waitUntil(lambda: dialog.pictures_shown() == dialog.templates.count(), timeout=90_000)
    dialog.reject()
    # a second dialog takes them from the cache at once
    again = NewProjectDialog(tmp_path)
    qtbot.addWidget(again)
    assert again.pictures_shown() == again.templates.count()
    again.reject()


def test_create_writes_the_chosen_template_and_refusals_stay_in_the_dialog(
    qtbot: Any, tmp_path: Path
) -> None:
    dialog = NewProjectDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_template("captions")
    dialog.resolution.setCurrentIndex(dialog.resolution.findData("square"))
    dialog.fps.setCurrentText("24")
    dialog.name.setText("film")
    with qtbot.waitSignal(dialog.created, timeout=5000) as made:
        assert dialog.create()
    assert made.args == [tmp_path / "film"]
    html = (tmp_path / "film" / "index.html").read_text(encoding="utf-8")
    assert 'data-width="1080" data-height="1080" data-fps="24"' in html
    assert (tmp_path / "film" / "assets" / "clip.mp4").is_file()

    again = NewProjectDialog(tmp_path)
    qtbot.addWidget(again)
    again.show()
    again.name.setText("film")
    assert not again.create()
    assert "is not empty" in again.error.text() and again.isVisible()
    again.reject()


def test_file_new_project_opens_the_new_project(open_window: Any, qtbot: Any, tmp_path: Path):
    window = open_window(None)
    window.actions.new_project.trigger()
    dialog = window.growth.new_project_dialog
    assert dialog.isVisible()
    dialog.parent_folder.setText(str(tmp_path))
    dialog.name.setText("fresh")
    dialog.select_template("title")
    dialog.create()
    qtbot.waitUntil(lambda: window.project == (tmp_path / "fresh").resolve(), timeout=10_000)
    assert not dialog.isVisible()
