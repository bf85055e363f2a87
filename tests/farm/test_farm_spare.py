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


def test_a_worker_loads_the_page_as_the_bundle_arrives(spare_cluster: Cluster, tmp_path: Path):
    """The client has the spare host load the render's page as soon as the worker holds the
    bundle, while it dispatches the first chunk: that chunk finds its page loaded (it pays
    seek + capture only), and the frames are the same."""
    before = _spare_ready(spare_cluster)
    project = make_frame_index_project(tmp_path / "p", duration=1.0)
    backend = FarmBackend(FarmSettings(spare_cluster.address, chunk_frames=15))
    backend.render(RenderOptions(project=project, output=tmp_path / "out.mp4"))
    assert_every_frame_shows_its_index(tmp_path / "out.mp4", 30)

    first, *later = backend.chunk_costs
    assert first["spare"] and not first["warm"], first
    assert first["page_loaded"], first  # loaded before the chunk came, by the spare's processes
    assert set(first["capture_pids"]) <= before, (before, first)
    assert later and all(c["warm"] and c["page_loaded"] for c in later), later


def test_a_preloaded_host_whose_client_is_gone_ends_after_the_idle_limit(
    spare_cluster: Cluster, tmp_path: Path
):
    """A client that has a worker load its page and then dies (no chunk, no release) leaves
    nothing running: the preloaded host is an idle host of that render, ended after the
    idle limit with its capture processes, and a new spare takes its place."""
    import threading

    from hyperframes_desktop.render.farm.backend import connect
    from hyperframes_desktop.render.farm.chunk_task import preload_page
    from hyperframes_desktop.render.farm.plan import make_plan
    from hyperframes_desktop.render.farm.transfer import send_bundle
    from hyperframes_desktop.render.output import remove_partial

    before = _spare_ready(spare_cluster)
    hosts = {
        p.pid for p in farm_processes(spare_cluster) if "chunk_runner" in " ".join(_cmdline(p))
    }
    project = make_frame_index_project(tmp_path / "p", duration=1.0)
    options = RenderOptions(project=project, output=tmp_path / "never.mp4")
    (tmp_path / "scratch").mkdir()
    plan = make_plan(options, tmp_path / "scratch", threading.Event(), lambda _stage: None)
    client = connect(FarmSettings(spare_cluster.address))
    try:
        worker = next(iter(client.nthreads()))
        send_bundle(client, worker, plan.bundle, threading.Event())
        job = {
            "bundle": plan.bundle.digest, "page": plan.page_fields(), "format": "mp4",
            "quality": "standard", "workers": None, "crf": None, "video_bitrate": None,
            "start": 0, "end": 14, "cancel_event": "hf-cancel-gone-client",
        }  # fmt: skip
        assert client.run(preload_page, job, workers=[worker])[worker] is True
    finally:
        client.close()  # as if the client died: no chunk, no release
        remove_partial(plan.partial)
    gone = before | hosts
    wait_for(
        lambda: not ({p.pid for p in farm_processes(spare_cluster)} & gone),
        60,
        "the preloaded host to end after the idle limit (5 s)",
    )
    # and the worker has a spare again for its next render
    wait_for(lambda: _standby_pids(spare_cluster) - before, 120, "a new spare")
