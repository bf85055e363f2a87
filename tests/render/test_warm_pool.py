"""Capture processes kept warm between renders (the studio's WarmPool, real QtWebEngine and
FFmpeg): a warm process loads the edited page and captures exactly what a fresh one does, with
and without the render cache; it outlives the thread of the render that started it; a
cancelled render never gives its processes back, and stopping the pool ends every idle one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from test_render_cache import _samples, frame_md5s
from test_render_cache import project as project  # the shared fixture

from hyperframes_desktop.project.timeline import apply_edit, build_timeline, move_clip
from hyperframes_desktop.render import Progress, RenderCancelled
from hyperframes_desktop.render.incremental import warm_pool
from hyperframes_desktop.render.incremental.warm_pool import WarmPool
from hyperframes_desktop.render.options import RenderOptions
from hyperframes_desktop.render.pipeline import RenderJob, RenderResult

pytestmark = pytest.mark.slow


def _in_thread(job: RenderJob) -> RenderResult:
    """Run ``job`` on a thread that ends with it (as a studio pool thread may)."""
    box: list = []

    def run() -> None:
        try:
            box.append(job.run())
        except BaseException as exc:
            box.append(exc)

    thread = threading.Thread(target=run, name="render-under-test")
    thread.start()
    thread.join(180)
    assert not thread.is_alive()
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def _render(project: Path, out: Path, pool: WarmPool | None, *, cache: bool) -> RenderResult:
    options = RenderOptions(project=project, output=out, format="mov", workers=1, cache=cache)
    return _in_thread(RenderJob(options, warm_pool=pool))


def _alive(pids: list[int]) -> list[int]:
    found = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                found.append(pid)
        except psutil.Error:
            continue
    return found


def test_warm_processes_render_the_edited_page_as_a_fresh_process_does(
    project: Path,
    tmp_path: Path,
) -> None:
    pool = WarmPool()
    try:
        first = _render(project, tmp_path / "first.mov", pool, cache=True)
        assert first.cache is not None and first.cache.captured == 8  # CHUNKS
        (pid,) = pool.idle_pids()
        time.sleep(1.0)  # the render's thread has ended: a death signal would have come
        assert _alive([pid]) == [pid], "a warm process outlives the render thread that lent it"

        timeline = build_timeline(project)
        clip = timeline.clip("b")
        assert clip is not None
        apply_edit(move_clip(timeline, "b", clip.start_frame - 10), timeline)

        cached = _render(project, tmp_path / "cached.mov", pool, cache=True)
        assert cached.cache is not None and (cached.cache.reused, cached.cache.captured) == (5, 3)
        assert pool.idle_pids() == [pid] and pool.reused == 1, "the same process, page reloaded"
        plain = _render(project, tmp_path / "plain.mov", pool, cache=False)
        assert pool.idle_pids() == [pid] and pool.reused == 2 and pool.started == 1
    finally:
        pool.stop()
    fresh = _render(project, tmp_path / "fresh.mov", None, cache=False)

    expected = frame_md5s(fresh.output)
    assert len(expected) == 60
    assert frame_md5s(plain.output) == expected, "a warm process's frames equal a fresh one's"
    assert frame_md5s(cached.output) == expected, "and so do the cached re-render's"
    assert frame_md5s(first.output) != expected, "the edit shows"
    assert _samples(cached.output) == _samples(plain.output) == _samples(fresh.output)
    deadline = time.monotonic() + 10
    while _alive([pid]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive([pid]), "stopping the pool ends its idle processes"


def test_a_cancelled_render_stops_the_processes_it_borrowed(
    project: Path,
    tmp_path: Path,
) -> None:
    pool = WarmPool()
    try:
        _render(project, tmp_path / "first.mov", pool, cache=False)
        (pid,) = pool.idle_pids()

        job: list[RenderJob] = []

        def cancel_once_capturing(progress: Progress) -> None:
            if progress.stage == "capture" and progress.frames_done > 0:
                job[0].cancel()

        options = RenderOptions(
            project=project, output=tmp_path / "cancelled.mov", format="mov", workers=1
        )
        job.append(RenderJob(options, cancel_once_capturing, warm_pool=pool))
        with pytest.raises(RenderCancelled):
            _in_thread(job[0])
        assert pool.reused == 1, "the cancelled render had borrowed the warm process"
        assert pool.idle_pids() == [], "and did not give it back"
        deadline = time.monotonic() + 10
        while _alive([pid]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive([pid]), "it stopped it"
    finally:
        pool.stop()


_CRASHING_STUDIO = """
import os, signal, sys, threading
from pathlib import Path
from hyperframes_desktop.render.incremental import warm_pool
from hyperframes_desktop.render.incremental.warm_pool import WarmPool
from hyperframes_desktop.render.options import RenderOptions
from hyperframes_desktop.render.pipeline import RenderJob

