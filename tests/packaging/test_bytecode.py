"""scripts/bootstrap.sh writes bytecode for the package, and processes then load it even where
PYTHONDONTWRITEBYTECODE is set (an editable install would otherwise compile every module from
source in every CLI and capture process, as no installed wheel does).

The bootstrap's own ``compile_bytecode`` step runs here on a copy of one subpackage in a
temporary root, so the test touches neither the checkout nor the system."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BOOTSTRAP = REPO / "scripts" / "bootstrap.sh"


def _step(name: str) -> str:
    """The text of one shell function of bootstrap.sh."""
    match = re.search(rf"^{name}\(\) {{\n.*?^}}\n", BOOTSTRAP.read_text(), re.S | re.M)
    assert match, f"bootstrap.sh has no {name}() step"
    return match.group(0)


def test_bootstrap_runs_the_bytecode_step():
    text = BOOTSTRAP.read_text()
    steps = re.findall(r"^(\w+)$", text, re.M)
    assert "compile_bytecode" in steps, "bootstrap.sh never calls compile_bytecode"
    assert steps.index("compile_bytecode") > steps.index("install_venv")


def test_processes_load_the_bytecode_it_writes(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(
        REPO / "hyperframes_desktop" / "render" / "worker",
        root / "hyperframes_desktop" / "render" / "worker",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for package in (root / "hyperframes_desktop", root / "hyperframes_desktop" / "render"):
        (package / "__init__.py").write_text("")
    venv = Path(sys.executable).parent.parent
    script = f'log() {{ echo "$*" >&2; }}\n{_step("compile_bytecode")}compile_bytecode\n'
    subprocess.run(
        ["bash", "-c", script],
        env={**os.environ, "ROOT": str(root), "VENV": str(venv)},
        check=True,
        timeout=60,
    )
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTHONPYCACHEPREFIX", None)
    out = subprocess.run(
        [sys.executable, "-v", "-c", "import hyperframes_desktop.render.worker.protocol"],
        env=env,
        cwd=tmp_path,  # not the checkout: `-c` puts the working folder first on sys.path
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stderr
    cached = root / "hyperframes_desktop" / "render" / "worker" / "__pycache__"
    loaded = [line for line in out.splitlines() if "code object from" in line and str(root) in line]
    assert any(f"{cached}/protocol." in line and ".pyc" in line for line in loaded), loaded
