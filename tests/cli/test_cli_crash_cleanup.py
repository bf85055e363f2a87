"""Clean-up after a crash: a render killed with SIGKILL leaves a partial output and a scratch
folder; the next render into the same folder removes both, and never touches the files of a
render that is still running."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest
from support import child_processes_of_tmp, describe, partial_files, video_info, write_project
from support.compositions import long_html, mixed_html
from support.processes import wait_until_gone
from support.rendering import cli_command, cli_env, run_cli
from test_cli_render import StderrReader

pytestmark = pytest.mark.slow


def _scratch(tmp: Path) -> set[Path]:
    return {p for p in tmp.iterdir() if p.name.startswith("hf-render-")}


def _start(project: Path, output: Path, marker: Path) -> tuple[subprocess.Popen, StderrReader]:
    proc = subprocess.Popen(
        # --no-cache: the streamed encode writes the partial output while it captures
        cli_command(
            str(project), "-o", str(output), "--quality", "draft", "--workers", "1", "--no-cache"
        ),
        env=cli_env(marker),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    reader = StderrReader(proc)
    reader.start()
    return proc, reader


def test_next_render_removes_a_killed_renders_leftovers_but_not_a_live_ones(
    tmp_path: Path,
) -> None:
    long_project = write_project(tmp_path / "long", long_html())
    short_project = write_project(tmp_path / "short", mixed_html())
    out, tmp = tmp_path / "out", tmp_path / "tmp"

    killed, reader = _start(long_project, out / "killed.mp4", tmp_path)
    try:
        assert reader.wait_for(r"\d+/300 frames", timeout=120), reader.text()
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
    finally:
        if killed.poll() is None:
            killed.kill()
            killed.wait()
    left = wait_until_gone(lambda: child_processes_of_tmp(str(tmp_path)), timeout=15)
    assert left == [], f"the killed render's children outlived it: {describe(left)}"
    stale_partials = partial_files(out)
    stale_scratch = _scratch(tmp)
    assert len(stale_partials) == 1, "SIGKILL leaves a partial output (what we clean up)"
    assert len(stale_scratch) == 1, "SIGKILL leaves a scratch folder (what we clean up)"

    live, live_reader = _start(long_project, out / "live.mp4", tmp_path)
    try:
        assert live_reader.wait_for(r"\d+/300 frames", timeout=120), live_reader.text()
        live_partials = set(partial_files(out)) - set(stale_partials)
        live_scratch = _scratch(tmp) - stale_scratch
        assert len(live_partials) == 1 and len(live_scratch) == 1
        # paused, not ended: its process is alive, so its files must be left alone
        live.send_signal(signal.SIGSTOP)
        try:
            after = run_cli([str(short_project), "-o", str(out / "next.mp4")], marker=tmp_path)
        finally:
            live.send_signal(signal.SIGCONT)
        assert after.returncode == 0, after.stderr

        assert not any(p.exists() for p in stale_partials), "stale partial left"
        assert not any(p.exists() for p in stale_scratch), "stale scratch folder left"
        assert all(p.exists() for p in live_partials), "a live render's partial was removed"
        assert all(p.exists() for p in live_scratch), "a live render's scratch was removed"
        assert live.wait(timeout=300) == 0, live_reader.text()
    finally:
        if live.poll() is None:
            live.kill()
            live.wait()
    assert video_info(out / "live.mp4").frames == 300
    assert video_info(out / "next.mp4").frames == 20
    assert partial_files(out) == []
    assert _scratch(tmp) == set()
