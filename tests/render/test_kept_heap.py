"""Capture processes keep frame-sized buffers in glibc's heap (render.kept_heap): each one
starts with the tunables (a user's own GLIBC_TUNABLES wins), and the frames are the same
with and without them."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_md5s, write_project

from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.early_capture import Standby
from hyperframes_desktop.render.kept_heap import MALLOC_TUNABLES

pytestmark = pytest.mark.slow

PAGE = """<!doctype html><html><head><style>
html, body { margin: 0; width: 320px; height: 180px; overflow: hidden; background: #203040; }
@keyframes move { to { transform: translate(150.5px, 60.25px) rotate(200deg); } }
#box { position: absolute; left: 20px; top: 30px; width: 70px; height: 50px;
  background: linear-gradient(45deg, #e4572e, #ffc145); animation: move 0.3s ease-in both; }
</style></head><body>
<div id="stage" data-composition-id="heap" data-width="320" data-height="180"
     data-duration="0.3" data-fps="30" data-no-timeline><div id="box"></div></div></body></html>"""


def _environ(pid: int) -> list[bytes]:
    return Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")


def test_a_capture_process_starts_with_the_kept_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    worker = Standby(prepared=True)
    try:
        first = MALLOC_TUNABLES.split(":")[0]  # what glibc leaves of it in the block
        assert any(e.startswith(f"GLIBC_TUNABLES={first}".encode()) for e in _environ(worker.pid))
    finally:
        worker.stop()

    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.perturb=0")
    worker = Standby(prepared=True)
    try:
        assert not any(b"mmap_threshold" in e for e in _environ(worker.pid))
    finally:
        worker.stop()


def _render(project: Path, out: Path) -> list[str]:
    RenderJob(
        RenderOptions(project=project, output=out, format="png-sequence", workers=1, cache=False)
    ).run()
    return [frame_md5s(png)[0] for png in sorted(out.iterdir())]


def test_the_frames_are_the_same_without_the_kept_heap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", PAGE)
    monkeypatch.delenv("GLIBC_TUNABLES", raising=False)
    kept = _render(project, tmp_path / "kept")
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.malloc.perturb=0")  # the user's: ours left out
    plain = _render(project, tmp_path / "plain")
    assert len(kept) == 9 and len(set(kept)) > 5
    assert kept == plain
