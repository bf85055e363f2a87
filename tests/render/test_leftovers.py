"""Owner-stamped temp names and what counts as a dead render's leftover (no render needed)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

from hyperframes_desktop.render import leftovers
from hyperframes_desktop.render.leftovers import (
    LEGACY_AGE_S,
    owner_alive,
    owner_tag,
    partial_name,
    remove_stale_partials,
    remove_stale_scratch,
)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_names_carry_this_process_and_its_start_time() -> None:
    pid, start = owner_tag().split("-")
    assert int(pid) == os.getpid()
    assert int(start) == round(psutil.Process().create_time() * 100)
    name = partial_name("clip", ".mp4")
    assert name.startswith(".clip.") and name.endswith(f".{owner_tag()}.partial.mp4")


def test_owner_alive_needs_the_same_pid_and_start_time() -> None:
    pid, start = (int(x) for x in owner_tag().split("-"))
    assert owner_alive(pid, start)
    assert not owner_alive(pid, start - 500), "a reused pid is a different owner"
    assert not owner_alive(_dead_pid(), start)


def test_partials_of_dead_owners_go_live_ones_and_others_stay(tmp_path: Path) -> None:
    dead = f"{_dead_pid()}-12345"
    mine = tmp_path / partial_name("mine", ".mp4")
    stale_file = tmp_path / f".old.0123abcd.{dead}.partial.mp4"
    stale_dir = tmp_path / f".seq.0123abcd.{dead}.partial"
    legacy_new = tmp_path / ".legacy.89abcdef.partial.webm"
    legacy_old = tmp_path / ".ancient.89abcdef.partial.webm"
    user = tmp_path / "my.partial.mp4"
    for path in (mine, stale_file, legacy_new, legacy_old, user):
        path.write_bytes(b"x")
    stale_dir.mkdir()
    (stale_dir / "frame_000000.png").write_bytes(b"x")
    old = time.time() - LEGACY_AGE_S - 60
    os.utime(legacy_old, (old, old))
    removed = remove_stale_partials(tmp_path)
    assert sorted(removed) == sorted([stale_file, stale_dir, legacy_old])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [mine.name, legacy_new.name, user.name]
    )


def test_scratch_of_dead_owners_goes(tmp_path: Path) -> None:
    live = tmp_path / f"{leftovers.SCRATCH_PREFIX}{owner_tag()}-abc_1234"
    dead = tmp_path / f"{leftovers.SCRATCH_PREFIX}{_dead_pid()}-99-xyz12345"
    other = tmp_path / "hf-render-chunk-7-of-9"  # not our naming scheme: never touched
    for folder in (live, dead, other):
        folder.mkdir()
        (folder / "page.html").write_text("x")
    assert remove_stale_scratch(tmp_path) == [dead]
    assert live.exists() and other.exists()


def test_every_scratch_kind_of_a_dead_owner_goes_and_a_live_ones_stays(tmp_path: Path) -> None:
    dead_owner = f"{_dead_pid()}-99"
    dead = [tmp_path / f"hf-{kind}-{dead_owner}-k{n}" for n, kind in enumerate(
        ("farm", "thumbs", "preview", "render"))]  # fmt: skip
    live = tmp_path / f"hf-thumbs-{owner_tag()}-abc_1234"
    for folder in (*dead, live):
        folder.mkdir()
        (folder / "x.png").write_bytes(b"x")
    assert sorted(remove_stale_scratch(tmp_path)) == sorted(dead)
    assert live.exists()
    made = leftovers.make_scratch("farm")
    try:
        assert made.name.startswith(f"hf-farm-{owner_tag()}-")
    finally:
        made.rmdir()
