"""The render cache from the command line (real subprocesses): a second render of an unchanged
project reuses every chunk and says so, ``--no-cache`` captures everything, and ``doctor``
shows the cache's folder, size and cap."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import write_project
from support.rendering import REPO_ROOT, cli_command, cli_env

from hyperframes_desktop.render.incremental import CACHE_DIR_ENV, CACHE_MB_ENV

pytestmark = pytest.mark.slow

HTML = """<!doctype html><html><head><style>
  html, body { margin: 0; width: 320px; height: 180px; background: #123; overflow: hidden; }
  #box { position: absolute; left: 20px; top: 20px; width: 40px; height: 40px;
         background: rgb(250, 120, 20); animation: grow 2s linear both; }
  @keyframes grow { from { width: 40px; } to { width: 280px; } }
</style></head><body>
<div data-composition-id="cli-cache" data-width="320" data-height="180" data-duration="2"
     data-fps="10" data-no-timeline><div id="box"></div></div>
</body></html>
"""


def _run(*args: str, cache_dir: Path, command: list[str] | None = None) -> dict:
    env = cli_env(extra={CACHE_DIR_ENV: str(cache_dir), CACHE_MB_ENV: "64"})
    result = subprocess.run(
        command or cli_command(*args), cwd=str(REPO_ROOT), env=env, capture_output=True,
        text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if command is not None:  # doctor --json: one indented object
        return json.loads(result.stdout)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_render_reuses_chunks_and_no_cache_captures_all(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", HTML)
    cache_dir = tmp_path / "render-cache"
    base = [str(project), "--format", "mov", "--workers", "1", "--json"]
    first = _run(*base, "-o", str(tmp_path / "a.mov"), cache_dir=cache_dir)
    assert first["renderCache"] == {**first["renderCache"], "chunks": 2, "reused": 0, "captured": 2}
    second = _run(*base, "-o", str(tmp_path / "b.mov"), cache_dir=cache_dir)
    assert second["renderCache"]["reused"] == 2 and second["renderCache"]["captured"] == 0
    plain = _run(*base, "--no-cache", "-o", str(tmp_path / "c.mov"), cache_dir=cache_dir)
    assert plain["renderCache"] is None
    assert (tmp_path / "b.mov").stat().st_size > 0

    doctor = _run(
        cache_dir=cache_dir,
        command=[sys.executable, "-m", "hyperframes_desktop.cli", "doctor", "--json"],
    )
    (check,) = [c for c in doctor["checks"] if c["id"] == "render_cache"]
    assert check["data"]["path"] == str(cache_dir)
    assert check["data"]["capBytes"] == 64 * 2**20
    on_disk = sum(p.stat().st_size for p in cache_dir.rglob("*") if p.is_file())
    assert 0 < check["data"]["bytes"] <= on_disk
    assert str(cache_dir) in check["detail"] and "64.0 MB" in check["detail"]
    assert os.path.isdir(cache_dir)
