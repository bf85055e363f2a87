"""Starting and growing a project in the studio, wired in one place: File → New Project…, the
Assets and Blocks docks, media dropped on the timeline or the preview, and File → Copy Remote
Files into Project… (``vendor_command``).

Like ``model_wiring``, this is wiring, not a dock: it builds the two docks, hands each part
only what it needs (callables and signals), and follows the studio model (the project, the
playhead, reloads). It reaches into no other component; the window passes the few pieces
it needs (the timeline's canvas and write entry point, the preview's drop surface).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui.asset_drop import CanvasDropTarget, TimelineDropTarget
from hyperframes_desktop.ui.assets_panel import AssetsPanel
from hyperframes_desktop.ui.blocks_panel import BlocksPanel
from hyperframes_desktop.ui.layout_memory import has_saved_layout
from hyperframes_desktop.ui.paths import is_demo
from hyperframes_desktop.ui.vendor_command import VendorCommand

if TYPE_CHECKING:
    from hyperframes_desktop.ui.new_project_dialog import NewProjectDialog


class ProjectGrowth(QObject):
    def __init__(
        self,
        window: QMainWindow,
        model: StudioModel,
        *,
        beside: QDockWidget,
        timeline_canvas: QWidget,
        write: Callable,
        preview_catcher: QWidget,
        new_project: QAction,
        vendor: QAction,
        open_project: Callable[[Path], bool],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.model = model
        self.open_project = open_project
        self.new_project_dialog: NewProjectDialog | None = None
        self.assets_panel = AssetsPanel()
        self.assets_dock = self._dock("Assets", "assetsDock", self.assets_panel)
        self.blocks_panel = BlocksPanel(
            project=lambda: model.project,
            playhead_seconds=self.playhead_seconds,
            timeline=lambda: model.timeline,
            write=write,
        )
        self.blocks_dock = self._dock("Blocks", "blocksDock", self.blocks_panel)
        if not has_saved_layout():  # later, the saved layout places them (as the timeline)
            window.tabifyDockWidget(beside, self.assets_dock)
            window.tabifyDockWidget(self.assets_dock, self.blocks_dock)
            beside.raise_()
        self.media_drop = TimelineDropTarget(
            timeline_canvas,
            timeline=lambda: model.timeline,
            write=write,
            import_files=self.assets_panel.import_paths,
            status=model.set_status,
        )
        self.canvas_drop = CanvasDropTarget(preview_catcher, self.media_drop, lambda: model.frame)
        new_project.triggered.connect(self.ask_new_project)
        self.vendor = VendorCommand(window, model, vendor, write)
        model.events.project.connect(self.assets_panel.set_project)
        model.events.reloaded.connect(lambda _plan: self.assets_panel.refresh())
        self.assets_panel.status_message.connect(model.set_status)
        self.blocks_panel.status_message.connect(model.set_status)
        if model.project is not None:
            self.assets_panel.set_project(model.project)

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        window = self.window
        dock = QDockWidget(title, window)
        dock.setObjectName(name)
        dock.setWidget(widget)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
        view.addAction(dock.toggleViewAction())
        return dock

    def playhead_seconds(self) -> float:
        timeline = self.model.timeline
        return timeline.seconds(self.model.frame) if timeline is not None else 0.0

    def ask_new_project(self, _checked: bool = False) -> None:
        """File → New Project…: the dialog is window-modal; the new project opens."""
        from hyperframes_desktop.ui.new_project_dialog import NewProjectDialog

        project = self.model.project
        start = project.parent if project is not None and not is_demo(project) else None
        self.new_project_dialog = NewProjectDialog(start, self.window)
        self.new_project_dialog.created.connect(self.open_project)
        self.new_project_dialog.open()

    def shutdown(self) -> None:
        """The window is closing: no preview render or media probe outlives it."""
        self.vendor.shutdown()
        self.blocks_panel.stop()
        self.assets_panel.stop_facts()
        if self.new_project_dialog is not None:
            self.new_project_dialog.stop_pictures()