pool = WarmPool()
options = RenderOptions(project=Path(sys.argv[1]), output=Path(sys.argv[2]), format="mov",
                        workers=1, cache=False)
thread = threading.Thread(target=lambda: RenderJob(options, warm_pool=pool).run())
thread.start()
thread.join()
print(" ".join(map(str, pool.idle_pids())), flush=True)
sys.stdin.readline()
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_warm_processes_die_with_a_studio_that_crashes(
    project: Path,
    tmp_path: Path,
) -> None:
    scratch = tmp_path / "tmp"  # the killed studio's scratch folder stays in the test's
    scratch.mkdir()
    studio = subprocess.Popen(
        [sys.executable, "-c", _CRASHING_STUDIO, str(project), str(tmp_path / "out.mov")],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert studio.stdout is not None and studio.stdin is not None
        pids = [int(pid) for pid in studio.stdout.readline().split()]
        assert len(pids) == 1 and _alive(pids) == pids, "the render left a warm process idle"
        studio.stdin.write("\n")
        studio.stdin.flush()
        assert studio.wait(timeout=30) == -signal.SIGKILL
    finally:
        if studio.poll() is None:
            studio.kill()
            studio.wait()
    deadline = time.monotonic() + 15
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pids), "a warm capture process outlived the studio that crashed"


def test_a_process_retires_after_its_last_render(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm process grows with every page it loads: after MAX_RENDERS it is stopped."""
    monkeypatch.setattr(warm_pool, "MAX_RENDERS", 2)
    pool = WarmPool()
    try:
        _render(project, tmp_path / "one.mov", pool, cache=False)
        (pid,) = pool.idle_pids()
        _render(project, tmp_path / "two.mov", pool, cache=False)
        assert pool.reused == 1 and pool.idle_pids() == [], "retired after its second render"
        deadline = time.monotonic() + 10
        while _alive([pid]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive([pid])
    finally:
        pool.stop()


def test_idle_processes_stop_after_the_idle_limit(project: Path, tmp_path: Path) -> None:
    pool = WarmPool(idle_s=0.5)
    try:
        _render(project, tmp_path / "one.mov", pool, cache=False)
        (pid,) = pool.idle_pids()
        deadline = time.monotonic() + 10
        while (pool.idle_pids() or _alive([pid])) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pool.idle_pids() == [] and not _alive([pid]), "stopped once idle for 0.5 s"
    finally:
        pool.stop()


def test_a_page_needing_whole_tile_raster_never_borrows_a_process_started_without_it(
    project: Path, tmp_path: Path
) -> None:
    """Chromium's raster flag is fixed when a process starts (render.raster_needs): a warm
    process started for a page without CSS animations must not serve one that has them."""
    index = project / "index.html"
    animated = index.read_text(encoding="utf-8")
    assert "@keyframes" in animated
    index.write_text(animated.replace("@keyframes tint", "@frames tint"), encoding="utf-8")
    pool = WarmPool()
    try:
        _render(project, tmp_path / "still.mov", pool, cache=False)
        assert (pool.started, pool.reused) == (1, 0)
        index.write_text(animated, encoding="utf-8")
        _render(project, tmp_path / "animated.mov", pool, cache=False)
        assert (pool.started, pool.reused) == (2, 0), "the CSS page got a partial-raster process"
        _render(project, tmp_path / "again.mov", pool, cache=False)
        assert (pool.started, pool.reused) == (2, 1), "the same kind of page reuses it"
    finally:
        pool.stop()
