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


VIDEO_PAGE = """<!doctype html><html><head><style>
html, body { margin: 0; width: 160px; height: 90px; background: #000; }
video { position: absolute; left: 0; top: 0; width: 160px; height: 90px; }
</style></head><body>
<div id="r" data-composition-id="vid" data-width="160" data-height="90" data-duration="2"
     data-fps="10" data-no-timeline>
  <video id="v" class="clip" src="clip.mp4" data-start="0" data-duration="2"
         data-media-start="1" muted playsinline></video>
</div></body></html>"""


def test_preview_shows_the_renderers_extracted_video_frames(
    open_window, tmp_path: Path, qtbot
) -> None:
    from hyperframes_desktop.render import tools

    project = tmp_path / "video"
    project.mkdir()
    (project / "index.html").write_text(VIDEO_PAGE)
    made = tools.run_tool(
        "ffmpeg",
        ["-v", "error", "-f", "lavfi", "-i", "color=c=red:s=160x90:r=10:d=1", "-f", "lavfi",
         "-i", "color=c=blue:s=160x90:r=10:d=2", "-filter_complex", "[0:v][1:v]concat=n=2",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", "-y", str(project / "clip.mp4")],
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    window = open_window(project)
    view = window.preview.view
    # first the native <video>, then the page reloaded with the extracted frames
    qtbot.waitUntil(lambda: view.compiled.html_path.parent.name.endswith("-frames"), timeout=20_000)
    qtbot.waitUntil(lambda: window.preview.is_ready, timeout=20_000)
    window.preview.seek(5)  # 0.5 s into the clip = 1.5 s into the source: blue
    qtbot.waitUntil(lambda: _stage_matches(window, [(0.5, 0.5, BLUE)]), timeout=10_000)
