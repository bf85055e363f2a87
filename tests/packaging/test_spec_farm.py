"""The frozen app can be a farm worker (fast; no build): the spec freezes every submodule of
distributed (it imports many lazily), the entry point hands the Nanny's spawned worker
process to multiprocessing, and a frozen worker starts chunks through its own executable."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from hyperframes_desktop.render.farm.supervisor import chunk_command

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "hyperframes-desktop.spec"
ENTRY = ROOT / "packaging" / "entry.py"


def _calls(path: Path) -> list[tuple[str, list[str]]]:
    """(function name, string arguments) of every call in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            found.append((name, args))
    return found


def test_the_spec_collects_distributeds_submodules_and_excludes_none_of_dask():
    assert ("collect_submodules", ["distributed"]) in _calls(SPEC)
    from test_spec_qt_modules import _spec_list

    excluded = _spec_list("excludes")
    for needed in ("distributed", "dask", "tornado", "msgpack", "cloudpickle", "psutil"):
        assert not any(e == needed or e.startswith(f"{needed}.") for e in excluded), needed


def test_the_frozen_entry_point_calls_freeze_support_before_the_cli():
    calls = [name for name, _ in _calls(ENTRY)]
    assert "freeze_support" in calls
    assert calls.index("freeze_support") < calls.index("main")


def test_a_frozen_worker_starts_chunks_through_its_own_executable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    job = tmp_path / "job.json"
    assert chunk_command(job)[1:3] == ["-m", "hyperframes_desktop.render.farm.chunk_runner"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert chunk_command(job) == [sys.executable, "--farm-chunk", str(job)]
