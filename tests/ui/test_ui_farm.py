"""The render farm in the studio: "Run on", Preferences → Render farm (Test Connection), farm
jobs with chunk progress, cancel and "Retry Failed Chunks", against a real loopback Dask
cluster (a scheduler and two workers started here and stopped by process id)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from farm.conftest import decoded_index, make_frame_index_project
from PySide6.QtCore import Qt
from support.farm import Cluster, farm_processes, start_cluster, wait_for_workers
from support.media import all_frames_rgb, video_info
from support.projects import partial_files
from ui_helpers import render_children, sent_events

from hyperframes_desktop import telemetry
from hyperframes_desktop.project import list_compositions
from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.dialogs.farm_prefs import FarmPrefsBox
from hyperframes_desktop.ui.renders import farm_link
from hyperframes_desktop.ui.renders.farm_link import NOT_SET_UP
from hyperframes_desktop.ui.renders.job_row import status_line
from hyperframes_desktop.ui.renders.panel import RenderPanel
from hyperframes_desktop.ui.renders.queue import RenderQueue
from hyperframes_desktop.ui.store import FarmPrefs, RenderSettings

FARM_INDEX = 1  # "Render farm" in the Run on choice


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    farm = start_cluster(tmp_path_factory.mktemp("farm"))
    try:
        wait_for_workers(farm, 2)
        yield farm
    finally:
        farm.stop()


def _panel(qtbot, tmp_path: Path, project: Path | None, prefs: FarmPrefs) -> RenderPanel:
    queue = RenderQueue(history_dir=tmp_path / "history")
    settings = RenderSettings(output_folder=str(tmp_path / "out"), run_on="farm")
    panel = RenderPanel(queue, settings)
    qtbot.addWidget(panel)
    panel.show()
    panel.set_farm(prefs)
    if project is not None:
        panel.form.set_compositions(project, list_compositions(project))
    return panel


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _stop(panel: RenderPanel) -> None:
    panel.queue.cancel_all()
    assert panel.queue.wait_for_idle(30_000)
    panel.queue.stop_warm_processes()


def _farm_item(panel: RenderPanel):
    return panel.form.run_on.model().item(FARM_INDEX)


# ---- Run on --------------------------------------------------------------------------
def test_run_on_farm_is_offered_only_once_a_farm_is_set_up(qtbot, tmp_path: Path, monkeypatch):
    monkeypatch.delenv("HYPERFRAMES_FARM", raising=False)
    panel = _panel(qtbot, tmp_path, None, FarmPrefs())
    run_on = panel.form.run_on
    assert not _farm_item(panel).isEnabled()
    assert run_on.choice() == "local"  # the saved "farm" cannot apply yet
    assert NOT_SET_UP in run_on.toolTip() and "Preferences" in run_on.toolTip()
    assert panel.form.settings().run_on == "local"

    panel.set_farm(FarmPrefs(address="tls://127.0.0.1:8786"))  # TLS without its files
    assert not _farm_item(panel).isEnabled()
    assert "certificate" in run_on.toolTip() and "Preferences → Render farm" in run_on.toolTip()

    panel.set_farm(FarmPrefs(address="tcp://127.0.0.1:8786"))
    assert _farm_item(panel).isEnabled()
    assert run_on.choice() == "farm"  # the user's saved choice comes back
    assert panel.form.settings().run_on == "farm"
    assert panel.queue.farm is not None and panel.queue.farm.address == "tcp://127.0.0.1:8786"

    monkeypatch.setattr(farm_link, "dask_installed", lambda: False)  # no [farm] extra
    panel.set_farm(FarmPrefs(address="tcp://127.0.0.1:8786"))
    assert not _farm_item(panel).isEnabled() and run_on.choice() == "local"
    assert "pip install 'hyperframes-desktop[farm]'" in run_on.toolTip()
    assert panel.queue.farm is None


def test_farm_preferences_are_saved_and_enable_the_farm(open_window, qtbot, monkeypatch):
    monkeypatch.delenv("HYPERFRAMES_FARM", raising=False)
    window = open_window(None, ask_notice=False)
    assert not _farm_item(window.render_panel).isEnabled()
    dialog = window.show_settings()
    box = dialog.farm_box
    box.address.setText("tcp://127.0.0.1:8786")
    box.address.editingFinished.emit()
    assert _farm_item(window.render_panel).isEnabled()
    assert store.load_settings().farm == FarmPrefs(address="tcp://127.0.0.1:8786")
    window.render_panel.form.run_on.setCurrentIndex(FARM_INDEX)
    assert store.load_settings().render.run_on == "farm"
    box.ca.setText("/nowhere/ca.pem")  # typed, then the dialog closed: still saved
    dialog.reject()
    assert store.load_settings().farm.ca_file == "/nowhere/ca.pem"


# ---- Test connection -----------------------------------------------------------------
def test_test_connection_lists_the_workers_and_their_versions(cluster, qtbot):
    box = FarmPrefsBox(FarmPrefs(address=cluster.address))
    qtbot.addWidget(box)
    _click(qtbot, box.test_button)
    assert box.testing and not box.test_button.isEnabled()
    qtbot.waitUntil(lambda: not box.testing, timeout=60_000)
    text = box.result.text()
    lines = text.splitlines()
    assert lines[0] == "Connected: 2 workers.", text
    assert len(lines) == 3 and box.report is not None and len(box.report.workers) == 2
    names = sorted(line.split(" ", 1)[0] for line in lines[1:])
    assert names == ["w1", "w2"]
    for line in lines[1:]:
        assert "HyperFrames Desktop" in line and "QtWebEngine" in line and "FFmpeg" in line
        assert line.endswith("same as this computer"), line
    assert box.test_button.isEnabled()


def test_test_connection_explains_an_unreachable_or_incomplete_farm(qtbot):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    box = FarmPrefsBox(FarmPrefs(address=f"tcp://127.0.0.1:{port}"))
    qtbot.addWidget(box)
    _click(qtbot, box.test_button)
    qtbot.waitUntil(lambda: not box.testing, timeout=60_000)
    text = box.result.text()
    assert text.startswith("Could not connect to the render farm") and "Fix:" in text, text
    assert "Traceback" not in text

    box.address.setText("tls://127.0.0.1:8786")
    _click(qtbot, box.test_button)
    assert not box.testing  # nothing to connect with: said at once
    assert "certificate" in box.result.text() and "Fix:" in box.result.text()

    box.address.setText("localhost:8786")
    _click(qtbot, box.test_button)
    assert "not a Dask scheduler address" in box.result.text()


@pytest.mark.slow
def test_test_connection_with_the_farms_tls_files(qtbot, tmp_path: Path):
    from hyperframes_desktop.render.farm.certs import make_certs

    certs = make_certs(tmp_path / "certs")
    files = {"ca": certs.ca, "cert": certs.node[0], "key": certs.node[1]}
    farm = start_cluster(tmp_path / "farm", workers=1, tls=files)
    try:
        box = FarmPrefsBox(
            FarmPrefs(farm.address, str(certs.ca), str(certs.client[0]), str(certs.client[1]))
        )
        qtbot.addWidget(box)
        qtbot.waitUntil(lambda: _listed(qtbot, box) == 1, timeout=90_000)
        assert "same as this computer" in box.result.text()

        stranger = make_certs(tmp_path / "stranger").client
        box.cert.setText(str(stranger[0]))
        box.key.setText(str(stranger[1]))
        _click(qtbot, box.test_button)
        qtbot.waitUntil(lambda: not box.testing, timeout=60_000)
        text = box.result.text()
        assert text.startswith("Could not connect to the render farm"), text
        assert "signed by the farm's CA" in text
    finally:
        farm.stop()


def _listed(qtbot, box: FarmPrefsBox) -> int:
    """Test the connection (the TLS workers may still be joining); how many workers it lists."""
    _click(qtbot, box.test_button)
    qtbot.waitUntil(lambda: not box.testing, timeout=60_000)
    return len(box.report.workers) if box.report is not None else 0


# ---- farm jobs -----------------------------------------------------------------------
@pytest.mark.slow
def test_a_farm_job_shows_chunk_progress_and_renders_every_frame(
    cluster, telemetry_on, qtbot, tmp_path: Path
):
    project = make_frame_index_project(tmp_path / "p", duration=1.0)
    panel = _panel(qtbot, tmp_path, project, FarmPrefs(address=cluster.address))
    assert panel.form.run_on.choice() == "farm"
    lines: list[str] = []
    panel.queue.job_updated.connect(lambda job: lines.append(status_line(job)))
    try:
        job = panel.start_render()
        assert job is not None and job.farm
        qtbot.waitUntil(lambda: not job.active, timeout=240_000)
    finally:
        _stop(panel)
    assert job.status == "complete", job.error
    assert "(render farm)" in lines[0]
    chunked = [line for line in lines if "chunks " in line]
    assert any(line.startswith("Capturing frames: ") for line in chunked), lines
    assert any("workers in use" in line for line in chunked)
    row = panel.rows[job.job_id]
    assert "chunks 3/3" in row.status.text() and row.status.text().startswith("Complete in")
    assert not row.retry_button.isVisible()
    assert video_info(job.output).frames == 30
    assert [decoded_index(f) for f in all_frames_rgb(job.output)] == list(range(30))

    assert telemetry.get_client().flush(5.0)
    done = [e for e in sent_events(telemetry_on) if e["event"] == "render_complete"]
    assert len(done) == 1
    props = done[0]["properties"]
    assert props["source"] == "studio" and props["farm"] is True
    assert props["chunks"] == 3 and 1 <= props["farm_workers"] <= 2
    text = json.dumps(done)
    assert "127.0.0.1" not in text and cluster.address not in text and "w1" not in text


@pytest.mark.slow
def test_cancel_of_a_farm_job_leaves_no_process_and_no_file(cluster, qtbot, tmp_path: Path):
    project = make_frame_index_project(tmp_path / "p", duration=3.0)
    panel = _panel(qtbot, tmp_path, project, FarmPrefs(address=cluster.address))
    try:
        job = panel.start_render()
        assert job is not None
        qtbot.waitUntil(
            lambda: (
                job.frames_done > 0 and job.chunks is not None and bool(farm_processes(cluster))
            ),
            timeout=240_000,
        )
        _click(qtbot, panel.rows[job.job_id].cancel_button)
        qtbot.waitUntil(lambda: job.status == "cancelled", timeout=30_000)
        qtbot.waitUntil(lambda: not farm_processes(cluster), timeout=5_000)
        qtbot.waitUntil(lambda: not render_children(), timeout=5_000)
    finally:
        _stop(panel)
    out = tmp_path / "out"
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]
    assert not partial_files(tmp_path)
    assert not panel.rows[job.job_id].retry_button.isVisible()  # cancelled, not failed


BREAKABLE_FFMPEG = """#!/bin/sh
# the real FFmpeg until {flag} exists; then it cannot encode (version questions still work)
case "$*" in *-version*|*-encoders*) exec {real} "$@";; esac
[ -e {flag} ] && exit 1
exec {real} "$@"
"""


@pytest.mark.slow
def test_retry_failed_chunks_reuses_the_finished_ones(qtbot, tmp_path: Path):
    import shutil

    flag = tmp_path / "broken"
    fake = tmp_path / "bin" / "ffmpeg"
    fake.parent.mkdir()
    fake.write_text(BREAKABLE_FFMPEG.format(flag=flag, real=shutil.which("ffmpeg")))
    fake.chmod(0o755)
    farm = start_cluster(tmp_path / "farm", workers=0)
    try:
        plain_env = farm.env
        farm.env = lambda name: {**plain_env(name), "HYPERFRAMES_FFMPEG_PATH": str(fake)}
        farm.add_worker("w1")
        wait_for_workers(farm, 1)
        project = make_frame_index_project(tmp_path / "p", duration=1.0)
        panel = _panel(qtbot, tmp_path, project, FarmPrefs(address=farm.address))
        assert panel.queue.farm is not None
        panel.queue.farm = replace(panel.queue.farm, chunk_frames=5)  # 6 chunks
        try:
            job = panel.start_render()
            assert job is not None
            qtbot.waitUntil(
                lambda: job.chunks is not None and job.chunks.chunks_done >= 1, timeout=240_000
            )
            flag.write_text("x")  # the only worker now fails every chunk it starts
            qtbot.waitUntil(lambda: not job.active, timeout=240_000)
            assert job.status == "failed"
            assert "No farm worker is left" in job.error and "Fix:" in job.error
            row = panel.rows[job.job_id]
            assert row.retry_button.isVisible() and "1 worker blocklisted" in row.status.text()
            done_before = job.chunks.chunks_done
            assert 1 <= done_before < 6

            flag.unlink()  # the worker is repaired
            _click(qtbot, row.retry_button)
            assert job.active and not row.retry_button.isVisible() and not job.error
            qtbot.waitUntil(lambda: not job.active, timeout=240_000)
        finally:
            _stop(panel)
        assert job.status == "complete", job.error
        assert job.chunks.chunks_reused == done_before and job.chunks.chunks_total == 6
        assert f"{done_before} reused" in panel.rows[job.job_id].status.text()
        assert [decoded_index(f) for f in all_frames_rgb(job.output)] == list(range(30))
    finally:
        farm.stop()
