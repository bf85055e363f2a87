"""A capture process started before its job (render.early_capture): the CLI's ``render``
starts one before its own imports and compile; the render adopts it and gets the same frames
as from a process started with the job; one nobody takes ends."""

from __future__ import annotations

import threading
from pathlib import Path

import psutil
import pytest
from support import frame_md5s, write_project

from hyperframes_desktop.render import RenderJob, RenderOptions, early_capture
from hyperframes_desktop.render.early_capture import Standby, start_early, stop_early, take_early

pytestmark = pytest.mark.slow

# Moving CSS animations: the page takes whole-tile raster (a switch the prepared process
# must set from its job, after its imports), and every frame differs.
CSS_PAGE = """<!doctype html><html><head><style>
html, body { margin: 0; width: 320px; height: 180px; overflow: hidden; background: #f3ede2; }
@keyframes turn { to { transform: rotate(270deg) scale(0.6); border-radius: 12px; } }
#square { position: absolute; left: 40px; top: 40px; width: 60px; height: 60px;
  background: #e4572e; animation: turn 0.3s cubic-bezier(0.65, 0, 0.35, 1) both; }
@keyframes slide { to { transform: translateX(120.5px); } }
#bar { position: absolute; left: 150px; top: 120px; width: 40px; height: 14px;
  background: linear-gradient(90deg, #2f3061, #6b5ca5); animation: slide 0.3s linear both; }
</style></head><body>
<div id="stage" data-composition-id="early" data-width="320" data-height="180"
     data-duration="0.3" data-fps="30" data-no-timeline>
<div id="square"></div><div id="bar"></div></div></body></html>"""


@pytest.fixture(autouse=True)
def _no_early_left() -> None:
    yield
    stop_early()


def _render(project: Path, out: Path) -> list[str]:
    RenderJob(
        RenderOptions(project=project, output=out, format="png-sequence", workers=1, cache=False)
    ).run()
    return [frame_md5s(png)[0] for png in sorted(out.iterdir())]


def test_a_render_adopts_the_early_process_and_draws_the_same_frames(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", CSS_PAGE)
    reference = _render(project, tmp_path / "fresh")
    assert len(reference) == 9 and len(set(reference)) > 5  # the animation moves

    start_early()
    early = list(early_capture._early)
    assert len(early) == 1 and early[0].alive
    children: set[str] = set()
    rendered = threading.Event()

    def watch() -> None:  # the job's switches reach Chromium: --single-process, no helpers
        process = psutil.Process(early[0].pid)
        while not rendered.is_set():
            try:
                children.update(c.name() for c in process.children(recursive=True))
            except psutil.Error:
                return
            rendered.wait(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        frames = _render(project, tmp_path / "early")
    finally:
        rendered.set()
        watcher.join()

    # the render took it (none is left) and it ran the job to its end, like a worker
    assert take_early() is None
    assert early[0].proc.poll() == 0
    assert not children, children
    assert frames == reference


def test_an_early_process_nobody_takes_ends() -> None:
    start_early()
    (early,) = early_capture._early
    stop_early()
    assert early.proc.wait(timeout=10) is not None
    assert take_early() is None

    # and one whose parent closes its stdin (no job comes) ends by itself, cleanly
    prepared = Standby(prepared=True)
    try:
        assert prepared.proc.stdin is not None
        prepared.proc.stdin.close()
        assert prepared.proc.wait(timeout=60) == 0
    finally:
        prepared.stop()


def test_no_early_process_when_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(early_capture.EARLY_CAPTURE_ENV, "0")
    start_early()
    assert take_early() is None
