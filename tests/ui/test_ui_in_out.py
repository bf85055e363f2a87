"""The in/out range: keys, the scrubber, loop playback inside it, and a range render."""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from support import media
from ui_helpers import make_project, probe

from hyperframes_desktop.ui.renders.range_choice import RANGE, WHOLE


def _key(window, key: Qt.Key, shift: bool = False) -> None:
    modifier = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    QTest.keyClick(window, key, modifier)


def test_keys_set_clear_and_jump_to_in_and_out(open_window, tmp_path: Path, qtbot) -> None:
    window = open_window(make_project(tmp_path / "p"))
    window.activateWindow()
    controller = window.preview.controller
    rng = controller.in_out
    changes: list[None] = []
    rng.range_changed.connect(lambda: changes.append(None))
    assert not rng.active and rng.frames() is None

    controller.seek(10)
    _key(window, Qt.Key.Key_I)
    controller.seek(40)
    _key(window, Qt.Key.Key_O)
    assert (rng.in_frame, rng.out_frame) == (10, 40) and rng.frames() == (10, 40)
    assert len(changes) == 2
    controller.seek(25)
    _key(window, Qt.Key.Key_A)
    assert controller.frame == 10
    _key(window, Qt.Key.Key_E)
    assert controller.frame == 40

    slider = window.preview.transport.slider
    band = slider.range_rect()
    assert band is not None
    assert slider.x_of(0) < band.left() < band.right() < slider.x_of(59)
    assert abs(band.left() - slider.x_of(10)) <= 1 and abs(band.right() - slider.x_of(40)) <= 2
    assert "frames 10–40" in slider.toolTip()

    _key(window, Qt.Key.Key_I, shift=True)
    assert rng.in_frame is None and rng.frames() == (0, 40)
    _key(window, Qt.Key.Key_A)
    assert controller.frame == 0  # no in point: the start
    _key(window, Qt.Key.Key_O, shift=True)
    assert not rng.active and slider.range_rect() is None

    controller.seek(50)
    _key(window, Qt.Key.Key_O)
    controller.seek(55)
    _key(window, Qt.Key.Key_I)  # in after out: the out point goes, never a backwards range
    assert (rng.in_frame, rng.out_frame) == (55, None)
    assert rng.frames() == (55, 59)


def test_marks_are_in_the_playback_menu_and_do_not_steal_other_keys(open_window, qtbot) -> None:
    window = open_window()
    marks = window.preview.in_out_actions.all()
    playback_menu = next(a.menu() for a in window.menuBar().actions() if "Playback" in a.text())
    assert set(marks) <= set(playback_menu.actions())
    registered = QWidget.actions(window)  # window.actions is the window's own command set
    keys = [s.toString() for a in registered for s in a.shortcuts()]
    assert len(keys) == len(set(keys)), keys  # no key bound twice
    assert {"I", "O", "Shift+I", "Shift+O", "A", "E"} <= set(keys)


def test_loop_plays_inside_the_range(open_window, tmp_path: Path, qtbot) -> None:
    window = open_window(make_project(tmp_path / "p"))
    controller = window.preview.controller
    controller.in_out.set_in(20)
    controller.in_out.set_out(30)
    controller.set_loop(True)
    controller.seek(5)  # outside the range: playing starts at the in point
    seen: list[int] = []
    controller.frame_changed.connect(seen.append)
    controller.play()
    qtbot.wait(1000)  # 30 frames at 30 fps: one wrap at least (the range is 11 frames)
    controller.pause()
    assert seen and min(seen) >= 20 and max(seen) <= 30, seen
    wraps = sum(1 for a, b in itertools.pairwise(seen) if b < a)
    assert wraps >= 1, seen

    controller.set_loop(False)  # without loop the range does not hold playback
    controller.seek(28)
    controller.play()
    qtbot.waitUntil(lambda: not controller.playing, timeout=3000)
    assert controller.frame == 59


