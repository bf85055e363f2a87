"""Cancelling a render that uses the render cache, while it fingerprints and while it captures
a chunk, leaves no output, no scratch folder, no half-written cache entry and no process."""

from __future__ import annotations

import threading
import time
from pathlib import Path

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
from hyperframes_desktop.render.incremental import CACHE_DIR_ENV

pytestmark = pytest.mark.slow


def wait_until_present(found, timeout: float) -> list:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if live := found():
            return live
        time.sleep(0.05)
    return []


@pytest.mark.parametrize("when", ["fingerprint", "capture"])
def test_cancel_with_the_cache_removes_everything(
    traced: Path, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    cache_dir = traced / "render-cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(cache_dir))
    marker = str(traced)
    project = write_project(traced / "project", long_html())
    out_dir = traced / "out"
    output = out_dir / "long.mp4"
    seen: dict[str, list] = {"live": []}
    job: list[RenderJob] = []

    def cancel_when_processes_run() -> None:
        live = wait_until_present(lambda: child_processes_of_tmp(marker), timeout=60)
        seen["live"] = live
        job[0].cancel()

    def on_progress(p: Progress) -> None:
        if p.stage != "capture" or seen["live"] or seen.get("asked"):
            return
        if when == "fingerprint" and p.frames_done == 0:
            # the fingerprint pass starts its capture processes now: cancel once they run
            seen["asked"] = [True]
            threading.Thread(target=cancel_when_processes_run, daemon=True).start()
        elif when == "capture" and p.frames_done > 0:
            seen["live"] = child_processes_of_tmp(marker)
            job[0].cancel()

    job.append(RenderJob(RenderOptions(project=project, output=output, cache=True), on_progress))
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            job[0].run()
        except BaseException as exc:
            outcome.append(exc)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, name="cached-render-under-test")
    thread.start()
    thread.join(180)
    assert not thread.is_alive(), "run() did not return after cancel()"
    assert len(outcome) == 1 and isinstance(outcome[0], RenderCancelled), outcome
    assert seen["live"], "no render process carried the marker when the cancel came"
    if when == "fingerprint":
        assert not list(cache_dir.rglob("entry.json")), "cancelled before any chunk was kept"

    assert not output.exists() and partial_files(out_dir) == []
    assert scratch_left(traced / "tmp") == [], "scratch folder left behind"
    staging = [p for p in cache_dir.rglob(".*")] if cache_dir.exists() else []
    assert staging == [], f"half-written cache entries: {staging}"
    left = wait_until_gone(live_children, timeout=5)
    assert left == [], f"child processes outlived the cancel: {describe(left)}"
    left = wait_until_gone(lambda: child_processes_of_tmp(marker), timeout=5)
    assert left == [], f"render processes outlived the cancel: {describe(left)}"
