"""Warm farm workers (issue 19): a worker's later chunks of one render reuse its capture
processes with the page loaded, frames equal a cold capture's, and warm hosts die with a
cancel, with their worker, and when the render ends."""

from __future__ import annotations

import os
import signal
import time
from collections import defaultdict
from pathlib import Path

import psutil
import pytest
from support.farm import chunk_runners, farm_processes, wait_for_workers
from support.media import frame_rgb

from hyperframes_desktop.render import RenderCancelled, RenderOptions
from hyperframes_desktop.render.farm import FarmSettings

from .conftest import decoded_index, make_frame_index_project
from .test_farm_faults import start_render, wait_for

pytestmark = pytest.mark.slow


def _hosts(cluster) -> list[psutil.Process]:
    return [p for p in chunk_runners(cluster) if "--host" in (p.info.get("cmdline") or [])]


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def test_later_chunks_on_a_worker_reuse_its_warm_capture_processes(
    cluster, render_both, frame_index_project: Path
):
    both = render_both(6, project=frame_index_project, format="png-sequence")
    cold, farm, backend = both.local, both.farm, both.backend
    # the render ended: its warm hosts ended with it
    wait_for(lambda: not farm_processes(cluster), 2.0, "the warm hosts to end with the render")

    by_worker: dict[str, list[dict]] = defaultdict(list)
    for cost in backend.chunk_costs:  # in the order the chunks were collected
        by_worker[cost["worker"]].append(cost)
    runs = [costs for costs in by_worker.values() if len(costs) >= 2]
    assert runs, backend.chunk_costs
    for first, *later in runs:
        assert not first["warm"] and len(first["capture_pids"]) >= 1
        for cost in later:
            assert cost["warm"], cost
            assert cost["host_pid"] == first["host_pid"]
            assert cost["capture_pids"] == first["capture_pids"]
            assert cost["fixed_ms"] < first["fixed_ms"] / 4, (first, cost)
            # the phases the cost is made of: no page load in a warm chunk's wait for ready
            assert set(cost["phases"]) == {"start", "ready", "frames", "drain", "after"}
            assert cost["phases"]["ready"] < first["phases"]["ready"] / 4, (first, cost)

    # frame N is the same whichever chunk, warm or cold, captured it
    names = sorted(p.name for p in cold.iterdir())
    assert len(names) == 30 and names == sorted(p.name for p in farm.iterdir())
    for name in names:
        assert (farm / name).read_bytes() == (cold / name).read_bytes(), name


def test_a_worker_gets_its_next_chunk_as_soon_as_its_last_one_is_taken_in(
    cluster, tmp_path: Path, frame_index_project: Path
):
    """The client's loop wakes when a task ends (and when a worker reports), so a worker's
    next chunk is sent right after its last segment was fetched. It polled every 0.1 s
    before, so every gap between two chunks of a worker was at least 0.1 s."""
    from hyperframes_desktop.render.farm import FarmBackend

    backend = FarmBackend(FarmSettings(cluster.address, chunk_frames=6))
    backend.render(RenderOptions(project=frame_index_project, output=tmp_path / "out.mp4"))
    gaps = [c["gap_ms"] for c in backend.chunk_costs if "gap_ms" in c]
    assert len(gaps) >= 2, backend.chunk_costs
    assert min(gaps) < 100.0, gaps  # the old loop's sleep alone was 100 ms


