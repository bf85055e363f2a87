"""Renders shared by several test modules (each one costs a QtWebEngine start-up)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import gsap_js, write_project
from support.compositions import gsap_html, mixed_html
from support.rendering import ApiRender, render_api


@pytest.fixture(scope="session")
def gsap_file() -> Path:
    """GSAP 3.14.2 from the npm registry, cached in .cache/ (git-ignored)."""
    return gsap_js()


@pytest.fixture(scope="session")
def gsap_project(tmp_path_factory: pytest.TempPathFactory, gsap_file: Path) -> Path:
    folder = write_project(tmp_path_factory.mktemp("gsap") / "project", gsap_html())
    shutil.copyfile(gsap_file, folder / "gsap.min.js")
    return folder


@pytest.fixture(scope="session")
def gsap_render(gsap_project: Path, tmp_path_factory: pytest.TempPathFactory) -> ApiRender:
    """The GSAP composition rendered once through the API with one capture worker."""
    out = tmp_path_factory.mktemp("gsap-out") / "gsap.mp4"
    return render_api(gsap_project, out, workers=1)


@pytest.fixture(scope="session")
def mixed_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("mixed") / "project", mixed_html())
