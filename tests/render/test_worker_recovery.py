"""A capture worker that dies mid-render (killed, crashed) is replaced and its remaining frames
re-captured: the output has every frame, each one correct. A composition's own errors still
fail at once, and a death the engine cannot recover from is described in words."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from pathlib import Path

import psutil
import pytest
from support import frame_md5s, write_project
from support.compositions import mixed_html

from hyperframes_desktop.render import Progress, RenderJob, RenderOptions
from hyperframes_desktop.render.worker_exit import describe_exit

pytestmark = pytest.mark.slow

FRAMES = 90  # 3 s at 30 fps: the CSS box moves ~6.7 px a frame, so every frame differs


def _capture_workers() -> list[psutil.Process]:
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "hyperframes_desktop.render.worker" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    html = mixed_html(composition_id="recover", duration=3.0, fps="30")
    return write_project(tmp_path_factory.mktemp("recover") / "p", html)


def _render(project: Path, out: Path, on_progress=None) -> Path:
    options = RenderOptions(project=project, output=out, format="png-sequence", workers=2)
    result = RenderJob(options, on_progress).run()
    assert result.perf.captureRestarts == (1 if on_progress else 0)
    return result.output


def test_killed_worker_is_replaced_and_every_frame_is_right(project: Path, tmp_path: Path) -> None:
    reference = _render(project, tmp_path / "reference")
    killed: list[int] = []
    lock = threading.Lock()

    def kill_one(p: Progress) -> None:
        with lock:
            if killed or p.stage != "capture" or p.frames_done < 20:
                return
            workers = _capture_workers()
            assert len(workers) == 2, workers
            victim = workers[0]
            killed.append(victim.pid)
            os.kill(victim.pid, signal.SIGKILL)

    out = _render(project, tmp_path / "recovered", kill_one)
    assert killed, "the render finished before a worker could be killed"
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"frame_{i:06d}.png" for i in range(FRAMES)]
    wrong = [name for name in names if frame_md5s(out / name) != frame_md5s(reference / name)]
    assert wrong == [], f"frames that differ from an undisturbed render: {wrong}"


def test_script_error_still_fails_at_once_with_its_sentence(tmp_path: Path) -> None:
    from support.compositions import THROWN_MESSAGE, broken_timeline_html

    from hyperframes_desktop.render import RenderError

    project = write_project(tmp_path / "p", broken_timeline_html())
    with pytest.raises(RenderError) as caught:
        RenderJob(RenderOptions(project=project, output=tmp_path / "b.mp4", workers=2)).run()
    assert THROWN_MESSAGE in str(caught.value)
    assert "window.__timelines" in str(caught.value)


def test_deaths_are_described_in_words() -> None:
    oom = describe_exit(-signal.SIGKILL, ["TypeError: x is undefined (index.html:12)"])
    assert "killed by signal SIGKILL" in oom
    assert "the system may have run out of memory" in oom
    assert "The page reported: TypeError: x is undefined (index.html:12)." in oom
    assert "crashed (SIGSEGV)" in describe_exit(-signal.SIGSEGV)
    assert "exited with code 3" in describe_exit(3)
    assert "Fix:" in describe_exit(3)


PAGE_SAYS = "hello from the page script"


def test_a_worker_that_keeps_dying_fails_in_words_quoting_the_page(tmp_path: Path) -> None:
    """Every capture worker (and each replacement) is killed: after the allowed re-captures
    the render fails naming SIGKILL and memory, and quoting the page's own console error."""
    from hyperframes_desktop.render import RenderError
    from hyperframes_desktop.render.capture_stage import MAX_RECAPTURES

    extra = f'<script>console.error("{PAGE_SAYS}");</script>'
    html = mixed_html(composition_id="doomed", duration=3.0, fps="30", extra=extra)
    project = write_project(tmp_path / "p", html)
    stop = threading.Event()
    kills: list[int] = []

    def killer() -> None:
        while not stop.wait(0.3):
            for worker in _capture_workers():
                with contextlib.suppress(OSError):
                    os.kill(worker.pid, signal.SIGKILL)
                    kills.append(worker.pid)

    started = threading.Event()

    def on_progress(p: Progress) -> None:
        if p.stage == "capture" and p.frames_done >= 3 and not started.is_set():
            started.set()
            threading.Thread(target=killer, daemon=True).start()

    options = RenderOptions(project=project, output=tmp_path / "d.mp4", workers=1)
    try:
        with pytest.raises(RenderError) as caught:
            RenderJob(options, on_progress).run()
    finally:
        stop.set()
    message = str(caught.value)
    assert len(set(kills)) == MAX_RECAPTURES + 1, kills
    assert "killed by signal SIGKILL (the system may have run out of memory)" in message
    assert f"The page reported: {PAGE_SAYS}" in message
    assert f"It was restarted {MAX_RECAPTURES} times already." in message
    assert "Fix:" in message
    assert not (tmp_path / "d.mp4").exists()
