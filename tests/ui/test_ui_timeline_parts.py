"""The timeline's parts on their own: zoom/scroll arithmetic, visible-bar lookup, waveform
peaks from real FFmpeg cached in the app cache, and the canvas's hit-testing and zoom keys."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from hyperframes_desktop.ui.timeline.geometry import (
    MAX_PX_PER_FRAME,
    TimeScale,
    format_ruler_time,
    ruler_ticks,
)
from hyperframes_desktop.ui.timeline.rows import AudioSpan, Bar, Row, finish


def test_zoom_goes_from_the_whole_composition_to_single_frames_around_an_anchor() -> None:
    scale = TimeScale(frame_count=300, fps=Fraction(30), width=600)
    scale.fit()
    assert scale.px_per_frame == 2.0 and scale.max_offset == 0
    scale.zoom_by(10, anchor_x=300)  # frame 150 stays under x=300
    assert scale.px_per_frame == 20.0
    assert scale.frame_at(300) == pytest.approx(150)
    scale.set_zoom(1000)
    assert scale.px_per_frame == MAX_PX_PER_FRAME
    scale.set_zoom(0.01)
    assert scale.px_per_frame == 2.0 and scale.offset == 0  # never below "whole composition"
    scale.set_zoom(20, anchor_x=0)
    scale.scroll_to(10**9)
    assert scale.offset == scale.max_offset == 300 * 20 - 600
    scale.ensure_visible(10)
    assert 0 <= scale.x_of(10) <= 600


def test_ruler_steps_are_frames_when_zoomed_in_and_seconds_when_out() -> None:
    fps = Fraction(30)
    assert ruler_ticks(48.0, fps).in_frames and ruler_ticks(48.0, fps).major == 2
    assert ruler_ticks(48.0, fps).minor == 1
    out = ruler_ticks(0.5, fps)
    assert not out.in_frames and out.major % 30 == 0 and out.major * 0.5 >= 90
    assert format_ruler_time(45, fps) == "0:01+15"
    assert format_ruler_time(30 * 121, fps) == "2:01"


def test_rows_find_visible_and_hit_bars_by_binary_search() -> None:
    long = Bar("long", "long", "element", 0, 1000)
    bars = [long] + [Bar(f"b{i}", f"b{i}", "video", i * 10, i * 10 + 5) for i in range(1, 90)]
    (row,) = finish([Row("Track 0", 0, "", bars=list(reversed(bars)))])
    seen = {b.key for b in row.visible(402, 421)}
    assert seen == {"long", "b40", "b41", "b42"}
    assert row.bar_at(412).key == "b41"  # the later start is painted on top
    assert row.bar_at(416).key == "long"
    assert row.bar_at(1000) is None


def test_waveform_peaks_come_from_ffmpeg_and_are_cached_by_content(tmp_path: Path, qtbot) -> None:
    from hyperframes_desktop.render import tools
    from hyperframes_desktop.ui.timeline.waveform import PEAKS_PER_SECOND, PeakStore

    sound = tmp_path / "project" / "tone.wav"
    sound.parent.mkdir()
    made = tools.run_tool(
        "ffmpeg",
        ["-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1:sample_rate=48000",
         "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono:d=1", "-filter_complex",
         "[0:a][1:a]concat=n=2:v=0:a=1", "-y", str(sound)],
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    cache = tmp_path / "cache" / "waveforms"
    store = PeakStore(cache_dir=cache)
    span = AudioSpan(sound, 0.0)
    assert store.heights(span, 0.0, 0.01, 10) is None  # asked in the background
    with qtbot.waitSignal(store.changed, timeout=20_000):
        pass
    loud = store.heights(span, 0.2, 0.1, 5)
    quiet = store.heights(span, 1.2, 0.1, 5)
    assert loud is not None and quiet is not None
    assert min(loud) > 0.95 and max(quiet) < 0.01  # a tone, then silence (scaled to the loudest)
    assert store.heights(span, 5.0, 0.1, 3) == [0.0, 0.0, 0.0]  # past the end of the file
    cached = list(cache.glob("*.peaks"))
    assert len(cached) == 1 and cached[0].stat().st_size == pytest.approx(
        2 * PEAKS_PER_SECOND, abs=2
    )
    assert sorted(p.name for p in sound.parent.iterdir()) == ["tone.wav"]  # nothing in the project

    copy = tmp_path / "elsewhere.wav"
    copy.write_bytes(sound.read_bytes())
    again = PeakStore(cache_dir=cache)
    again.get(copy)
    with qtbot.waitSignal(again.changed, timeout=20_000):
        pass
    assert again.get(copy) == cached[0].read_bytes()  # same content: the same cache entry
    assert len(list(cache.glob("*.peaks"))) == 1


def _canvas(qtbot):
    from hyperframes_desktop.ui.timeline.panel import TimelinePanel

    panel = TimelinePanel()
    qtbot.addWidget(panel)
    panel.resize(900, 240)
    panel.show()
    rows = finish(
        [
            Row("Track 0", 0, "", bars=[Bar("a", "a", "element", 30, 90)]),
            Row("Track 1", 1, "", bars=[Bar("h", "h", "composition", 0, 150, host=True)]),
            Row(
                "h › track 0",
                0,
                "h",
                depth=1,
                parents=("h",),
                bars=[Bar("n", "n", "video", 10, 20)],
            ),
        ]
    )
    panel.canvas.set_timeline(rows, 300, Fraction(30))
    return panel


def test_canvas_hits_edges_and_bodies_and_zooms_with_ctrl_wheel_and_keys(qtbot) -> None:
    from hyperframes_desktop.ui.timeline.geometry import ZOOM_STEP

    panel = _canvas(qtbot)
    canvas = panel.canvas
    fit = canvas.scale.px_per_frame
    assert fit == pytest.approx(canvas.scale.width / 300)
    y = canvas.row_y(0) + 10
    x0 = round(canvas.content_x(30))
    assert canvas.hit(QPoint(x0 + 1, y)) == (canvas.bar_by_key("a"), "head")
    assert canvas.hit(QPoint(round(canvas.content_x(60)), y))[1] == "body"
    assert canvas.hit(QPoint(round(canvas.content_x(90)) - 1, y))[1] == "tail"
    assert canvas.hit(QPoint(round(canvas.content_x(100)), y)) == (None, "")

    pos = QPointF(canvas.content_x(60), y)
    wheel = QWheelEvent(
        pos, canvas.viewport().mapToGlobal(pos), QPoint(), QPoint(0, 120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(canvas.viewport(), wheel)
    assert canvas.scale.px_per_frame == pytest.approx(fit * ZOOM_STEP)
    assert canvas.scale.frame_at(pos.x() - 132) == pytest.approx(60, abs=0.01)  # anchored
    panel.zoom_in.trigger()
    assert canvas.scale.px_per_frame == pytest.approx(fit * ZOOM_STEP**2)
    assert canvas.horizontalScrollBar().maximum() > 0
    panel.zoom_fit.trigger()
    assert canvas.scale.px_per_frame == pytest.approx(fit)
    assert [r.label for r in canvas.rows] == ["Track 0", "Track 1", "h › track 0"]
    seeks: list[int] = []
    canvas.seek_requested.connect(seeks.append)
    on_ruler = QPoint(round(canvas.content_x(120.5)), 10)
    QTest.mousePress(canvas.viewport(), Qt.MouseButton.LeftButton, pos=on_ruler)
    QTest.mouseMove(canvas.viewport(), QPoint(round(canvas.content_x(200.5)), 12))
    QTest.mouseRelease(canvas.viewport(), Qt.MouseButton.LeftButton, pos=on_ruler)
    assert seeks[0] == 120 and 200 in seeks  # the ruler scrubs

    arrow = QPoint(round(canvas.content_x(0)) + 12, canvas.row_y(1) + 14)
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=arrow)
    assert [r.label for r in canvas.rows] == ["Track 0", "Track 1"]  # the host's tracks fold
    assert canvas.state.selected == "h"
    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=arrow)
    assert len(canvas.rows) == 3


def test_a_drag_never_crosses_frame_zero_or_empties_a_clip_and_snaps_through_the_model() -> None:
    from hyperframes_desktop.ui.timeline.intents import (
        MoveIntent,
        TrimIntent,
        drag_intent,
        drag_span,
    )

    bar = Bar("c", "c", "element", 30, 60)
    assert drag_span("move", bar, 0, -100, 2, None) == ((0, 30, 2), None)
    assert drag_span("head", bar, 0, 100, 2, None) == ((59, 60, 0), None)
    assert drag_span("tail", bar, 0, -100, 2, None) == ((30, 31, 0), None)

    def to_45(mode: str, _bar: Bar, frame: int) -> tuple[int, int | None]:
        return (45, 45) if abs(frame - 45) <= 2 else (frame, None)

    assert drag_span("head", bar, 0, 14, 0, to_45) == ((45, 60, 0), 45)
    assert drag_intent("move", bar, (30, 60, 1), 0, 0) is None
    assert drag_intent("move", bar, (30, 60, 1), 0, 1) == MoveIntent(bar, 30, 1)
    assert drag_intent("tail", bar, (30, 50, 0), 0, 0) == TrimIntent(bar, "tail", 50)
