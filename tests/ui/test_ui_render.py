"""The render panel and queue: real renders, cancel, errors in words, quitting safely."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from ui_helpers import (
    BROKEN_PAGE,
    close_to,
    css_page,
    make_project,
    probe,
    render_children,
    rgb_at,
)

from hyperframes_desktop.ui import store


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _only_job(window):
    jobs = [j for j in window.queue.jobs.values()]
    assert len(jobs) == 1
    return jobs[0]


def _videos(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.mp4")) if folder.exists() else []


def test_render_from_the_panel_writes_a_valid_file(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    statuses: list[str] = []
    window.queue.job_updated.connect(_status_recorder(statuses))
    gaps: list[float] = []
    ticker = _gap_meter(gaps)

    _click(qtbot, window.render_panel.form.render_button)
    job = _only_job(window)
    qtbot.waitUntil(lambda: not job.active, timeout=90_000)
    ticker.stop()

    assert job.status == "complete", job.error
    assert {"preprocessing", "rendering", "complete"} <= set(statuses)
    assert job.output == project / "renders" / "index.mp4"
    stream = probe(job.output)
    assert stream["codec_name"] == "h264"
    assert (stream["width"], stream["height"]) == (320, 180)
    assert int(stream["nb_read_frames"]) == 60
    row = window.render_panel.rows[job.job_id]
    assert row.status.text().startswith("Complete in")
    assert row.progress.value() == 1000
    assert not row.open_button.isHidden() and not row.reveal_button.isHidden()
    assert row.cancel_button.isHidden()
    assert window.render_panel.form.last_render.text().startswith("Last render took")
    assert max(gaps) < 0.5, f"the GUI thread stalled for {max(gaps):.3f} s during a render"
    history = store.load_history()
    assert [(h.status, h.output) for h in history] == [("complete", str(job.output))]

    # what plays is what renders: frame 30 of the video matches the preview's frame 30
    still = tmp_path / "frame30.png"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(job.output), "-vf", r"select=eq(n\,30)",
         "-frames:v", "1", str(still)],
        check=True, timeout=60,
    )  # fmt: skip
    image = QImage(str(still))
    assert close_to(rgb_at(image, 20 / 320, 20 / 180), (0, 0, 255))
    assert close_to(rgb_at(image, 160 / 320, 0.5), (255, 255, 255))
    assert close_to(rgb_at(image, 120 / 320, 0.5), (0, 0, 255))

    # a new window (next launch) shows the finished job and how long it took
    again = open_window(None)
    assert job.job_id in again.render_panel.rows
    assert again.render_panel.form.last_render.text().startswith("Last render took")


def test_jobs_queue_one_at_a_time_and_never_overwrite(open_window, tmp_path: Path, qtbot):
    project = make_project(tmp_path / "p", duration=1.0)
    window = open_window(project)
    out = tmp_path / "out"
    window.render_panel.form.output.setText(str(out))
    panel = window.render_panel
    first, second = panel.start_render(), panel.start_render()
    assert window.queue.max_concurrent == 1
    assert window.queue.running_count() == 1
    assert second.status == "queued"
    assert "1 rendering, 1 queued" in window.activity.text()
    qtbot.waitUntil(lambda: not first.active and not second.active, timeout=120_000)
    assert (first.status, second.status) == ("complete", "complete")
    assert {first.output, second.output} == {out / "index.mp4", out / "index-2.mp4"}
    assert window.activity.text() == ""


def test_cancel_leaves_no_output_and_no_process(open_window, tmp_path: Path, qtbot) -> None:
    project = make_project(tmp_path / "p", duration=30.0)
    window = open_window(project)
    _click(qtbot, window.render_panel.form.render_button)
    job = _only_job(window)
    qtbot.waitUntil(lambda: job.status == "rendering" and job.frames_done > 0, timeout=60_000)
    assert render_children(), "the render should have started its processes"
    row = window.render_panel.rows[job.job_id]
    _click(qtbot, row.cancel_button)
    qtbot.waitUntil(lambda: job.status == "cancelled", timeout=30_000)
    qtbot.waitUntil(lambda: not render_children(), timeout=10_000)
    renders = project / "renders"
    assert not renders.exists() or not any(renders.iterdir())
    assert row.status.text() == "Cancelled"
    assert not row.remove_button.isHidden()
    _click(qtbot, row.remove_button)
    assert job.job_id not in window.render_panel.rows


def test_a_broken_composition_shows_its_error_in_the_job_row(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = make_project(tmp_path / "p", extra={"other.html": css_page(1.0, "other")})
    window = open_window(project)
    form = window.render_panel.form
    form.select_composition(project / "other.html")
    assert form.composition.currentText() == "other.html"
    (project / "other.html").write_text(BROKEN_PAGE, encoding="utf-8")  # edited meanwhile
    _click(qtbot, form.render_button)
    job = _only_job(window)
    qtbot.waitUntil(lambda: not job.active, timeout=30_000)
    assert job.status == "failed"
    row = window.render_panel.rows[job.job_id]
    assert row.status.text() == "Failed during compile"
    assert not row.error.isHidden()
    assert "data-width" in row.error.text()
    assert "Traceback" not in row.error.text()
    assert not _videos(project)


def test_missing_ffmpeg_disables_rendering_with_instructions(
    open_window, tmp_path: Path, monkeypatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    window = open_window(make_project(tmp_path / "p"))
    form = window.render_panel.form
    assert not form.render_button.isEnabled()
    assert not window.actions.render.isEnabled()
    assert not form.notice.isHidden()
    assert "FFmpeg is not installed" in form.notice.text()
    assert window.render_panel.start_render() is None


def test_quitting_with_a_running_render_asks_then_cancels_it(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = make_project(tmp_path / "p", duration=30.0)
    window = open_window(project)
    job = window.render_panel.start_render()
    qtbot.waitUntil(lambda: job.status == "rendering" and job.frames_done > 0, timeout=60_000)

    assert window.close() is False  # asks first
    box = window.quit_box
    assert box is not None and box.isVisible()
    keep = box.defaultButton()
    assert keep.text() == "Keep Rendering"
    _click(qtbot, keep)
    qtbot.waitUntil(lambda: window.quit_box is None, timeout=2000)
    assert window.isVisible() and job.active

    closed: list[bool] = []
    window.closed.connect(_flag(closed))
    assert window.close() is False
    _click(qtbot, window.quit_yes)
    qtbot.waitUntil(lambda: bool(closed), timeout=30_000)
    assert not window.isVisible()
    assert not render_children()
    assert not _videos(project)


def test_a_larger_preset_of_the_same_shape_renders_sharper(open_window, tmp_path: Path, qtbot):
    project = tmp_path / "p"
    project.mkdir()
    page = css_page(1.0, "main").replace('data-width="320"', 'data-width="384"')
    page = page.replace('data-height="180"', 'data-height="216"')
    (project / "index.html").write_text(page, encoding="utf-8")
    window = open_window(project)
    form = window.render_panel.form
    labels = [form.resolution.itemText(i) for i in range(form.resolution.count())]
    assert labels == ["384×216 (composition size)", "1920×1080 (1080p)"]
    form.resolution.setCurrentIndex(1)
    form.quality.setCurrentIndex(form.quality.findData("draft"))
    assert store.load_settings().render.resolution == "1080p"
    job = window.render_panel.start_render()
    assert (job.width, job.height) == (1920, 1080)
    qtbot.waitUntil(lambda: not job.active, timeout=90_000)
    assert job.status == "complete", job.error
    stream = probe(job.output)
    assert (stream["width"], stream["height"]) == (1920, 1080)
    assert int(stream["nb_read_frames"]) == 30


def test_max_concurrent_renders_is_a_persisted_setting(open_window) -> None:
    window = open_window(None)
    window.actions.preferences.trigger()  # File > Preferences… (Ctrl+,)
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.concurrent.value() == 1
    dialog.concurrent.setValue(2)
    assert window.queue.max_concurrent == 2
    assert store.load_settings().max_concurrent == 2
    dialog.reject()


# ---- helpers ---------------------------------------------------------------------------
def _status_recorder(into: list[str]):
    def record(job) -> None:
        into.append(job.status)

    return record


def _flag(into: list[bool]):
    def flag() -> None:
        into.append(True)

    return flag


def _gap_meter(gaps: list[float]) -> QTimer:
    """A 10 ms timer recording how late the GUI thread serves it."""
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(10)
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer.timeout.connect(tick)
    timer.start()
    return timer
