"""``doctor`` checks of the folders the app writes: config, data, cache and temp, each
writable and with room to spare."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import platformdirs

from hyperframes_desktop import APP_NAME
from hyperframes_desktop.cli.doctor_check import ERROR, OK, WARNING, Check
from hyperframes_desktop.render.video_extract.cache import default_cache_root
from hyperframes_desktop.telemetry import config as telemetry_config

#: Below this much free space a folder gets a warning (renders write frames to temp).
LOW_SPACE_BYTES = {"temp": 1024**3, "cache": 1024**3}
DEFAULT_LOW_SPACE_BYTES = 100 * 1024**2


def app_folders() -> list[tuple[str, str, Path, bool]]:
    """(id, title, folder, blocks rendering when unwritable) for every folder the app writes."""
    return [
        ("config", "Config folder", telemetry_config.config_dir(), False),
        ("data", "Data folder", platformdirs.user_data_path(APP_NAME, appauthor=False), False),
        ("cache", "Cache folder", default_cache_root().parent, False),
        ("temp", "Temp folder", _temp_dir(), True),
    ]


def _temp_dir() -> Path:
    """The folder renders use for scratch files (Python's choice, as the renderer's); when
    none is usable, the folder TMPDIR names (or /tmp), which the check then reports."""
    try:
        return Path(tempfile.gettempdir())
    except OSError:  # no candidate folder is writable
        return Path(os.environ.get("TMPDIR") or "/tmp")


def _existing_ancestor(folder: Path) -> Path:
    path = folder
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _writable(folder: Path) -> str | None:
    """None when a file can be created in ``folder`` (or, while it does not exist yet, in
    its nearest existing parent, where the app would create it); else the reason."""
    where = _existing_ancestor(folder)
    if not where.is_dir():
        return f"{where} is not a folder"
    try:
        with tempfile.TemporaryFile(dir=where, prefix=".hf-doctor-"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


def check_folder(ident: str, title: str, folder: Path, blocking: bool) -> Check:
    problem = _writable(folder)
    where = _existing_ancestor(folder)
    free = shutil.disk_usage(where).free if where.is_dir() else None
    data = {"path": str(folder), "exists": folder.is_dir(), "writable": problem is None}
    data["free_bytes"] = free
    if problem is not None:
        variable = "TMPDIR" if ident == "temp" else f"XDG_{ident.upper()}_HOME"
        return Check(
            ident,
            title,
            ERROR if blocking else WARNING,
            f"{folder} is not writable ({problem})",
            f"make {folder} writable for your user, or set {variable} to a writable folder",
            data,
        )
    low = LOW_SPACE_BYTES.get(ident, DEFAULT_LOW_SPACE_BYTES)
    detail = f"{folder}, writable, {_size(free or 0)} free"
    if free is not None and free < low:
        return Check(
            ident,
            title,
            WARNING,
            f"{detail}: less than {_size(low)}",
            f"free some space on the disk holding {folder}",
            data,
        )
    return Check(ident, title, OK, detail, data=data)
