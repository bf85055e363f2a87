"""Small pieces without a web page: persistence, the playback clock, formatting."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

from hyperframes_desktop.project import CompositionInfo
from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.preview.playback import PlaybackController
from hyperframes_desktop.ui.preview.transport import format_time
from hyperframes_desktop.ui.project_panel import describe
from hyperframes_desktop.ui.renders.choices import format_label, output_size, resolution_presets
from hyperframes_desktop.ui.renders.job_row import format_duration, status_line
from hyperframes_desktop.ui.renders.record import JobRecord


def test_settings_round_trip_and_survive_damage(tmp_path: Path) -> None:
    settings = store.StudioSettings()
    settings.render = store.RenderSettings(quality="high", fps=60, output_folder="/x")
    settings.max_concurrent = 3
    for i in range(12):
        settings.add_recent(tmp_path / f"p{i}")
    assert store.save_settings(settings, tmp_path)
    loaded = store.load_settings(tmp_path)
    assert loaded.render == settings.render
    assert loaded.max_concurrent == 3
    assert loaded.recent_projects[0] == str(tmp_path / "p11")
    assert len(loaded.recent_projects) == store.MAX_RECENT
    assert loaded.last_project == str(tmp_path / "p11")

    (tmp_path / store.SETTINGS_FILE).write_text("{not json", encoding="utf-8")
    assert store.load_settings(tmp_path) == store.StudioSettings()
    bad = {"render": {"quality": "ultra", "fps": 7, "format": "avi", "resolution": "8k"}}
    bad["max_concurrent"] = 99
    (tmp_path / store.SETTINGS_FILE).write_text(json.dumps(bad), encoding="utf-8")
    loaded = store.load_settings(tmp_path)
    assert loaded.render == store.RenderSettings()
    assert loaded.max_concurrent == store.MAX_CONCURRENT_LIMIT


def test_history_round_trip_skips_garbage(tmp_path: Path) -> None:
    entry = store.HistoryEntry("a1", "/p/index.html", "/p", "/p/renders/index.mp4", "complete")
    assert store.save_history([entry], tmp_path)
    assert store.load_history(tmp_path) == [entry]
    (tmp_path / store.HISTORY_FILE).write_text(json.dumps([1, {"job_id": "x"}, {}]), "utf-8")
    assert store.load_history(tmp_path) == []


def test_playback_clock_commands(qapp) -> None:
    clock = PlaybackController()
    clock.set_timeline(60, Fraction(30))
    assert (clock.frame, clock.last_frame, clock.playing) == (0, 59, False)
    clock.step(5)
    assert clock.frame == 5
    clock.step(-10)
    assert clock.frame == 0
    clock.go_to_end()
    assert clock.frame == 59
    clock.play()  # play at the end starts over
    assert clock.frame == 0 and clock.speed == 1.0
    clock.shuttle_forward()
    clock.shuttle_forward()
    clock.shuttle_forward()
    clock.shuttle_forward()
    assert clock.speed == 8.0  # capped
    clock.shuttle_backward()
    assert clock.speed == -1.0
    clock.pause()
    clock.seek(1000)
    assert clock.frame == 59
    assert clock.time_of(45) == 1.5


def test_formatting() -> None:
    assert format_time(61.5) == "1:01.500"
    assert format_duration(4.24) == "4.2 s"
    assert format_duration(65) == "1 min 05 s"
    assert format_duration(3720) == "1 h 02 min"
    info = CompositionInfo(
        Path("/p/a.html"), "a", 1280, 720, 3.0, Fraction(30000, 1001), False, None
    )
    assert describe(info) == "1280×720 · 3 s · 29.97 fps"
    job = JobRecord("j", Path("/p"), Path("/p/index.html"), "index.html")
    job.status, job.frames_done, job.frames_total = "rendering", 10, 90
    job.capture_fps, job.eta_s = 40.0, 2.0
    assert status_line(job) == "Capturing frames: 10/90 · 40.0 frames/s · ETA 2.0 s"
    job.status, job.stage = "failed", "video_extract"
    assert status_line(job) == "Failed during video extract"


def test_resolution_choices_keep_the_shape_and_the_scale_range() -> None:
    assert [n for n, _w, _h in resolution_presets(1280, 720)] == ["1080p", "4k"]
    assert [n for n, _w, _h in resolution_presets(1920, 1080)] == ["4k"]
    assert [n for n, _w, _h in resolution_presets(1080, 1920)] == ["portrait-4k"]
    assert resolution_presets(320, 180) == []  # 1080p would be 6x: beyond the renderer
    assert output_size(1280, 720, "4k") == (3840, 2160)
    assert output_size(1280, 720, "square") == (1280, 720)
    assert output_size(1280, 720, None) == (1280, 720)
    assert format_label("webm").startswith("WebM")
