"""Full-screen preview (F / Esc): only the stage and its transport bar, on the whole screen."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from hyperframes_desktop.ui.preview.actions import PlaybackActions


class FullScreenPreview(QObject):
    def __init__(self, window: QMainWindow, actions: PlaybackActions) -> None:
        super().__init__(window)
        self._window = window
        self._actions = actions
        self._saved_state: QByteArray | None = None
        self._saved_window_state = Qt.WindowState.WindowNoState
        actions.full_preview.toggled.connect(self._on_toggled)
        actions.leave_full_preview.triggered.connect(self._on_leave)

    @property
    def active(self) -> bool:
        return self._saved_state is not None

    def enter(self) -> None:
        if self.active:
            return
        window = self._window
        self._saved_state = window.saveState()
        self._saved_window_state = window.windowState()
        for dock in window.findChildren(QDockWidget):
            dock.hide()
        window.menuBar().hide()
        window.statusBar().hide()
        window.showFullScreen()
        self._actions.leave_full_preview.setEnabled(True)
        self._set_checked(True)

    def leave(self) -> None:
        if self._saved_state is None:
            return
        window = self._window
        state, self._saved_state = self._saved_state, None
        window.menuBar().show()
        window.statusBar().show()
        window.restoreState(state)
        window.setWindowState(self._saved_window_state)
        self._actions.leave_full_preview.setEnabled(False)
        self._set_checked(False)

    def _set_checked(self, on: bool) -> None:
        action = self._actions.full_preview
        action.blockSignals(True)
        action.setChecked(on)
        action.blockSignals(False)

    def _on_toggled(self, on: bool) -> None:
        if on:
            self.enter()
        else:
            self.leave()

    def _on_leave(self, _checked: bool = False) -> None:
        self.leave()
