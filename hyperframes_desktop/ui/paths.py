"""Where the studio keeps its own files, and its writable copy of the bundled demo
(bundled resources are found by :mod:`hyperframes_desktop.resource_paths`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import platformdirs

from hyperframes_desktop import APP_NAME, resource_paths


def demo_project() -> Path | None:
    """The bundled demo: a source checkout's own folder, or, for an install (wheel, bundle,
    .deb: never written into) or a read-only folder, a copy in the user's data folder, so
    rendering it into its renders/ folder works."""
    demo = resource_paths.demo_dir()
    if demo is None:
        return None
    if not resource_paths.is_installed(demo) and os.access(demo, os.W_OK):
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


def data_dir() -> Path:
    """Render settings and history (platformdirs user data dir; honours XDG_DATA_HOME)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """Window geometry and layout (QSettings file; honours XDG_CONFIG_HOME)."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False)
