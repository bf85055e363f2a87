"""The recently opened projects, listed in File > Open Recent and in the project panel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMenu

from hyperframes_desktop.ui.project_panel import ProjectPanel
from hyperframes_desktop.ui.store import StudioSettings


class RecentProjects:
    def __init__(
        self,
        settings: StudioSettings,
        menu: QMenu,
        panel: ProjectPanel,
        open_project: Callable[[str], object],
    ) -> None:
        self.settings = settings
        self.menu = menu
        self.panel = panel
        self.open_project = open_project
        panel.recent_chosen.connect(self._open)

    def refresh(self) -> None:
        """Show the settings' list (newest first) in the menu and the panel."""
        recent = self.settings.recent_projects
        self.panel.set_recent(recent)
        self.menu.clear()
        for text in recent:
            action = self.menu.addAction(text)
            action.triggered.connect(self._slot(text))
        self.menu.setEnabled(bool(recent))

    def _open(self, text: str) -> None:
        self.open_project(text)

    def _slot(self, text: str):
        def chosen(_checked: bool = False) -> None:
            self.open_project(text)

        return chosen
