"""The stage on a shared sample as people write them (pytest-qt, real page, real files): the
nested 1080p sample's bar chart lives in a sub-composition's ``<template>``, and its bars
have no id. One is picked, dragged by N CSS px at a known zoom, written back byte-exact
into compositions/card.html, and undone."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from support.projects import copy_sample
from timeline_helpers import drag

#: The second bar of compositions/card.html (``style="left: 200px; height: 260px;"``).
APRIL = "@compositions/card.html#template:0/div:0/div:0/div:0/div:1"
MARGIN = 8  # the preview's margin around the stage (ui/preview/view.py)


def test_an_idless_bar_in_a_sub_composition_drags_by_n_at_zoom_half(
    open_window, tmp_path, qtbot
) -> None:
    project = copy_sample("nested", tmp_path / "nested")
    card = project / "compositions" / "card.html"
    index_before, card_before = (project / "index.html").read_bytes(), card.read_bytes()
    window = open_window(project)
    editor = window.canvas
    editor.view.setFixedSize(1920 // 2 + 2 * MARGIN, 1080 // 2 + 2 * MARGIN)
    qtbot.waitUntil(lambda: APRIL in editor.files and editor.zoom() == 0.5, timeout=10_000)
    window.preview.seek(78)  # host 2.6 s = card 1.6 s: the panel and its bars at rest
    qtbot.waitUntil(lambda: window.preview.view.driver.shown_frame == 78, timeout=10_000)
    editor.rects = {}  # an answer from before the seek must not count
    editor.refresh()
    qtbot.waitUntil(lambda: bool(editor.rects.get(APRIL, {}).get("shown")), timeout=5000)
    r = editor.rects[APRIL]
    web = editor.view.web
    centre = QPoint(
        round(web.x() + (r["x"] + r["w"] / 2) * 0.5), round(web.y() + (r["y"] + r["h"] / 2) * 0.5)
    )
    QTest.mouseClick(editor.view.catcher, Qt.MouseButton.LeftButton, pos=centre)
    qtbot.waitUntil(lambda: window.model.selection == {APRIL}, timeout=5000)
    qtbot.waitUntil(lambda: len(editor.overlay.boxes) == 1, timeout=5000)
    drag(editor.view.catcher, centre, centre + QPoint(40, 0), shift=True)  # 40 px on screen
    assert card.read_bytes() == card_before.replace(
        b'<div class="bar" style="left: 200px; height',
        b'<div class="bar" style="left: 280px; height',
    )
    assert (project / "index.html").read_bytes() == index_before
    window.timeline.actions.undo.trigger()
    assert card.read_bytes() == card_before
