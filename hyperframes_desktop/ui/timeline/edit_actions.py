"""The Edit menu: Undo/Redo of timeline edits, Split at Playhead (S), Delete Clip (Delete).

Window-wide shortcuts; a text field with focus keeps its own keys (Qt gives the focused line
edit the first say over printable keys and Delete).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from hyperframes_desktop.ui.shortcuts import StdKey, window_action
from hyperframes_desktop.ui.shortcuts import shortcut_keys as _keys


class EditActions(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.undo = self._make("&Undo", "Undo the last timeline edit", _keys(StdKey.Undo))
        self.redo = self._make(
            "&Redo", "Redo the timeline edit", _keys("Ctrl+Shift+Z", StdKey.Redo)
        )
        self.split = self._make(
            "&Split at Playhead", "Cut the selected clip in two at the playhead", _keys("S")
        )
        self.delete = self._make(
            "&Delete Clip", "Remove the selected clip from the file", _keys(StdKey.Delete)
        )
        self.menu = QMenu("&Edit", window)
        self.menu.addActions([self.undo, self.redo])
        self.menu.addSeparator()
        self.menu.addActions([self.split, self.delete])

    def all(self) -> list[QAction]:
        return [self.undo, self.redo, self.split, self.delete]

    def install(self, window: QMainWindow, extra: list[QAction]) -> None:
        """Put the Edit menu after File, ``extra`` (zoom, dock toggle) in View, and register
        the shortcuts on the window."""
        bar = window.menuBar()
        menus = [a for a in bar.actions() if a.menu() is not None]
        after_file = menus[1] if len(menus) > 1 else None
        if after_file is not None:
            bar.insertMenu(after_file, self.menu)
        else:
            bar.addMenu(self.menu)
        view = next((a.menu() for a in menus if a.text().replace("&", "") == "View"), None)
        if view is not None:
            view.addSeparator()
            view.addActions(extra)
        window.addActions(self.all() + extra)

    def _make(self, text: str, tip: str, keys: list[QKeySequence]) -> QAction:
        action = window_action(self, text, tip, keys)
        action.setEnabled(False)  # until a clip is selected / there is something to undo
        return action
