"""The studio window's remembered geometry and dock layout (an INI file beside the config)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from hyperframes_desktop.ui.paths import config_dir

DEFAULT_SIZE = (1360, 820)


def window_settings() -> QSettings:
    """Geometry and dock layout, in an INI file beside the other config (honours XDG)."""
    return QSettings(str(config_dir() / "studio-window.ini"), QSettings.Format.IniFormat)


def has_saved_layout() -> bool:
    """A layout was saved before (a first run places the docks itself)."""
    state = window_settings().value("windowState")
    return isinstance(state, QByteArray) and not state.isEmpty()


class LayoutMemory:
    def __init__(self, window: QMainWindow, before_save: Callable[[], None]) -> None:
        """``before_save``: bring back the normal layout (leave the full-screen preview)."""
        self.window = window
        self.before_save = before_save

    def restore(self) -> None:
        window, saved = self.window, window_settings()
        geometry = saved.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            window.restoreGeometry(geometry)
        else:
            window.resize(*DEFAULT_SIZE)
        state = saved.value("windowState")
        if isinstance(state, QByteArray) and not state.isEmpty():
            window.restoreState(state)

    def save(self) -> None:
        window, saved = self.window, window_settings()
        self.before_save()  # the normal layout, not the full-screen preview's
        saved.setValue("geometry", window.saveGeometry())
        saved.setValue("windowState", window.saveState())
        saved.sync()