def test_a_warm_host_keeps_its_crew_for_a_short_chunk_and_logs_each_chunk_in_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A warm chunk host (the worker's side, without Dask): a chunk of fewer frames than its
    capture processes (a render's short last chunk) uses the first few of them and the crew
    stays for the next chunk, so nothing starts cold; each chunk's log is in its own folder
    (not all in the first chunk's, which the client deletes once it has the segment)."""
    import json
    import queue

    from hyperframes_desktop.project.loader import load_composition
    from hyperframes_desktop.render.compile import compile_page
    from hyperframes_desktop.render.farm import store
    from hyperframes_desktop.render.farm.supervisor import ChunkProcess

    monkeypatch.setenv(store.CACHE_ENV, str(tmp_path / "cache"))
    project = make_frame_index_project(tmp_path / "p", duration=0.4)  # 12 frames
    page = compile_page(load_composition(project), tmp_path / "bundle" / "page")
    fields = {
        "width": page.width, "height": page.height, "fps_num": page.fps.numerator,
        "fps_den": page.fps.denominator, "frame_count": page.frame_count,
        "duration": page.duration, "composition_id": page.composition_id,
        "no_timeline": page.no_timeline, "strip": page.strip, "source_name": page.source_name,
        "out_width": page.width, "out_height": page.height, "scale": 1.0,
        "html_path": str(page.html_path), "format": "png-sequence", "quality": "standard",
        "workers": 2,  # two capture processes
    }  # fmt: skip

    def chunk(name: str, first: int, last: int) -> tuple[Path, Path]:
        folder = tmp_path / "chunks" / name
        (folder / "scratch").mkdir(parents=True)
        job = {**fields, "start": first, "end": last, "output": str(folder / "frames"),
               "scratch": str(folder / "scratch")}  # fmt: skip
        (folder / "job.json").write_text(json.dumps(job), encoding="utf-8")
        return folder / "job.json", folder / "chunk.log"

    def run(host: ChunkProcess, name: str, first: int, last: int) -> dict:
        host.send(*chunk(name, first, last))
        while True:
            try:
                message = host.messages.get(timeout=120)
            except queue.Empty:
                raise AssertionError(f"chunk {name}: no answer; log: {host.tail()}") from None
            if message.get("event") in ("done", "error", "cancelled", "exit"):
                assert message["event"] == "done", (message, host.tail())
                return message

    first_job, first_log = chunk("a0", 0, 5)
    host = ChunkProcess(first_job, first_log, host=True)
    host.start()
    try:
        crew = run(host, "a", 0, 5)["capture_pids"]
        assert len(crew) == 2
        assert run(host, "b", 6, 6)["capture_pids"] == crew  # one frame: one of the two
        assert run(host, "c", 7, 11)["capture_pids"] == crew  # both again, still warm
    finally:
        host.stop()
    for name, frames in (("a", range(6)), ("b", [6]), ("c", range(7, 12))):
        folder = tmp_path / "chunks" / name
        pngs = sorted((folder / "frames").iterdir())
        assert [decoded_index(frame_rgb(png, 0)) for png in pngs] == list(frames)
        log = (folder / "chunk.log").read_text()
        assert str(folder / "job.json") in log  # its own chunk's lines, and no other's
        assert log.count("warm chunk host") == 1, log
    assert not any(_pid_alive(pid) for pid in crew)


def _pid_alive(pid: int) -> bool:
    try:
        return _alive(psutil.Process(pid))
    except psutil.Error:
        return False


def test_cancel_ends_busy_and_idle_warm_hosts_within_two_seconds(cluster, tmp_path: Path):
    project = make_frame_index_project(tmp_path / "p", duration=4.0)
    out = tmp_path / "out.mp4"
    run = start_render(
        FarmSettings(cluster.address, chunk_frames=8), RenderOptions(project=project, output=out)
    )
    wait_for(
        lambda: run.last is not None and run.last.chunks_done >= 3 and _hosts(cluster),
        180,
        "warm hosts that ran a chunk",
    )
    cancelled_at = time.monotonic()
    run.cancel.set()
    try:
        wait_for(
            lambda: not farm_processes(cluster), 2.0, "every warm host and its children to end"
        )
    except AssertionError:
        left = [
            (p.pid, " ".join(p.info.get("cmdline") or [])[:120]) for p in farm_processes(cluster)
        ]
        raise AssertionError(f"still running 2 s after the cancel: {left}") from None
    assert time.monotonic() - cancelled_at <= 2.0
    run.wait()
    assert isinstance(run.error, RenderCancelled), repr(run.error)


def test_killing_the_worker_kills_its_warm_host_and_capture_processes(cluster, tmp_path: Path):
    project = make_frame_index_project(tmp_path / "p", duration=3.0)
    run = start_render(
        FarmSettings(cluster.address, chunk_frames=8),
        RenderOptions(project=project, output=tmp_path / "out.mp4"),
    )

    def warm_host_with_captures() -> list[psutil.Process] | None:
        if run.last is None or run.last.chunks_done < 1:
            return None
        for host in _hosts(cluster):
            try:
                group = [host, *host.children(recursive=True)]
            except psutil.Error:
                continue
            if any("render.worker" in " ".join(p.cmdline()) for p in group[1:]):
                return group
        return None

    group = wait_for(warm_host_with_captures, 180, "a warm host that ran a chunk")
    worker = psutil.Process(group[0].ppid())
    os.kill(worker.pid, signal.SIGKILL)  # no clean-up: the host must notice by itself
    wait_for(
        lambda: not any(_alive(p) for p in group),
        3.0,
        "the killed worker's warm host and capture processes to end",
    )
    run.wait()
    assert run.error is None, repr(run.error)
    wait_for_workers(cluster, 2)  # the nanny restarted it, for the next tests
