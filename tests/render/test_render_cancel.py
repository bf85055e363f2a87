"""Cancelling a render through the API leaves no file and no process behind."""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest
from support import (
    child_processes_of_tmp,
    describe,
    live_children,
    partial_files,
    scratch_left,
    wait_until_gone,
    write_project,
)
from support.compositions import long_html

from hyperframes_desktop.render import Progress, RenderCancelled, RenderJob, RenderOptions

pytestmark = pytest.mark.slow

TOTAL_FRAMES = 300  # 10 s at 30 fps: capture is far from done when the cancel arrives


@dataclass
class CancelProbe:
    job: RenderJob | None = None
    frames_at_cancel: int | None = None
    live_at_cancel: list[psutil.Process] = field(default_factory=list)
    names_at_cancel: list[str] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)


def _names(procs: list[psutil.Process]) -> list[str]:
    names = []
    for p in procs:
        with contextlib.suppress(psutil.Error):
            names.append(p.name())
    return names


@pytest.mark.parametrize("chromium", ["single-process", "multiprocess"])
def test_cancel_during_capture_removes_everything(
    traced: Path, monkeypatch: pytest.MonkeyPatch, chromium: str
) -> None:
    if chromium == "multiprocess":
        # the worker's opt-in to Chromium's own helper processes: grandchildren to clean up
        monkeypatch.setenv("HYPERFRAMES_CAPTURE_MULTIPROCESS", "1")
    else:
        monkeypatch.delenv("HYPERFRAMES_CAPTURE_MULTIPROCESS", raising=False)
    marker = str(traced)
    project = write_project(traced / "project", long_html())
    out_dir = traced / "out"
    output = out_dir / "long.mp4"
    probe = CancelProbe()

    def on_progress(p: Progress) -> None:
        probe.progress.append(p)
        if p.stage == "capture" and p.frames_done > 0 and probe.frames_at_cancel is None:
            probe.frames_at_cancel = p.frames_done
            probe.live_at_cancel = child_processes_of_tmp(marker)
            probe.names_at_cancel = _names(probe.live_at_cancel)
            assert probe.job is not None
            probe.job.cancel()

    probe.job = RenderJob(RenderOptions(project=project, output=output), on_progress)
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            probe.job.run()  # type: ignore[union-attr]
        except BaseException as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, name="render-under-test")
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "run() did not return after cancel()"
    assert len(outcome) == 1 and isinstance(outcome[0], RenderCancelled), outcome

    assert probe.frames_at_cancel is not None and 0 < probe.frames_at_cancel < TOTAL_FRAMES
    # the scan does see a running render (so "nothing found" below means something)
    assert probe.live_at_cancel, "no render process carried the marker while capturing"
    assert "ffmpeg" in probe.names_at_cancel
    if chromium == "multiprocess":
        assert any("QtWebEngine" in n for n in probe.names_at_cancel), probe.names_at_cancel
    assert probe.progress[-1].status == "cancelled"

    assert not output.exists()
    assert partial_files(out_dir) == []
    assert list(out_dir.iterdir()) == []
    assert scratch_left(traced / "tmp") == [], "scratch folder left behind"
    left = wait_until_gone(live_children, timeout=5)
    assert left == [], f"child processes outlived the cancel: {describe(left)}"
    left = wait_until_gone(lambda: child_processes_of_tmp(marker), timeout=5)
    assert left == [], f"render processes outlived the cancel: {describe(left)}"


def test_cancel_before_run_starts_no_process(traced: Path) -> None:
    project = write_project(traced / "project", long_html())
    output = traced / "out" / "long.mp4"
    job = RenderJob(RenderOptions(project=project, output=output))
    job.cancel()
    assert job.cancelled
    with pytest.raises(RenderCancelled):
        job.run()
    assert not output.exists()
    assert partial_files(traced) == []
    assert scratch_left(traced / "tmp") == []
    assert live_children() == []
