"""The one resource locator: a source checkout, an installed package, an incomplete install."""

from __future__ import annotations

import configparser
import shutil
from pathlib import Path

import pytest
from support import REPO_ROOT, write_project

from hyperframes_desktop import resource_paths
from hyperframes_desktop.render import RenderError, RenderJob, RenderOptions
from hyperframes_desktop.resource_paths import REINSTALL_FIX
from hyperframes_desktop.ui import paths


def _installed_package(base: Path) -> Path:
    """A fake installed ``hyperframes_desktop`` folder holding a copy of resources/."""
    package = base / "site-packages" / "hyperframes_desktop"
    shutil.copytree(REPO_ROOT / "resources", package / "resources")
    return package


def test_a_checkout_finds_the_top_level_resources() -> None:
    resources = resource_paths.resources_dir()
    assert resources == REPO_ROOT / "resources"
    assert not resource_paths.is_installed(resources)
    assert resource_paths.fonts_dir() == resources / "fonts"
    demo = resource_paths.demo_dir()
    assert demo is not None and (demo / "index.html").is_file()
    names = [p.name for p in resource_paths.icon_files()]
    assert names == ["hyperframes-desktop.svg", "hyperframes-desktop.png"]


def test_the_desktop_entry_launches_the_app_with_its_icon() -> None:
    entry = resource_paths.desktop_entry()
    assert entry is not None
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(entry, encoding="utf-8")
    section = parser["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] == "hyperframes-desktop"
    assert section["Icon"] == "hyperframes-desktop"


def test_an_installed_package_comes_first_and_its_demo_is_never_written_into(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = _installed_package(tmp_path)
    (package.parent / "resources").mkdir()  # an unrelated site-packages/resources
    monkeypatch.setattr(resource_paths, "package_dir", lambda: package)
    assert resource_paths.resources_dir() == package / "resources"
    assert resource_paths.is_installed(package / "resources" / "demo")
    demo = paths.demo_project()
    assert demo is not None and demo == paths.data_dir() / "demo"
    assert (demo / "index.html").read_bytes() == (
        REPO_ROOT / "resources/demo/index.html"
    ).read_bytes()
    assert paths.is_demo(demo)


def test_an_unrelated_resources_folder_is_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "hyperframes_desktop"
    package.mkdir(parents=True)
    (package.parent / "resources" / "fonts").mkdir(parents=True)  # someone else's
    monkeypatch.setattr(resource_paths, "package_dir", lambda: package)
    assert resource_paths.find_resources_dir() is None
    assert resource_paths.fonts_dir() is None
    assert resource_paths.demo_dir() is None
    assert resource_paths.icon_files() == []
    assert resource_paths.desktop_entry() is None
    with pytest.raises(resource_paths.ResourcesMissing) as caught:
        resource_paths.resources_dir()
    message = str(caught.value)
    assert str(package / "resources") in message and message.count("Fix:") == 1


def test_a_render_without_fonts_fails_with_one_sentence_and_one_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(
        tmp_path / "project",
        '<div id="root" data-composition-id="c" data-width="64" data-height="64" '
        'data-duration="0.1" data-no-timeline>text</div>',
    )
    monkeypatch.setattr(resource_paths, "package_dir", lambda: tmp_path / "pkg" / "hf")
    options = RenderOptions(project=project, output=tmp_path / "out.mp4")
    with pytest.raises(RenderError) as caught:
        RenderJob(options).run()
    message = str(caught.value)
    assert caught.value.stage == "compile"
    assert message.startswith("The bundled fonts were not found"), message
    assert message.count("Fix:") == 1 and message.count(REINSTALL_FIX) == 1, message
    assert not (tmp_path / "out.mp4").exists()
