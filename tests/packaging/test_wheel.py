"""The wheel and sdist a user installs with pip or pipx: complete, and working from anywhere.

Builds the sdist and, from it, the wheel (``python -m build --no-isolation``, with this
environment's setuptools) out of a clean copy of the tree, installs the wheel with
``--no-deps`` into a fresh ``--target`` folder and runs its console script with only that
folder on the path (``PYTHONSAFEPATH=1``, from a temp working folder), so the package in use
is the installed one, never the checkout, while the dependencies come from this environment.

Part of the normal suite (marked slow: about a minute); needs no root and no network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from support import REPO_ROOT, frame_rgb, video_info, write_project
from support.compositions import CSS_BOX, css_colour_at, mixed_html
from support.media import assert_colour

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

PKG = "hyperframes_desktop"
RESOURCE_FILES = (
    "fonts/bundled.json",
    "fonts/npm/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
    "fonts/npm/@fontsource-variable/eb-garamond/files/eb-garamond-latin-ext-wght-italic.woff2",
    "fonts/npm/@fontsource-variable/inter/LICENSE",
    "fonts/npm/@fontsource/montserrat/files/montserrat-latin-700-normal.woff2",
    "fonts/npm/@fontsource/montserrat/integrity.txt",
    "demo/index.html",
    "demo/audio/soundbed.ogg",
    "icons/hyperframes-desktop.svg",
    "icons/hyperframes-desktop.png",
    "hyperframes-desktop.desktop",
)
# Not part of a source distribution: caches, build output, local renders and environments.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", ".cache", "__pycache__", "*.pyc",
    ".pytest_cache", ".ruff_cache", "out",
)  # fmt: skip
# Variables that would make the installed app use something other than the wheel.
_DROP_ENV = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "HYPERFRAMES_SCREENSHOT")


def _run(cmd: list[str | Path], *, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, timeout=timeout, check=False,
        **kwargs,
    )  # fmt: skip
    if proc.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, cmd))} exited {proc.returncode}\n"
            f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-6000:]}"
        )
    return proc


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(sdist, wheel), the wheel built from the sdist as ``python -m build`` does."""
    base = tmp_path_factory.mktemp("dists")
    source = base / "source"
    shutil.copytree(REPO_ROOT, source, ignore=_NOT_SOURCE)
    out = base / "dist"
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source])
    sdists, wheels = sorted(out.glob("*.tar.gz")), sorted(out.glob("*.whl"))
    assert len(sdists) == 1 and len(wheels) == 1, sorted(out.iterdir())
    return sdists[0], wheels[0]


@pytest.fixture(scope="module")
def installed(dists: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed with --no-deps into a fresh target folder."""
    target = tmp_path_factory.mktemp("target")
    _run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
          "--target", target, dists[1]])  # fmt: skip
    assert (target / PKG / "__init__.py").is_file()
    assert (target / "bin" / "hyperframes-desktop").is_file()
    return target


@pytest.fixture
def app(installed: Path, tmp_path: Path):
    """Run the installed console script from a temp working folder, own XDG folders."""
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV}
    env.update(
        PYTHONPATH=str(installed),
        PYTHONSAFEPATH="1",
        PYTHONDONTWRITEBYTECODE="1",
        QT_QPA_PLATFORM="offscreen",
        HYPERFRAMES_NO_TELEMETRY="1",
        TMPDIR=str(tmp_path),
        **{f"XDG_{d.upper()}_HOME": str(home / d) for d in ("config", "data", "cache", "state")},
    )
    work = tmp_path / "work"
    work.mkdir()

    def run(*args: str | Path, timeout: float = 300, cwd: Path = work, **extra: str):
        return _run(
            [installed / "bin" / "hyperframes-desktop", *args],
            env={**env, **extra},
            cwd=cwd,
            timeout=timeout,
        )

    run.home = home  # type: ignore[attr-defined]
    run.work = work  # type: ignore[attr-defined]
    return run


def test_the_sdist_carries_resources_and_the_mapping(dists: tuple[Path, Path]) -> None:
    with tarfile.open(dists[0]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for rel in RESOURCE_FILES:
        assert f"resources/{rel}" in names, rel
    assert {"setup.py", "pyproject.toml", f"{PKG}/resource_paths.py"} <= names
    assert not any(n.startswith(f"{PKG}/resources/") for n in names), "a second copy"


def test_the_wheel_maps_resources_into_the_package(dists: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(dists[1]) as wheel:
        names = set(wheel.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        console = wheel.read(entry_points).decode()
    for rel in RESOURCE_FILES:
        assert f"{PKG}/resources/{rel}" in names, rel
    assert f"{PKG}/render/js/seek_runtime.js" in names
    assert f"{PKG}/ui/preview/view.py" in names  # a folder without __init__.py
    assert not any(n.startswith("resources/") for n in names), "no top-level resources"
    assert not any("/renders/" in n.replace(f"{PKG}/ui/renders/", "") for n in names)
    assert "hyperframes-desktop = hyperframes_desktop.cli:main" in console


def test_doctor_reports_the_installed_fonts(app, installed: Path) -> None:
    report = json.loads(app("doctor", "--json").stdout)
    checks = {c["id"]: c for c in report["checks"]}
    assert report["ok"] is True, report["blocking"]
    assert checks["app"]["data"]["install"] == "installed"
    assert Path(checks["app"]["data"]["package"]) == (installed / PKG).resolve()
    fonts = checks["fonts"]["data"]
    assert fonts["found"] is True
    assert Path(fonts["folder"]) == (installed / PKG / "resources" / "fonts").resolve()


def test_the_installed_app_renders_from_any_folder(app) -> None:
    project = write_project(
        app.work / "project",
        mixed_html(composition_id="wheel", duration=1.0, extra='<p style="font-family: Arial; '
                   'position: absolute; left: 300px; top: 150px">Wheel</p>'),
    )  # fmt: skip
    app("render", "--quality", "draft", cwd=project)  # PROJECT defaults to the working folder
    output = project / "renders" / "wheel.mp4"
    info = video_info(output)
    assert (info.codec, info.width, info.height, info.frames) == ("h264", 640, 360, 10)
    t = 5 / 10
    assert_colour(frame_rgb(output, 5), *CSS_BOX.centre_at(t), css_colour_at(t), tol=24)

    listing = json.loads(app("compositions", "--json", cwd=project).stdout)
    assert [(r["file"], r["id"], r["clips"]) for r in listing] == [("index.html", "wheel", 2)]


def test_the_installed_studio_opens_the_bundled_demo_and_quits(app, installed: Path) -> None:
    shot = app.work / "studio.png"
    app(timeout=300, HYPERFRAMES_SCREENSHOT=str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the demo came from the wheel and was copied out, never written into the install
    copy = app.home / "data" / "hyperframes-desktop" / "demo" / "index.html"
    shipped = installed / PKG / "resources" / "demo" / "index.html"
    assert copy.read_bytes() == shipped.read_bytes()
    assert not (shipped.parent / "renders").exists()
