"""The window's own commands (File, View, Help) and the menu bar that shows all commands."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from hyperframes_desktop.ui.preview.actions import PlaybackActions
from hyperframes_desktop.ui.shortcuts import StdKey, window_action
from hyperframes_desktop.ui.shortcuts import shortcut_keys as _keys


class WindowActions(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        # [init] File → New Project… (ui/new_project_dialog.py)
        self.new_project = self._make(
            "&New Project…", "Start a project from a template", _keys(StdKey.New)
        )
        self.open = self._make("&Open Project…", "Open a project folder", _keys(StdKey.Open))
        self.reload = self._make(
            "&Reload Project", "Read the project again from disk", _keys(StdKey.Refresh, "Ctrl+R")
        )
        self.restore = self._make(
            "Restore &Earlier Version…",
            "Put back a file as it was before one of the studio's changes",
            [],
        )
        # File → Copy Remote Files into Project… (ui/vendor_command.py)
        self.vendor = self._make(
            "Copy Remote &Files into Project…",
            "Copy the CDN libraries, fonts and media this project downloads into its vendor/ "
            "folder and point the compositions at the copies, so it works with no network",
            [],
        )
        self.render = self._make(
            "&Render", "Add the selected composition to the render queue", _keys("Ctrl+Return")
        )
        self.preferences = self._make(
            "&Preferences…", "Usage data and render settings", _keys(StdKey.Preferences, "Ctrl+,")
        )
        self.preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.quit = self._make("&Quit", "Quit HyperFrames Desktop", _keys(StdKey.Quit, "Ctrl+Q"))
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.full_screen = self._make(
            "&Full Screen", "Use the whole screen for the studio", _keys("F11")
        )
        self.full_screen.setCheckable(True)
        self.what_is_sent = self._make(
            "What Is &Sent…", "The usage data this session sent, exactly", []
        )
        self.notice = self._make("Usage Data &Notice…", "What is collected and how to stop it", [])
        self.about = self._make("&About HyperFrames Desktop", "Version and licence", [])
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self.recent_menu = QMenu("Open &Recent", window)

    def _make(self, text: str, tip: str, keys: list[QKeySequence]) -> QAction:
        return window_action(self, text, tip, keys)


def build_menus(
    window: QMainWindow,
    actions: WindowActions,
    playback: PlaybackActions,
    panels: list[QAction],
    marks: list[QAction] | None = None,
) -> None:
    """Fill the menu bar, and register every action on the window so shortcuts keep working
    while the menu bar is hidden (full-screen preview)."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(actions.new_project)  # [init]
    file_menu.addAction(actions.open)
    file_menu.addMenu(actions.recent_menu)
    file_menu.addAction(actions.reload)
    file_menu.addAction(actions.restore)
    file_menu.addAction(actions.vendor)
    file_menu.addSeparator()
    file_menu.addAction(actions.render)
    file_menu.addSeparator()
    file_menu.addAction(actions.preferences)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)

    view_menu = bar.addMenu("&View")
    view_menu.addAction(actions.full_screen)
    view_menu.addAction(playback.full_preview)
    view_menu.addSeparator()
    for toggle in panels:
        view_menu.addAction(toggle)

    play_menu = bar.addMenu("&Playback")
    play_menu.addActions(
        [
            playback.play_pause,
            playback.pause,
            playback.shuttle_back,
            playback.shuttle_forward,
        ]
    )
    play_menu.addSeparator()
    play_menu.addActions(
        [playback.step_back, playback.step_forward, playback.go_start, playback.go_end]
    )
    play_menu.addSeparator()
    play_menu.addAction(playback.loop)
    if marks:
        play_menu.addSeparator()
        play_menu.addActions(marks)

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(actions.what_is_sent)
    help_menu.addAction(actions.notice)
    help_menu.addSeparator()
    help_menu.addAction(actions.about)

    own = [
        actions.new_project,  # [init]
        actions.open,
        actions.reload,
        actions.render,
        actions.preferences,
        actions.quit,
        actions.full_screen,
    ]
    window.addActions(own + playback.all() + list(marks or []))
