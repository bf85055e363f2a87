"""The studio asks about a project's links leading out of its folder: the preview leaves them
out until "Allow for this project", which is remembered in the user's configuration folder,
never in the project, and the preview then loads what they lead to."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox
from ui_helpers import close_to, rgb_at

from hyperframes_desktop.project.outside_links import grants_path, remembered
from hyperframes_desktop.ui.outside_links_prompt import ALLOW

PAGE = """<!doctype html><html><head><link rel="stylesheet" href="shared/look.css">
<style>html, body { margin: 0; background: #fff; }</style></head><body>
<div id="stage" data-composition-id="main" data-start="0" data-width="320" data-height="180"
 data-duration="1" data-fps="10" data-no-timeline style="width:320px;height:180px">
<div id="box" style="width:320px;height:180px"></div></div></body></html>
"""
GREEN, WHITE = (0, 200, 0), (255, 255, 255)


def _linked_project(tmp_path: Path) -> Path:
    """A project whose ``shared`` is a link to a folder beside it (its stylesheet: green)."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "look.css").write_text("#box{background:rgb(0,200,0)}", "utf-8")
    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(PAGE, encoding="utf-8")
    os.symlink("../shared", project / "shared")
    return project


def test_allow_for_this_project_is_remembered_outside_the_project_and_the_preview_follows(
    open_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    project = _linked_project(tmp_path)
    before = sorted(p.name for p in project.iterdir())

    window = open_window(project)
    qtbot.waitUntil(lambda: window.outside_links.box is not None, timeout=10_000)
    box = window.outside_links.box
    assert "shared" in box.text() and str(tmp_path / "shared") in box.text()
    qtbot.waitUntil(lambda: window.preview.is_ready, timeout=20_000)
    stage = lambda: rgb_at(window.preview.view.grab_stage(), 0.5, 0.5)  # noqa: E731
    assert close_to(stage(), WHITE, tol=8), "left out until the user allows it"

    allow = next(b for b in box.buttons() if b.text() == ALLOW)
    assert box.buttonRole(allow) == QMessageBox.ButtonRole.AcceptRole
    allow.click()
    assert {link.rel for link in remembered(project)} == {"shared"}
    assert not grants_path().is_relative_to(project)
    assert sorted(p.name for p in project.iterdir()) == before  # nothing written in the project
    qtbot.waitUntil(lambda: close_to(stage(), GREEN, tol=8), timeout=20_000)


def test_studio_follow_outside_links_allows_that_project_until_quit_without_asking(
    open_window: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from hyperframes_desktop.project import outside_links

    monkeypatch.setattr(outside_links, "_session", set())  # this process only
    project = _linked_project(tmp_path)
    outside_links.allow_for_session(project)  # `studio p --follow-outside-links`

    window = open_window(project)
    qtbot.waitUntil(lambda: window.preview.is_ready, timeout=20_000)
    stage = lambda: rgb_at(window.preview.view.grab_stage(), 0.5, 0.5)  # noqa: E731
    qtbot.waitUntil(lambda: close_to(stage(), GREEN, tol=8), timeout=20_000)
    assert window.outside_links.box is None  # nothing to ask
    assert remembered(project) == frozenset()  # and nothing remembered
