"""Faults on a real loopback cluster: a worker killed mid-chunk, a stalled chunk, a worker
that keeps failing (blocklist), a composition error (not retried) and cancel."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
from support.compositions import broken_timeline_html
from support.farm import chunk_runners, farm_processes, start_cluster, wait_for_workers
from support.media import all_frames_rgb, video_info
from support.projects import partial_files, write_project

from hyperframes_desktop.render import (
    RenderCancelled,
    RenderError,
    RenderJob,
    RenderOptions,
)
from hyperframes_desktop.render.farm import FarmBackend, FarmError, FarmProgress, FarmSettings

from .conftest import decoded_index, make_frame_index_project

pytestmark = pytest.mark.slow


@dataclass
class Run:
    thread: threading.Thread
    cancel: threading.Event
    progress: list = field(default_factory=list)
    result: object = None
    error: BaseException | None = None

    def wait(self, timeout: float = 300) -> None:
        self.thread.join(timeout)
        assert not self.thread.is_alive(), "the farm render did not end"

    @property
    def last(self) -> FarmProgress | None:
        chunked = [p for p in self.progress if isinstance(p, FarmProgress)]
        return chunked[-1] if chunked else None

    def frames_done(self) -> int:
        return max((p.frames_done for p in self.progress if isinstance(p, FarmProgress)), default=0)


def start_render(settings: FarmSettings, options: RenderOptions) -> Run:
    cancel = threading.Event()
    run = Run(threading.Thread(target=lambda: None), cancel)

    def work() -> None:
        try:
            run.result = FarmBackend(settings).render(options, run.progress.append, cancel)
        except BaseException as exc:
            run.error = exc

    run.thread = threading.Thread(target=work, daemon=True)
    run.thread.start()
    return run


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def assert_every_frame_shows_its_index(video: Path, count: int) -> None:
    assert video_info(video).frames == count
    assert [decoded_index(f) for f in all_frames_rgb(video)] == list(range(count))


def test_a_worker_killed_mid_chunk_is_retried_elsewhere_and_its_processes_die(
    cluster, tmp_path: Path
):
    from distributed import Client

    project = make_frame_index_project(tmp_path / "p", duration=4.0)
    out = tmp_path / "out.mp4"
    client = Client(cluster.address, timeout=30)
    topics_before = set(client.get_events())
    run = start_render(  # long chunks: a warm chunk of a few frames is over before the kill
        FarmSettings(cluster.address, chunk_frames=60), RenderOptions(project=project, output=out)
    )
    runner = wait_for(
        lambda: run.frames_done() > 0 and _encoding_runner(cluster), 180, "a capturing chunk"
    )  # a warm chunk process between two chunks would lose none: take one with its FFmpeg up
    group = os.getpgid(runner.pid)
    worker = psutil.Process(runner.ppid())
    (killed,) = [address for address, pid in client.run(os.getpid).items() if pid == worker.pid]
    worker.send_signal(signal.SIGKILL)  # the worker cannot clean up: its chunk must still die
    wait_for(  # they kill themselves at once; the slack is for a loaded machine
        lambda: not any(_in_group(p, group) for p in psutil.process_iter()),
        15,
        "the killed worker's chunk processes to end",
    )
    run.wait()
    assert run.error is None, repr(run.error)
    assert_every_frame_shows_its_index(out, 120)
    assert run.last is not None and run.last.retries >= 1

    # Which worker ran which attempt: the chunk tasks' start/end events on the render's topic.
    (topic,) = [t for t in set(client.get_events()) - topics_before if t.startswith("hf-farm-")]
    notes = [message for _, message in client.get_events(topic)]
    client.close()
    starts = [n for n in notes if n["kind"] == "start"]
    ended = {n["attempt"] for n in notes if n["kind"] == "end"}
    keys = [n["attempt"] for n in starts]
    assert len(keys) == len(set(keys)), f"an attempt key was used twice: {keys}"
    lost = [n for n in starts if n["attempt"] not in ended]  # it never got to say it ended
    assert lost and all(n["worker"] == killed for n in lost), (killed, starts)
    for gone in lost:
        again = [n for n in starts if n["chunk"] == gone["chunk"] and n["attempt"] in ended]
        assert again, f"chunk {gone['chunk']} was not retried"
        assert all(n["attempt"] != gone["attempt"] for n in again)
        assert all(n["worker"] != killed for n in again), (killed, again)
    wait_for_workers(cluster, 2)  # the nanny restarted it, for the next tests


def test_an_attempt_dask_runs_again_after_its_worker_died_never_starts(cluster):
    """Dask re-runs a task whose worker died, under the same key: the render would then see
    no retry and one attempt key start twice. The copy fails at once as "lost" (the client
    retries it under a new key) and never announces a start."""
    from distributed import Client

    from hyperframes_desktop.render.farm.chunk_task import ChunkFailed, run_chunk

    client = Client(cluster.address, timeout=30)
    try:
        attempt = f"hf-chunk-test-{uuid.uuid4().hex[:8]}-0-1"
        job = {"bundle": "no such bundle", "attempt": attempt}  # the first run stops early
        outcomes = []
        for _ in range(2):  # the same attempt twice, as Dask re-runs it
            future = client.submit(run_chunk, job, pure=False)
            with pytest.raises(Exception) as failed:
                future.result(timeout=60)
            error = failed.value
            outcomes.append(error.kind if isinstance(error, ChunkFailed) else "started")
        assert outcomes == ["started", "lost"]
    finally:
        client.close()


def _encoding_runner(cluster) -> psutil.Process | None:
    """A chunk process that is running a chunk now (its FFmpeg is up)."""
    for runner in chunk_runners(cluster):
        try:
            if any("ffmpeg" in child.name() for child in runner.children(recursive=True)):
                return runner
        except psutil.Error:
            continue
    return None


def _in_group(proc: psutil.Process, group: int) -> bool:
    try:
        return os.getpgid(proc.pid) == group and proc.status() != psutil.STATUS_ZOMBIE
    except (OSError, psutil.Error):
        return False


def test_a_stalled_chunk_is_stopped_and_retried(cluster, tmp_path: Path):
    project = make_frame_index_project(tmp_path / "p", duration=1.0)
    out = tmp_path / "out.mp4"
    settings = FarmSettings(cluster.address, chunk_frames=10, stall_timeout_s=8)
    run = start_render(settings, RenderOptions(project=project, output=out))
    runner = wait_for(lambda: chunk_runners(cluster), 180, "a chunk")[0]
    runner.send_signal(signal.SIGSTOP)  # alive but frozen: no frame arrives any more
    wait_for(
        lambda: not runner.is_running() or runner.status() == psutil.STATUS_ZOMBIE,
        30,
        "the frozen chunk to be killed",
    )
    run.wait()
    assert run.error is None, repr(run.error)
    assert_every_frame_shows_its_index(out, 30)
    assert run.last is not None and run.last.retries >= 1


def test_a_composition_error_fails_at_once_with_the_local_sentence(cluster, tmp_path: Path):
    project = write_project(tmp_path / "broken", broken_timeline_html())
    with pytest.raises(RenderError) as local:
        RenderJob(RenderOptions(project=project, output=tmp_path / "local.mp4")).run()
    run = start_render(
        FarmSettings(cluster.address, chunk_frames=5),
        RenderOptions(project=project, output=tmp_path / "farm.mp4"),
    )
    run.wait()
    assert isinstance(run.error, RenderError) and not isinstance(run.error, FarmError)
    assert str(run.error) == str(local.value)
    assert run.error.stage == local.value.stage
    assert run.last is not None and run.last.retries == 0  # not retried
    assert not (tmp_path / "farm.mp4").exists() and not partial_files(tmp_path)


def test_a_cancelled_render_returns_only_after_every_chunk_process_ended(cluster, tmp_path: Path):
    """No chunk process outlives a cancel: when the cancelled render returns, its capture
    processes, FFmpeg and chunk processes are gone already (looked at once, no waiting).
    How fast a cancel is belongs to a bench, not here: under load any fixed limit fails."""
    project = make_frame_index_project(tmp_path / "p", duration=4.0)
    out = tmp_path / "out.mp4"
    run = start_render(  # two long chunks: both still capturing when the cancel comes
        FarmSettings(cluster.address, chunk_frames=60), RenderOptions(project=project, output=out)
    )
    wait_for(
        lambda: run.frames_done() > 0 and len(chunk_runners(cluster)) >= 1, 180, "capturing chunks"
    )
    run.cancel.set()
    run.wait(60)  # a hang guard only
    left = farm_processes(cluster)
    assert not left, [" ".join(p.info.get("cmdline") or [])[:120] for p in left]
    mine = [  # this process's own children: the cluster's processes are the others
        c
        for c in psutil.Process().children()
        if "ffmpeg" in c.name() and c.status() != psutil.STATUS_ZOMBIE
    ]
    assert not mine, "the client's FFmpeg (the waiting join) outlived the cancel"
    assert isinstance(run.error, RenderCancelled), repr(run.error)
    assert not out.exists() and not partial_files(tmp_path)


FAKE_FFMPEG = """#!/bin/sh
# answers version questions like the real one, but cannot encode
case "$*" in *-version*|*-encoders*) exec {real} "$@";; esac
exit 1
"""


def test_a_worker_failing_three_chunks_is_blocklisted(tmp_path: Path):
    fake = tmp_path / "bin" / "ffmpeg"
    fake.parent.mkdir()
    real = psutil.Popen(["which", "ffmpeg"], stdout=-1).communicate()[0].decode().strip()
    fake.write_text(FAKE_FFMPEG.format(real=real))
    fake.chmod(0o755)
    broken_env = {"HYPERFRAMES_FFMPEG_PATH": str(fake)}
    farm = start_cluster(tmp_path / "farm", workers=1)
    try:
        farm.add_worker("bad", broken_env)
        wait_for_workers(farm, 2)
        # enough chunks that the bad worker fails three before the good one, warm after its
        # first chunk, has rendered them all
        project = make_frame_index_project(tmp_path / "p", duration=8.0)
        out = tmp_path / "out.mp4"
        run = start_render(
            FarmSettings(farm.address, chunk_frames=5), RenderOptions(project=project, output=out)
        )
        run.wait()
        assert run.error is None, repr(run.error)
        assert_every_frame_shows_its_index(out, 240)  # 8 bit cells: < 256
        assert run.last is not None and run.last.blocklisted == 1 and run.last.retries >= 3
        # with only the broken worker left, the render fails with a sentence saying so
        os.kill(farm.workers[0].pid, signal.SIGTERM)
        wait_for(lambda: len(_workers(farm)) == 1, 30, "the good worker to leave")
        run = start_render(
            FarmSettings(farm.address, chunk_frames=10),
            RenderOptions(project=project, output=tmp_path / "none.mp4"),
        )
        run.wait()
        assert isinstance(run.error, FarmError), repr(run.error)
        assert str(run.error).startswith("No farm worker is left for this render")
        assert "127.0.0.1" not in str(run.error)  # never names the farm's machines
        assert not (tmp_path / "none.mp4").exists()
    finally:
        farm.stop()


def _workers(farm) -> dict:
    from distributed import Client

    with Client(farm.address, timeout=10) as client:
        return client.nthreads()


NO_X264_FFMPEG = """#!/bin/sh
# an FFmpeg built without libx264
case "$*" in *-encoders*) {real} "$@" | grep -v libx264; exit 0;; esac
exec {real} "$@"
"""


def test_a_worker_that_would_render_differently_is_refused_before_any_chunk(tmp_path: Path):
    fake = tmp_path / "bin" / "ffmpeg"
    fake.parent.mkdir()
    real = psutil.Popen(["which", "ffmpeg"], stdout=-1).communicate()[0].decode().strip()
    fake.write_text(NO_X264_FFMPEG.format(real=real))
    fake.chmod(0o755)
    farm = start_cluster(
        tmp_path / "farm", workers=1, worker_env={"HYPERFRAMES_FFMPEG_PATH": str(fake)}
    )
    try:
        wait_for_workers(farm, 1)
        project = make_frame_index_project(tmp_path / "p", duration=1.0)
        run = start_render(
            FarmSettings(farm.address), RenderOptions(project=project, output=tmp_path / "out.mp4")
        )
        run.wait()
        assert isinstance(run.error, FarmError), repr(run.error)
        message = str(run.error)
        assert message.startswith("1 farm worker(s) would render differently")
        assert "an FFmpeg without the libx264 encoder" in message
        assert "127.0.0.1" not in message  # worker names only in the details
        assert any("127.0.0.1" in line for line in run.error.details)
        assert not [p for p in run.progress if p.stage == "capture"]  # no chunk was sent
        assert not (tmp_path / "out.mp4").exists()
    finally:
        farm.stop()
