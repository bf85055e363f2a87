"""FFmpeg's version and encoders are asked once per binary, not once per process: a CLI render
or a new farm worker reads them from the user cache; a changed binary is asked again. Real
processes and the real FFmpeg behind a wrapper script that logs each time it runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

_ASK = (
    "import json\n"
    "from hyperframes_desktop.render.farm.versions import machine_versions\n"
    "v = machine_versions()\n"
    "print(json.dumps([v['ffmpeg'], v['encoders']]))\n"
)


def _wrapper(folder: Path, log: Path, note: str) -> Path:
    real = shutil.which("ffmpeg")
    assert real, "the tests need FFmpeg"
    script = folder / "ffmpeg"
    script.write_text(f'#!/bin/sh\n# {note}\necho run >> "{log}"\nexec "{real}" "$@"\n')
    script.chmod(0o755)
    return script


def _ask(wrapper: Path, cache: Path) -> list:
    env = {**os.environ, "HYPERFRAMES_FFMPEG_PATH": str(wrapper), "XDG_CACHE_HOME": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", _ASK], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def _runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_a_new_process_takes_ffmpegs_facts_from_the_cache_until_the_binary_changes(
    tmp_path: Path,
):
    log, cache = tmp_path / "runs.log", tmp_path / "cache"
    wrapper = _wrapper(tmp_path, log, "one")
    first = _ask(wrapper, cache)
    assert first[0] not in ("missing", "unknown") and "libx264" in first[1], first
    assert _runs(log) == 2  # -version and -encoders
    assert _ask(wrapper, cache) == first
    assert _runs(log) == 2, "a second process ran FFmpeg again"
    # another binary under the same name (rebuilt, upgraded): asked again, once
    _wrapper(tmp_path, log, "two, a longer note: a different file")
    assert _ask(wrapper, cache) == first
    assert _runs(log) == 4
    assert _ask(wrapper, cache) == first
    assert _runs(log) == 4
    # an unreadable cache is no failure: FFmpeg is asked
    (cache / "hyperframes-desktop" / "ffmpeg-facts.json").write_text("not json")
    assert _ask(wrapper, cache) == first
    assert _runs(log) == 6


def test_a_kept_entry_without_its_encoders_is_asked_again(tmp_path: Path):
    """A cache entry written by hand or by another version, without its encoder list, is no
    failure: FFmpeg is asked again and the entry is written whole."""
    log, cache = tmp_path / "runs.log", tmp_path / "cache"
    wrapper = _wrapper(tmp_path, log, "one")
    first = _ask(wrapper, cache)
    facts_file = next(cache.rglob("ffmpeg-facts.json"))
    kept = json.loads(facts_file.read_text())
    facts_file.write_text(json.dumps({key: {"version": "x"} for key in kept}))
    assert _ask(wrapper, cache) == first
    assert _runs(log) == 4
    assert all("encoders" in entry for entry in json.loads(facts_file.read_text()).values())
