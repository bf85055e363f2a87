"""Starting and growing a project in the studio, wired into the window in one place:
File → New Project…, the Assets and Blocks panels, and media dropped on the timeline or the
preview.

Each part takes only what it needs (callables and signals), so the window's side is three
lines (make this after the timeline, tell it when a project opens); when the studio gets its
Qt-free model the same callables come from there.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget

from hyperframes_desktop.ui.asset_drop import CanvasDropTarget, TimelineDropTarget
from hyperframes_desktop.ui.assets_panel import AssetsPanel
from hyperframes_desktop.ui.blocks_panel import BlocksPanel
from hyperframes_desktop.ui.layout_memory import has_saved_layout
from hyperframes_desktop.ui.paths import is_demo

if TYPE_CHECKING:
    from hyperframes_desktop.ui.main_window import MainWindow
    from hyperframes_desktop.ui.new_project_dialog import NewProjectDialog


class ProjectGrowth(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        timeline = window.timeline
        self.new_project_dialog: NewProjectDialog | None = None
        self.assets_panel = AssetsPanel()
        self.assets_dock = self._dock("Assets", "assetsDock", self.assets_panel)
        self.blocks_panel = BlocksPanel(
            project=lambda: window.project,
            playhead_seconds=self.playhead_seconds,
            timeline=lambda: timeline.timeline,
            write=timeline.write_applied,
        )
        self.blocks_dock = self._dock("Blocks", "blocksDock", self.blocks_panel)
        if not has_saved_layout():  # later, the saved layout places them (as the timeline)
            window.tabifyDockWidget(window.project_dock, self.assets_dock)
            window.tabifyDockWidget(self.assets_dock, self.blocks_dock)
            window.project_dock.raise_()
        self.media_drop = TimelineDropTarget(
            timeline.canvas,
            timeline=lambda: timeline.timeline,
            write=timeline.write_applied,
            import_files=self.assets_panel.import_paths,
            status=self.status,
        )
        self.canvas_drop = CanvasDropTarget(
            window.preview.view.catcher, self.media_drop, lambda: window.preview.controller.frame
        )
        window.actions.new_project.triggered.connect(self.ask_new_project)
        window.hot_reload.reloaded.connect(lambda _changes: self.assets_panel.refresh())
        self.assets_panel.status_message.connect(self.status)
        self.blocks_panel.status_message.connect(self.status)
        window.closed.connect(self.shutdown)

    def _dock(self, title: str, name: str, widget: object) -> QDockWidget:
        window = self.window
        dock = QDockWidget(title, window)
        dock.setObjectName(name)
        dock.setWidget(widget)  # type: ignore[arg-type]
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
        view.addAction(dock.toggleViewAction())
        return dock

    def status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 8000)

    def project_opened(self, root: Path | None) -> None:
        self.assets_panel.set_project(root)

    def playhead_seconds(self) -> float:
        timeline = self.window.timeline.timeline
        frame = self.window.preview.controller.frame
        return timeline.seconds(frame) if timeline is not None else 0.0

    def ask_new_project(self, _checked: bool = False) -> None:
        """File → New Project…: the dialog is window-modal; the new project opens."""
        from hyperframes_desktop.ui.new_project_dialog import NewProjectDialog

        project = self.window.project
        start = project.parent if project is not None and not is_demo(project) else None
        self.new_project_dialog = NewProjectDialog(start, self.window)
        self.new_project_dialog.created.connect(self.window.open_project)
        self.new_project_dialog.open()

    def shutdown(self) -> None:
        """The window closed: no preview render or media probe outlives it."""
        self.blocks_panel.stop()
        self.assets_panel.stop_facts()
        if self.new_project_dialog is not None:
            self.new_project_dialog.stop_pictures()
