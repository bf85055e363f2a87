"""Handing files to the desktop: open a video, show it in the file manager."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_file(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def reveal_file(path: Path) -> bool:
    """Select the file in the platform's file manager (or at least open its folder)."""
    try:
        if sys.platform == "darwin":
            subprocess.Popen(["open", "-R", str(path)])
            return True
        if sys.platform.startswith("win"):
            subprocess.Popen(["explorer", f"/select,{path}"])
            return True
    except OSError:
        pass
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))
