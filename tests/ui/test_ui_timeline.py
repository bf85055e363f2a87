"""The timeline dock with real files, the real model and the real preview (pytest-qt)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from timeline_helpers import bar_point, card_project, drag, release, video_project
from ui_helpers import close_to, rgb_at

from hyperframes_desktop.project.timeline import build_timeline

GREEN, BLACK = (0, 200, 0), (0, 0, 0)
CARD = (70 / 320, 50 / 180)  # the card's centre, as fractions of the stage


def _stage_shows(window, frame: int, colour, qtbot) -> None:
    window.preview.seek(frame)
    qtbot.waitUntil(
        lambda: (
            window.preview.view.driver.shown_frame == frame
            and close_to(rgb_at(window.preview.view.grab_stage(), *CARD), colour)
        ),
        timeout=10_000,
    )


def _timeline_ready(window, qtbot, key: str) -> None:
    qtbot.waitUntil(lambda: window.timeline.canvas.bar_by_key(key) is not None, timeout=10_000)


def _zoom_20(canvas) -> None:
    canvas.set_zoom(20.0)
    canvas.horizontalScrollBar().setValue(0)
    assert canvas.scale.px_per_frame == 20.0 and canvas.scale.offset == 0.0


def _data_start(text: str, element_id: str) -> str:
    tag = re.search(rf"<[^>]*id=['\"]{element_id}['\"][^>]*>", text)
    assert tag is not None
    value = re.search(r"data-start=['\"]([^'\"]*)['\"]", tag.group(0))
    assert value is not None
    return value.group(1)


def test_dragging_a_clip_moves_it_in_the_file_and_the_preview_undo_restores_bytes(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = card_project(tmp_path / "p")
    index = project / "index.html"
    original = index.read_bytes()
    window = open_window(project)
    timeline = window.timeline
    _timeline_ready(window, qtbot, "card")
    canvas = timeline.canvas
    _stage_shows(window, 20, GREEN, qtbot)  # frames 15-29: the card is on screen

    _zoom_20(canvas)  # 20 px per frame: 200 px is 10 frames
    start = bar_point(canvas, "card")
    drag(canvas.viewport(), start, start + QPoint(200, 0), shift=True)  # Shift: no snapping

    after = index.read_text(encoding="utf-8")
    assert float(_data_start(after, "card")) * 30 == pytest.approx(25, abs=1e-3)
    assert build_timeline(project).clip_by_id("card").start_frame == 25
    # only the value changed: comment, quoting and attribute order are as written
    assert re.sub(r'data-start="[^"]*"', "", after, count=2) == re.sub(
        r'data-start="[^"]*"', "", original.decode(), count=2
    )
    assert canvas.bar_by_key("card").start == 25
    assert not timeline.panel.banner.isVisible()
    # the studio's own write is not hot-reloaded as if an editor had saved it
    with qtbot.assertNotEmitted(window.hot_reload.reloaded, wait=1200):
        pass

    # the preview reloaded and shows the card at its new time (frames 25-39)
    qtbot.waitUntil(lambda: window.preview.is_ready, timeout=20_000)
    _stage_shows(window, 20, BLACK, qtbot)
    _stage_shows(window, 35, GREEN, qtbot)
    assert window.preview.controller.frame == 35

    window.activateWindow()
    canvas.setFocus()
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert index.read_bytes() == original  # byte for byte
    assert canvas.bar_by_key("card").start == 15
    QTest.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert index.read_text(encoding="utf-8") == after
    timeline.actions.undo.trigger()
    assert index.read_bytes() == original
    qtbot.waitUntil(lambda: window.preview.is_ready, timeout=20_000)
    _stage_shows(window, 20, GREEN, qtbot)


def test_an_edit_of_a_file_changed_on_disk_is_refused_with_a_banner(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = card_project(tmp_path / "p")
    index = project / "index.html"
    window = open_window(project)
    _timeline_ready(window, qtbot, "card")
    canvas, banner = window.timeline.canvas, window.timeline.panel.banner
    _zoom_20(canvas)

    changed = index.read_text(encoding="utf-8").replace(
        "</body>", "<!-- saved elsewhere -->\n</body>"
    )
    index.write_text(changed, encoding="utf-8")  # an editor saved meanwhile
    start = bar_point(canvas, "card")
    drag(canvas.viewport(), start, start + QPoint(120, 0), shift=True)

    assert index.read_text(encoding="utf-8") == changed  # nothing written
    assert banner.isVisible() and banner.conflict
    assert banner.reload.isVisible()
    assert "changed on disk" in banner.text.text()
    assert canvas.bar_by_key("card").start == 15  # the drag's override is gone

    QTest.mouseClick(banner.reload, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    start = bar_point(canvas, "card")
    drag(canvas.viewport(), start, start + QPoint(120, 0), shift=True)
    assert not banner.isVisible()
    text = index.read_text(encoding="utf-8")
    assert "<!-- saved elsewhere -->" in text
    assert build_timeline(project).clip_by_id("card").start_frame == 21


def test_trimming_a_video_head_keeps_each_source_frame_at_its_time(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = video_project(tmp_path / "v")
    window = open_window(project)
    view = window.preview.view
    _timeline_ready(window, qtbot, "v")

    def exact_frames_loaded(after_load: int) -> bool:
        return (
            view._loads > after_load
            and view.compiled is not None
            and view.compiled.html_path.parent.name == f"load-{view._loads}-frames"
            and window.preview.is_ready
        )

    def wait_exact_frames(after_load: int) -> None:
        """The frame-exact page is loaded and stays (an edit can reload the preview twice:
        the studio's own write, then the watcher's view of it)."""
        for _ in range(10):
            qtbot.waitUntil(lambda: exact_frames_loaded(after_load), timeout=30_000)
            loads_now = view._loads
            qtbot.wait(800)
            if view._loads == loads_now and exact_frames_loaded(after_load):
                return
        raise AssertionError("the preview kept reloading")

    def settled_grey(frame: int) -> int:
        """The stage's grey at ``frame`` once the compositor has shown it (a grab right
        after a seek can still hold the previous frame)."""
        window.preview.seek(frame)
        qtbot.waitUntil(lambda: view.driver.shown_frame == frame, timeout=10_000)
        seen = []
        for _ in range(20):
            qtbot.wait(150)
            seen.append(rgb_at(view.grab_stage(), 0.5, 0.5)[1])
            if len(seen) >= 3 and len(set(seen[-3:])) == 1:
                return seen[-1]
        raise AssertionError(f"the stage never settled at frame {frame}: {seen}")

    wait_exact_frames(0)
    before = {f: settled_grey(f) for f in (5, 20, 21)}
    assert abs(before[21] - before[20]) >= 3  # neighbouring source frames differ
    assert before[5] > 40  # the video covers frame 5 before the trim

    canvas = window.timeline.canvas
    _zoom_20(canvas)
    loads = view._loads
    head = bar_point(canvas, "v", "head")
    drag(canvas.viewport(), head, head + QPoint(200, 0), shift=True)  # head to frame 10

    clip = build_timeline(project).clip_by_id("v")
    assert (clip.start_frame, clip.end_frame) == (10, 60)
    assert clip.media_start == pytest.approx(10 / 30, abs=1e-5)
    wait_exact_frames(loads)
    assert settled_grey(20) == before[20]  # the same source frame at the same time
    assert settled_grey(21) == before[21]
    assert settled_grey(5) < 20  # trimmed away: the black stage


def test_clicking_selects_outlines_and_keys_edit(open_window, tmp_path: Path, qtbot) -> None:
    project = card_project(tmp_path / "p")
    index = project / "index.html"
    original = index.read_bytes()
    window = open_window(project)
    _timeline_ready(window, qtbot, "card")
    timeline, canvas = window.timeline, window.timeline.canvas
    _stage_shows(window, 20, GREEN, qtbot)

    # a click on the card in the preview selects its clip and outlines it there
    view = window.preview.view
    web = view.web
    point = web.geometry().topLeft() + QPoint(
        round(web.width() * CARD[0]), round(web.height() * CARD[1])
    )
    QTest.mouseClick(view.catcher, Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: canvas.state.selected == "card", timeout=5000)
    assert not window.preview.controller.playing  # a click on a clip selects, it does not play
    overlay = timeline.link.overlay
    qtbot.waitUntil(lambda: overlay.isVisible() and overlay.rect_px is not None, timeout=5000)
    zoom = web.width() / 320
    assert abs(overlay.rect_px.left() - 20 * zoom) <= 2
    assert abs(overlay.rect_px.width() - 100 * zoom) <= 2
    assert timeline.panel.inspector.id_edit.text() == "card"
    # the outline is over the page, not in it: the stage (what renders capture) has no trace
    edge = rgb_at(window.preview.view.grab_stage(), 21 / 320, 50 / 180)
    assert close_to(edge, GREEN, tol=30), edge
    drawn = overlay.grab().toImage()
    line = QColor(
        drawn.pixel(round(overlay.rect_px.left() + 1), round(overlay.rect_px.center().y()))
    )
    assert close_to(line.getRgb()[:3], (250, 204, 21))  # the overlay draws the outline

    # a problem about a clip, clicked in the Problems panel, selects that clip
    canvas.select(None)
    window.problems.clip_requested.emit("note")
    assert canvas.state.selected == "note"

    # double-click on the bar seeks to its start
    canvas.fit()
    QTest.mouseDClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=bar_point(canvas, "note"))
    assert window.preview.controller.frame == 0
    canvas.select("card")

    # arrows nudge the selected clip while the timeline has focus; three nudges, one undo
    window.activateWindow()
    canvas.setFocus()
    for _ in range(3):
        QTest.keyClick(canvas, Qt.Key.Key_Right)
    assert build_timeline(project).clip_by_id("card").start_frame == 18
    assert window.preview.controller.frame == 0  # the preview did not step
    timeline.actions.undo.trigger()
    assert index.read_bytes() == original

    # S splits at the playhead, Delete removes the selected clip
    window.preview.seek(20)
    QTest.keyClick(window, Qt.Key.Key_S)
    # the stylesheet styles "#card": the copy would lose it, so the split asks first
    box = timeline.confirm_box
    assert box is not None and "#card" in box.text()
    assert index.read_bytes() == original
    box.button(box.StandardButton.Ok).click()
    ids = [c.id for c in build_timeline(project).all_clips()]
    assert len(ids) == 3 and ids.count("card") == 1
    QTest.keyClick(window, Qt.Key.Key_Delete)
    assert len(list(build_timeline(project).all_clips())) == 2
    timeline.actions.undo.trigger()
    timeline.actions.undo.trigger()
    assert index.read_bytes() == original

    # an overlap is refused with its sentence, nothing written
    note = bar_point(canvas, "note")
    drag(
        canvas.viewport(),
        bar_point(canvas, "card"),
        QPoint(bar_point(canvas, "card").x(), note.y()),
        shift=True,
    )
    assert index.read_bytes() == original
    assert timeline.panel.banner.isVisible() and not timeline.panel.banner.conflict


def test_drags_snap_to_the_playhead_and_shift_turns_snapping_off(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = card_project(tmp_path / "p", seconds=20)  # 600 frames: a few frames per pixel
    index = project / "index.html"
    original = index.read_bytes()
    window = open_window(project)
    _timeline_ready(window, qtbot, "card")
    canvas = window.timeline.canvas
    canvas.fit()
    assert int(8 / canvas.scale.px_per_frame) >= 4  # the snap reach, in frames
    window.preview.seek(100)
    assert canvas.state.playhead == 100

    # card is frames 15-29: moved by 67 frames its end lands 3 frames before the playhead
    start = bar_point(canvas, "card")
    shift = QPoint(round(67 * canvas.scale.px_per_frame), 0)
    drag(canvas.viewport(), start, start + shift, release=False)
    assert canvas.state.snap_frame == 100  # the snap line is drawn at the playhead
    assert canvas.state.dragged.end == 100
    assert index.read_bytes() == original  # nothing written while dragging
    release(canvas.viewport(), start + shift)
    assert build_timeline(project).clip_by_id("card").start_frame == 85

    # Esc during a drag puts the clip back, nothing written
    written = index.read_bytes()
    start = bar_point(canvas, "card")
    drag(canvas.viewport(), start, start + QPoint(40, 0), release=False)
    assert canvas.state.dragged is not None
    QTest.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.state.dragged is None
    release(canvas.viewport(), start + QPoint(40, 0))
    assert index.read_bytes() == written
    assert canvas.state.snap_frame is None

    window.timeline.actions.undo.trigger()
    assert index.read_bytes() == original
    start = bar_point(canvas, "card")
    drag(canvas.viewport(), start, start + shift, shift=True)  # Shift: where the mouse says
    moved = build_timeline(project).clip_by_id("card").start_frame
    assert moved != 85 and abs(moved - (15 + 67)) <= 1

    # the preview's in/out marks are snap points too (and drawn on the ruler)
    window.timeline.actions.undo.trigger()
    window.preview.controller.in_out.set_in(200)
    assert canvas.state.in_out is not None and canvas.state.in_out[0] == 200
    start = bar_point(canvas, "card")
    drag(canvas.viewport(), start, start + QPoint(round(184 * canvas.scale.px_per_frame), 0))
    assert build_timeline(project).clip_by_id("card").start_frame == 200


def test_a_save_in_the_editor_updates_the_timeline(open_window, tmp_path: Path, qtbot) -> None:
    project = card_project(tmp_path / "p")
    index = project / "index.html"
    window = open_window(project)
    _timeline_ready(window, qtbot, "card")
    canvas = window.timeline.canvas
    index.write_text(
        index.read_text(encoding="utf-8").replace('data-start="0.5"', 'data-start="1"'),
        encoding="utf-8",
    )
    qtbot.waitUntil(lambda: canvas.bar_by_key("card").start == 30, timeout=10_000)
    # the timeline now holds the new bytes: an edit is accepted, not refused as stale
    window.timeline.canvas.select("card")
    window.timeline.actions.delete.trigger()
    assert not window.timeline.panel.banner.isVisible()
    assert build_timeline(project).clip_by_id("card") is None


def test_a_nested_clip_is_shown_under_its_host_and_edited_in_its_own_file(
    open_window, tmp_path: Path, qtbot
) -> None:
    from support.projects import copy_sample

    project = copy_sample("nested", tmp_path / "n", with_gsap=False)
    child = project / "compositions" / "card.html"
    root_bytes, child_bytes = (project / "index.html").read_bytes(), child.read_bytes()
    window = open_window(project)
    key = "card-host/card-stamp"
    _timeline_ready(window, qtbot, key)
    canvas = window.timeline.canvas
    labels = [r.label for r in canvas.rows]
    host_row = labels.index("Track 3")
    assert labels[host_row + 1] == "card-host › track 0"  # right under its host's track
    assert (canvas.bar_by_key(key).start, canvas.bar_by_key(key).end) == (75, 105)

    canvas.set_zoom(20.0)
    canvas.horizontalScrollBar().setValue(60 * 20)
    point = bar_point(canvas, key)
    drag(canvas.viewport(), point, point + QPoint(-200, 0), shift=True)  # 10 frames earlier

    assert (project / "index.html").read_bytes() == root_bytes  # the host file is untouched
    assert child.read_bytes() != child_bytes
    start = float(_data_start(child.read_text(encoding="utf-8"), "card-stamp"))
    assert start == pytest.approx(35 / 30, abs=1e-5)  # in the card's own time
    assert build_timeline(project).clip(key).start_frame == 65
    assert canvas.bar_by_key(key).start == 65
    window.timeline.actions.undo.trigger()
    assert child.read_bytes() == child_bytes


def test_the_inspector_edits_through_the_model(open_window, tmp_path: Path, qtbot) -> None:
    from hyperframes_desktop.render import tools

    project = card_project(tmp_path / "p")
    index = project / "index.html"
    made = tools.run_tool(
        "ffmpeg",
        ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=330:duration=3", "-y",
         str(project / "tone.wav")],
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "</div>\n</body>",
            '  <audio id="music" class="clip" src="tone.wav" data-start="0" data-duration="1" '
            'data-track-index="2"></audio>\n</div>\n</body>',
        ),
        encoding="utf-8",
    )
    before = index.read_bytes()
    window = open_window(project)
    _timeline_ready(window, qtbot, "music")
    timeline, inspector = window.timeline, window.timeline.panel.inspector

    timeline.canvas.select("card")
    assert inspector.start.value() == 0.5 and inspector.duration.value() == 0.5
    assert not inspector.volume.isEnabled()  # an element has no volume
    inspector.start.setValue(1.0)
    inspector.duration.setValue(0.8)
    inspector.track.setValue(3)
    clip = build_timeline(project).clip_by_id("card")
    assert (clip.start_frame, clip.end_frame, clip.track) == (30, 54, 3)

    inspector.id_edit.setText("card-2")
    inspector.id_edit.editingFinished.emit()
    box = timeline.confirm_box  # the stylesheet selects "#card": renaming changes the video
    assert box is not None and "#card" in box.text()
    box.button(box.StandardButton.Ok).click()
    assert build_timeline(project).clip_by_id("card-2") is not None
    assert timeline.canvas.state.selected == "card-2"

    timeline.canvas.select("music")
    inspector.media_start.setValue(0.5)
    inspector.volume.setValue(0.25)
    music = build_timeline(project).clip_by_id("music")
    assert (music.media_start, music.volume) == (0.5, 0.25)

    inspector.duration.setValue(0.0)  # refused: a clip lasts at least a frame
    assert timeline.panel.banner.isVisible()
    assert inspector.duration.value() == 1.0  # the field shows the file's value again
    for _ in range(6):  # start, duration, track, id, media start, volume
        timeline.actions.undo.trigger()
    assert index.read_bytes() == before


def test_sound_has_no_outline_and_is_not_the_topmost_visible_clip(
    open_window, tmp_path: Path, qtbot
) -> None:
    from support.media import write_tone

    project = card_project(tmp_path / "p")
    write_tone(project / "tone.wav", 2.0)
    index = project / "index.html"
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "</div>\n</body>",
            '  <audio id="tone" class="clip" src="tone.wav" data-start="0" data-duration="2"'
            ' data-track-index="2"></audio>\n</div>\n</body>',
        ),
        encoding="utf-8",
    )
    window = open_window(project)
    _timeline_ready(window, qtbot, "tone")
    timeline, canvas = window.timeline, window.timeline.canvas
    _stage_shows(window, 20, GREEN, qtbot)
    overlay = timeline.link.overlay

    # the highest track at frame 20 is the sound (2); the highest one can see is the note (1)
    timeline.select_topmost(20)
    assert canvas.state.selected == "note"
    qtbot.waitUntil(lambda: overlay.isVisible() and overlay.rect_px is not None, timeout=5000)

    # selecting the sound outlines nothing in the preview (an <audio> has no box)
    canvas.select("tone")
    qtbot.waitUntil(lambda: not overlay.isVisible() or overlay.rect_px is None, timeout=5000)
    assert timeline.panel.inspector.id_edit.text() == "tone"
