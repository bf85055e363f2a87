"""``render --farm`` from the command line: progress lines carry the chunk picture, the
summary says how the work was split, and rate control reaches the chunks."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from support.farm import chunk_runners, farm_processes
from support.media import all_frames_rgb, video_info
from support.projects import partial_files
from support.rendering import cli_command, cli_env

from .conftest import decoded_index, make_frame_index_project

pytestmark = pytest.mark.slow


def test_cli_farm_render_shows_chunk_progress_and_summary(cluster, tmp_path: Path):
    project = make_frame_index_project(tmp_path / "p", duration=1.0)
    out = tmp_path / "out.mp4"
    env = cli_env(extra={"HYPERFRAMES_FARM": cluster.address})  # the default farm
    result = subprocess.run(
        cli_command(str(project), "-o", str(out), "--chunk-frames", "10", "--crf", "20"),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "chunks 3/3" in result.stderr  # the plain progress lines show chunk counts
    assert "farm: 3 chunks on" in result.stdout
    assert video_info(out).frames == 30
    assert [decoded_index(f) for f in all_frames_rgb(out)] == list(range(30))


def test_cli_farm_without_a_scheduler_is_a_clear_sentence(tmp_path: Path):
    project = make_frame_index_project(tmp_path / "p", duration=1.0)
    result = subprocess.run(
        cli_command(str(project), "-o", str(tmp_path / "o.mp4"), "--farm", "tcp://127.0.0.1:9"),
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "hyperframes-desktop: render farm: Could not connect to the render farm" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "o.mp4").exists()


def test_ctrl_c_stops_the_farm_render_and_every_chunk_process(cluster, tmp_path: Path):
    project = make_frame_index_project(tmp_path / "p", duration=4.0)
    out = tmp_path / "out.mp4"
    client = subprocess.Popen(
        cli_command(
            str(project), "-o", str(out), "--farm", cluster.address, "--chunk-frames", "60"
        ),
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 180
    while not chunk_runners(cluster):
        assert client.poll() is None, client.communicate()
        assert time.monotonic() < deadline, "no chunk started"
        time.sleep(0.05)
    time.sleep(1.0)  # capturing
    client.send_signal(signal.SIGINT)
    _, stderr = client.communicate(timeout=60)
    assert client.returncode == 130, stderr
    assert "render cancelled; no file was written" in stderr
    assert not farm_processes(cluster)
    assert not out.exists() and not partial_files(tmp_path)