#: A tone heard from 0.5 s to 1.5 s of the 2 s composition: it covers the range's frames 25–34.
TONE_CLIP = (
    '<audio id="tone" class="clip" src="tone.wav" data-start="0.5" data-duration="1"></audio>'
)


def test_a_studio_range_render_has_exactly_the_range(open_window, tmp_path: Path, qtbot) -> None:
    """Issue 10: END-START+1 frames equal to those frames of a full render, and audio as long
    as the video."""
    project = make_project(tmp_path / "p")  # red stage before frame 30, blue from 30
    index = project / "index.html"
    box = '<div id="box"></div>'
    index.write_text(index.read_text().replace(box, box + TONE_CLIP))
    media.write_tone(project / "tone.wav", seconds=3.0)
    window = open_window(project)
    form = window.render_panel.form
    assert not form.span.model().item(1).isEnabled()  # no marks yet
    controller = window.preview.controller
    controller.seek(25)
    controller.in_out.set_in(25)
    controller.seek(34)
    controller.in_out.set_out(34)
    assert form.span.model().item(1).isEnabled()
    form.span.setCurrentIndex(form.span.findData(RANGE))
    assert form.frames() == (25, 34)

    qtbot.mouseClick(form.render_button, Qt.MouseButton.LeftButton)
    jobs = list(window.queue.jobs.values())
    assert len(jobs) == 1 and jobs[0].frames == (25, 34)
    job = jobs[0]
    qtbot.waitUntil(lambda: not job.active, timeout=90_000)
    assert job.status == "complete", job.error
    assert job.output == project / "renders" / "index_frames25-34.mp4"
    info = media.probe(job.output)
    (video,) = [s for s in info["streams"] if s["codec_type"] == "video"]
    (sound,) = [s for s in info["streams"] if s["codec_type"] == "audio"]
    assert int(video["nb_read_frames"]) == 34 - 25 + 1
    assert abs(float(sound["duration"]) - float(video["duration"])) < 0.05, (sound, video)
    assert abs(float(video["duration"]) - 10 / 30) < 0.01
    frames = media.all_frames_rgb(job.output)
    assert len(frames) == 10
    stage = [media.pixel(f, 20, 20) for f in frames]
    assert all(media.near(c, (255, 0, 0), 40) for c in stage[:5]), stage  # frames 25–29
    assert all(media.near(c, (0, 0, 255), 40) for c in stage[5:]), stage  # frames 30–34

    # The same frames of a full render with the same settings, decoded: the moving box too.
    form.span.setCurrentIndex(form.span.findData(WHOLE))
    assert form.frames() is None
    qtbot.mouseClick(form.render_button, Qt.MouseButton.LeftButton)
    (full,) = [j for j in window.queue.jobs.values() if j is not job]
    qtbot.waitUntil(lambda: not full.active, timeout=90_000)
    assert full.status == "complete", full.error
    assert int(probe(full.output)["nb_read_frames"]) == 60
    theirs = media.all_frames_rgb(full.output)[25:35]
    for number, (a, b) in enumerate(zip(frames, theirs, strict=True), start=25):
        diff = sum(abs(x - y) for x, y in zip(a.data, b.data, strict=True)) / len(a.data)
        assert diff < 3.0, f"frame {number} differs from the full render ({diff:.2f})"


def test_marks_are_kept_per_composition_and_clamped_to_its_length(qapp) -> None:
    from hyperframes_desktop.ui.in_out_range import InOutRange

    rng = InOutRange()
    a, b = Path("/p/a.html"), Path("/p/b.html")
    rng.set_composition(a, 60)
    rng.set_in(10)
    rng.set_out(50)
    rng.set_composition(b, 90)
    assert rng.frames() is None and rng.span() == (0, 89)
    rng.set_composition(a, 60)
    assert rng.frames() == (10, 50)
    rng.set_length(40)  # a save made it shorter: the out mark is past the end
    assert (rng.in_frame, rng.out_frame) == (10, None) and rng.span() == (10, 39)
    rng.set_out(100)  # clamped to the last frame
    assert rng.out_frame == 39
    rng.set_composition(None, 1)
    assert not rng.active
