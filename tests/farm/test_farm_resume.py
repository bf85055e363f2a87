"""Resume: after the client is killed mid-render, ``render --resume`` renders only the
missing chunks, says how many it reused, and gives the same frames."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from support.farm import farm_processes
from support.media import all_frames_rgb, video_info
from support.rendering import cli_command, cli_env

from hyperframes_desktop.render import RenderOptions
from hyperframes_desktop.render.farm import FarmBackend, FarmProgress, FarmSettings
from hyperframes_desktop.render.farm.chunk_costs import load_cost

from .conftest import decoded_index, make_frame_index_project

pytestmark = pytest.mark.slow
CHUNKS = 10


def finished_segments(store: Path) -> int:
    return sum(1 for _ in store.glob("*/*/*/.done"))  # <key>/<run>/<chunk>/.done


def test_resume_after_the_client_was_killed_renders_only_missing_chunks(cluster, tmp_path: Path):
    project = make_frame_index_project(tmp_path / "p", duration=2.0)
    out = tmp_path / "out.mp4"
    store = tmp_path / "segments"
    env = cli_env(extra={"HYPERFRAMES_FARM_SEGMENTS": str(store)})
    args = [str(project), "-o", str(out), "--farm", cluster.address, "--chunk-frames", "6"]
    client = subprocess.Popen(
        cli_command(*args),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 240
        while finished_segments(store) < 3:
            assert client.poll() is None, client.communicate()
            assert time.monotonic() < deadline, "no segment finished in time"
            time.sleep(0.05)
    finally:
        os.killpg(client.pid, signal.SIGKILL)  # the client dies without any clean-up
        client.communicate()
    kept = finished_segments(store)
    assert 3 <= kept < CHUNKS and not out.exists()
    # the scheduler lets go of the dead client's chunks: the workers stop them
    deadline = time.monotonic() + 15
    while farm_processes(cluster):
        assert time.monotonic() < deadline, "chunks of the killed client kept running"
        time.sleep(0.1)

    resumed = subprocess.run(
        cli_command(*args, "--resume", "--json"),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr
    perf = json.loads(resumed.stdout.strip().splitlines()[-1])
    assert perf["farmChunks"] == CHUNKS
    assert perf["farmChunksReused"] == kept  # only the missing chunks were rendered
    assert f"reusing {kept} of {CHUNKS} finished chunks" in resumed.stderr
    assert video_info(out).frames == 60
    assert [decoded_index(f) for f in all_frames_rgb(out)] == list(range(60))
    # a finished render forgets its segments
    assert finished_segments(store) == 0


def test_two_renders_of_one_plan_at_once_keep_their_own_segments(
    cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A whole render and an in–out render of one project, the second started once the
    first has finished segments: neither clears or reuses the other's."""
    monkeypatch.setenv("HYPERFRAMES_FARM_SEGMENTS", str(tmp_path / "segments"))
    project = make_frame_index_project(tmp_path / "p", duration=1.0)
    whole, part = tmp_path / "whole.mp4", tmp_path / "part.mp4"
    settings = FarmSettings(cluster.address, chunk_frames=10)
    first_segment = threading.Event()
    errors: list[BaseException] = []

    def progress(p) -> None:
        if isinstance(p, FarmProgress) and p.chunks_done >= 1:
            first_segment.set()

    def render(options: RenderOptions, on_progress=None) -> None:
        try:
            FarmBackend(settings).render(options, on_progress)
        except BaseException as exc:
            errors.append(exc)
            first_segment.set()

    a = threading.Thread(target=render, args=(RenderOptions(project=project, output=whole),
                                              progress))  # fmt: skip
    a.start()
    assert first_segment.wait(timeout=240)
    render(RenderOptions(project=project, output=part, frames=(10, 19)))
    a.join(timeout=300)
    assert errors == []
    assert [decoded_index(f) for f in all_frames_rgb(whole)] == list(range(30))
    assert [decoded_index(f) for f in all_frames_rgb(part)] == list(range(10, 20))
    assert finished_segments(tmp_path / "segments") == 0
    cost = load_cost(cluster.address)  # what the chunks measured, for the next chunk sizes
    assert cost is not None and 0 < cost.fixed_s < 60 and 0 < cost.frame_s < 5, cost
