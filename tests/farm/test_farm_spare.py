"""A farm worker's spare chunk host (issue 19): started with the worker, its capture
processes up (Qt and Chromium, no page) before any render, so a worker's first chunk starts
no capture process; a render adopts it, ends it like its other hosts, and a new spare
follows. Nothing of a finished or cancelled render stays behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from support.farm import Cluster, farm_processes, start_cluster, wait_for_workers

from hyperframes_desktop.render import RenderCancelled, RenderOptions
from hyperframes_desktop.render.farm import FarmBackend, FarmSettings

from .conftest import make_frame_index_project
from .test_farm_faults import assert_every_frame_shows_its_index, start_render, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spare_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    farm = start_cluster(
        tmp_path_factory.mktemp("spare"), workers=1, worker_env={"HYPERFRAMES_FARM_SPARE_HOST": "1"}
    )
    try:
        wait_for_workers(farm, 1)
        yield farm
    finally:
        farm.stop()


def _cmdline(proc: psutil.Process) -> list[str]:
    return proc.info.get("cmdline") or []


def _standby_pids(cluster: Cluster) -> set[int]:
    """The spare's capture processes waiting for a job (started with ``--standby``)."""
    return {
        p.pid
        for p in farm_processes(cluster)
        if "render.worker" in " ".join(_cmdline(p)) and "--standby" in _cmdline(p)
    }


def _spare_ready(cluster: Cluster) -> set[int]:
    return wait_for(lambda: _standby_pids(cluster), 120, "the worker's spare capture processes")


def test_a_first_chunk_on_a_fresh_worker_starts_no_capture_process(
    spare_cluster: Cluster, tmp_path: Path
):
    before = _spare_ready(spare_cluster)  # up with the worker, before any render
    project = make_frame_index_project(tmp_path / "p", duration=1.0)
    backend = FarmBackend(FarmSettings(spare_cluster.address, chunk_frames=15))
    backend.render(RenderOptions(project=project, output=tmp_path / "out.mp4"))
    assert_every_frame_shows_its_index(tmp_path / "out.mp4", 30)

    first, *later = backend.chunk_costs  # one worker: its chunks in order
    assert first["spare"] and not first["warm"], first
    assert first["capture_pids"] and set(first["capture_pids"]) <= before, (before, first)
    assert later and all(c["warm"] and c["capture_pids"] == first["capture_pids"] for c in later)

    # the render's processes ended with it; a new spare (new processes) waits for the next
    wait_for(lambda: _standby_pids(spare_cluster) - before, 120, "a new spare after the render")
    alive = {p.pid for p in farm_processes(spare_cluster)}
    assert not alive & set(first["capture_pids"]), alive
    assert first["host_pid"] not in alive


def test_a_cancel_ends_the_adopted_spare_with_the_render(spare_cluster: Cluster, tmp_path: Path):
    before = _spare_ready(spare_cluster)
    hosts_before = {
        p.pid for p in farm_processes(spare_cluster) if "chunk_runner" in " ".join(_cmdline(p))
    }
    project = make_frame_index_project(tmp_path / "p", duration=4.0)
    run = start_render(
        FarmSettings(spare_cluster.address, chunk_frames=120),
        RenderOptions(project=project, output=tmp_path / "out.mp4"),
    )
    wait_for(lambda: run.frames_done() > 0, 180, "a capturing chunk")
    run.cancel.set()
    run.wait(60)  # a hang guard only
    assert isinstance(run.error, RenderCancelled), repr(run.error)
    alive = {p.pid for p in farm_processes(spare_cluster)}
    assert not alive & (before | hosts_before), "the cancelled render's processes outlived it"
