"""Where the studio finds its bundled resources and keeps its own files."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import platformdirs

import hyperframes_desktop
from hyperframes_desktop import APP_NAME

_PACKAGE = Path(hyperframes_desktop.__file__).resolve().parent


def resources_dir() -> Path:
    """The ``resources`` folder: beside the package in a checkout, inside it when frozen."""
    candidates = [_PACKAGE.parent / "resources", _PACKAGE / "resources"]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / "resources")
    for folder in candidates:
        if folder.is_dir():
            return folder
    return candidates[0]


def demo_project() -> Path | None:
    """The bundled demo; a copy in the user's data folder when the bundle is read-only
    (an installed package), so rendering it into its renders/ folder works."""
    demo = resources_dir() / "demo"
    if not (demo / "index.html").is_file():
        return None
    if os.access(demo, os.W_OK):
        return demo
    copy = data_dir() / "demo"
    try:
        if not (copy / "index.html").is_file():
            shutil.copytree(demo, copy, dirs_exist_ok=True)
    except OSError:
        return demo
    return copy


def is_demo(project: Path) -> bool:
    demo = demo_project()
    try:
        return demo is not None and project.resolve() == demo.resolve()
    except OSError:
        return False


def app_icon_files() -> list[Path]:
    """The app icon as SVG and PNG (the PNG serves builds without the SVG image plugin)."""
    icons = resources_dir() / "icons"
    names = ("hyperframes-desktop.svg", "hyperframes-desktop.png")
    return [icons / name for name in names if (icons / name).is_file()]


def data_dir() -> Path:
    """Render settings and history (platformdirs user data dir; honours XDG_DATA_HOME)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """Window geometry and layout (QSettings file; honours XDG_CONFIG_HOME)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False)
