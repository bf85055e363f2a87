"""The preview: frame-exact seeking, real-time playback and the NLE keys."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_helpers import close_to, make_project, rgb_at

RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)


def _stage_matches(window, checks: list[tuple[float, float, tuple[int, int, int]]]) -> bool:
    image = window.preview.view.grab_stage()
    return all(close_to(rgb_at(image, fx, fy), want) for fx, fy, want in checks)


def test_seeking_shows_the_expected_pixels(open_window, tmp_path: Path, qtbot) -> None:
    window = open_window(make_project(tmp_path / "p"))
    preview = window.preview
    assert preview.controller.frame_count == 60

    preview.seek(30)  # 1.0 s: blue stage, box at left 140..180 (centre x 160 of 320)
    qtbot.waitUntil(
        lambda: _stage_matches(window, [(20 / 320, 20 / 180, BLUE), (160 / 320, 0.5, WHITE)]),
        timeout=5000,
    )
    assert preview.view.driver.shown_frame == 30
    image = preview.view.grab_stage()
    assert close_to(rgb_at(image, 120 / 320, 0.5), BLUE)  # left of the box: stage, not box

    preview.seek(15)  # 0.5 s: red stage, box at left 70..110
    qtbot.waitUntil(
        lambda: _stage_matches(window, [(20 / 320, 20 / 180, RED), (90 / 320, 0.5, WHITE)]),
        timeout=5000,
    )
    assert "0:00.500" in window.preview.transport.clock.text()
    assert "frame 15 / 59" in window.preview.transport.clock.text()


def test_playback_keeps_real_time_and_loops(open_window, tmp_path: Path, qtbot) -> None:
    window = open_window(make_project(tmp_path / "p"))
    controller = window.preview.controller
    controller.set_loop(False)
    start = time.perf_counter()
    controller.play()
    qtbot.wait(500)
    elapsed = time.perf_counter() - start
    frame = controller.frame
    controller.pause()
    expected = elapsed * 30
    assert abs(frame - expected) <= 5, (frame, expected)

    controller.set_loop(True)
    controller.seek(55)
    controller.play()
    qtbot.waitUntil(lambda: controller.frame < 20, timeout=3000)  # wrapped past the end
    assert controller.playing
    controller.pause()

    controller.set_loop(False)
    controller.seek(57)
    controller.play()
    qtbot.waitUntil(lambda: not controller.playing, timeout=3000)
    assert controller.frame == 59


def test_keyboard_transport(open_window, tmp_path: Path, qtbot) -> None:
    window = open_window(make_project(tmp_path / "p"))
    controller = window.preview.controller
    window.activateWindow()
    window.setFocus()

    def key(k: Qt.Key) -> None:
        QTest.keyClick(window, k)

    key(Qt.Key.Key_End)
    assert controller.frame == 59
    key(Qt.Key.Key_Home)
    assert controller.frame == 0
    key(Qt.Key.Key_Right)
    key(Qt.Key.Key_Right)
    assert controller.frame == 2
    key(Qt.Key.Key_Left)
    assert controller.frame == 1
    key(Qt.Key.Key_L)
    assert controller.speed == 1.0
    key(Qt.Key.Key_L)
    assert controller.speed == 2.0
    key(Qt.Key.Key_K)
    assert not controller.playing
    key(Qt.Key.Key_J)
    assert controller.speed == -1.0
    key(Qt.Key.Key_J)
    assert controller.speed == -2.0
    key(Qt.Key.Key_Space)
    assert not controller.playing
    key(Qt.Key.Key_Space)
    assert controller.speed == 1.0
    key(Qt.Key.Key_Space)

    key(Qt.Key.Key_F)
    assert window.full_preview.active
    assert window.project_dock.isHidden() and window.menuBar().isHidden()
    key(Qt.Key.Key_Escape)
    assert not window.full_preview.active
    assert not window.project_dock.isHidden() and not window.menuBar().isHidden()


def test_scrubbing_the_slider_seeks_frame_by_frame(open_window, tmp_path: Path, qtbot) -> None:
    window = open_window(make_project(tmp_path / "p"))
    slider = window.preview.transport.slider
    assert (slider.minimum(), slider.maximum()) == (0, 59)
    slider.setValue(42)
    assert window.preview.controller.frame == 42
    qtbot.waitUntil(lambda: window.preview.view.driver.shown_frame == 42, timeout=5000)
