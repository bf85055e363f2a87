"""The studio window: it builds the docks around one :class:`StudioModel` and wires them.

The window holds no state of its own: the project, the compositions, the current one, the
selection, the playhead and the rest live in ``self.model``, and every dock subscribes to
it. No other module imports this one (app.py builds it); the components get what they need
passed in, and window close asks each of them to ``shutdown()``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QWidget

from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.canvas.editor import CanvasEditor
from hyperframes_desktop.ui.dialogs.messages import APP_TITLE
from hyperframes_desktop.ui.element_clipboard import ElementClipboard
from hyperframes_desktop.ui.fullscreen import FullScreenPreview
from hyperframes_desktop.ui.hot_reload import HotReload
from hyperframes_desktop.ui.inspector.panel import DesignInspector
from hyperframes_desktop.ui.layers.panel import LayersPanel
from hyperframes_desktop.ui.layout_memory import LayoutMemory
from hyperframes_desktop.ui.menus import WindowActions, build_menus
from hyperframes_desktop.ui.model_wiring import ModelWiring
from hyperframes_desktop.ui.outside_links_prompt import OutsideLinksPrompt
from hyperframes_desktop.ui.paths import is_demo
from hyperframes_desktop.ui.preview.panel import PreviewPanel
from hyperframes_desktop.ui.problems_panel import ProblemsPanel, clip_frame
from hyperframes_desktop.ui.project_banner import ProjectBanner, stage_with_banner
from hyperframes_desktop.ui.project_growth import ProjectGrowth
from hyperframes_desktop.ui.project_panel import ProjectPanel, project_from_mime
from hyperframes_desktop.ui.recent_projects import RecentProjects
from hyperframes_desktop.ui.renders.panel import RenderPanel
from hyperframes_desktop.ui.renders.queue import RenderQueue
from hyperframes_desktop.ui.save_frame import SaveFrameController
from hyperframes_desktop.ui.session import TelemetrySession
from hyperframes_desktop.ui.thumbnails import ThumbnailMaker
from hyperframes_desktop.ui.timeline.controller import TimelineController
from hyperframes_desktop.ui.variables_panel import VariablesPanel
from hyperframes_desktop.ui.window_close import QuitQuestionByName, WindowClose
from hyperframes_desktop.ui.window_dialogs import DialogsByName, WindowDialogs


class MainWindow(DialogsByName, QuitQuestionByName, QMainWindow):
    closed = Signal()

    def __init__(
        self, project: Path | None = None, *, ask_notice: bool = True, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.settings = store.load_settings()
        self.model = StudioModel()
        self._shown_once = False

        self.queue = RenderQueue(self.settings.max_concurrent, parent=self)
        self.preview = PreviewPanel()
        self.project_panel = ProjectPanel()
        self.render_panel = RenderPanel(self.queue, self.settings.render)
        self.render_panel.set_farm(self.settings.farm)
        self.thumbnails = ThumbnailMaker(self)
        self.problems = ProblemsPanel()
        self.hot_reload = HotReload(
            self.model, self.preview, self.thumbnails, self.problems.refresh, self
        )
        self.render_panel.form.span.bind(self.preview.controller.in_out)
        self.project_banner = ProjectBanner()
        self.setCentralWidget(stage_with_banner(self.project_banner, self.preview))
        area = Qt.DockWidgetArea
        self.project_dock = self._dock(
            "Project", "projectDock", self.project_panel, area.LeftDockWidgetArea
        )
        self.render_dock = self._dock(
            "Render", "renderDock", self.render_panel, area.RightDockWidgetArea
        )
        self.problems_dock = self._dock(
            "Problems", "problemsDock", self.problems, area.BottomDockWidgetArea
        )
        self.variables_panel = VariablesPanel()
        self.variables_dock = self._dock("Variables", "variablesDock", self.variables_panel)
        self.design = DesignInspector(
            self.model, self._page, lambda make: self.timeline.apply(make)
        )
        self.design_dock = self._dock("Design", "designDock", self.design)
        self.layers = LayersPanel(self.model, lambda make: self.timeline.apply(make))
        self.layers_dock = self._dock("Layers", "layersDock", self.layers, area.LeftDockWidgetArea)
        self.render_dock.raise_()

        self.actions = WindowActions(self)
        docks = (self.project_dock, self.render_dock, self.variables_dock, self.design_dock)
        docks += (self.layers_dock, self.problems_dock)
        build_menus(
            self,
            self.actions,
            self.preview.actions,
            [d.toggleViewAction() for d in docks],
            marks=self.preview.in_out_actions.all(),
        )
        self.addAction(self.preview.audio_controls.mute_action)  # M, menus or not
        self.full_preview = FullScreenPreview(self, self.preview.actions)
        self.save_frame = SaveFrameController(self, self._shown_frame, self._status)
        self.save_frame.place_before(self.actions.render)
        self.activity = QLabel()
        self.problem_counts = QLabel()
        self.statusBar().addPermanentWidget(self.problem_counts)
        self.statusBar().addPermanentWidget(self.activity)
        # The bundled demo is not the user's project: has_project says whether they brought one.
        has_project = project is not None and not is_demo(Path(project))
        self.session = TelemetrySession(self, has_project=has_project, ask_notice=ask_notice)
        self.dialogs = WindowDialogs(
            self, self.actions, self.settings, self.queue, self.render_panel
        )
        self.recent = RecentProjects(
            self.settings, self.actions.recent_menu, self.project_panel, self.open_project
        )
        self.layout_memory = LayoutMemory(self, self.full_preview.leave)
        self.wiring = ModelWiring(
            self,
            self.model,
            preview=self.preview,
            problems=self.problems,
            variables=self.variables_panel,
            thumbnails=self.thumbnails,
            banner=self.project_banner,
            settings=self.settings,
            recent=self.recent,
            status=self._status,
        )
        self._wire()
        self.timeline = TimelineController(
            self, self.model, self.preview, beside=self.problems_dock, restore=self.actions.restore
        )
        self.problems.clip_requested.connect(self.timeline.select_id)
        t = self.timeline  # Edit ▸ Cut/Copy/Paste on the selection, in the timeline's Edit menu
        self.clipboard = ElementClipboard(
            self, self.model, t.actions.menu, t.apply, t.write_applied
        )
        toggle_play = self.preview.controller.toggle_play
        self.canvas = CanvasEditor(self.model, self.preview.view, self.timeline.apply, toggle_play)
        self.growth = ProjectGrowth(  # New Project, Assets, Blocks, media drops
            self,
            self.model,
            beside=self.project_dock,
            timeline_canvas=self.timeline.canvas,
            write=self.timeline.write_applied,
            preview_catcher=self.preview.view.catcher,
            new_project=self.actions.new_project,
            vendor=self.actions.vendor,
            open_project=self.open_project,
        )
        self.outside_links = OutsideLinksPrompt(self, self.model)
        # shut down in dependency order: hot reload drives the preview, thumbnails, problems
        parts = (self.session, self.hot_reload, self.variables_panel, self.preview)
        parts += (self.problems, self.canvas, self.design, self.timeline, self.save_frame)
        parts += (self.growth, self.thumbnails, self.layers, self.clipboard)
        self.close_guard = WindowClose(self, self.queue, parts, self._save_layout_and_settings)
        self.layout_memory.restore()
        if missing := self.render_panel.form.check_ffmpeg():
            self.actions.render.setEnabled(False)
            self._status(missing)
        self.recent.refresh()
        if project is not None:
            self.open_project(project)

    def _dock(self, title: str, name: str, widget: QWidget, where=None) -> QDockWidget:
        """A dock in ``where``, or (None) a tab beside the render dock."""
        dock = QDockWidget(title, self, objectName=name)
        dock.setWidget(widget)
        if where is None:
            self.tabifyDockWidget(self.render_dock, dock)
        else:
            self.addDockWidget(where, dock)
        return dock

    def _page(self):
        return self.preview.view.driver.page

    def _wire(self) -> None:
        a = self.actions
        self.project_panel.bind_model(self.model)
        self.render_panel.bind_model(self.model)
        self.hot_reload.watcher.root_gone.connect(self.project_banner.show_gone)
        self.project_banner.open_requested.connect(self._ask_open)
        self.project_banner.reopen_requested.connect(self.open_project)
        a.open.triggered.connect(self._ask_open)
        a.reload.triggered.connect(self._reload)
        a.render.triggered.connect(self._render)
        a.quit.triggered.connect(self._quit)
        a.full_screen.toggled.connect(self._toggle_full_screen)
        self.project_panel.open_requested.connect(self._ask_open)
        self.thumbnails.thumbnail_ready.connect(self.project_panel.set_thumbnail)
        self.preview.status_message.connect(self._status)
        self.preview.view.double_clicked.connect(self.preview.actions.full_preview.toggle)
        self.render_panel.status_message.connect(self._status)
        self.render_panel.variables_for = self.variables_panel.values_for
        self.save_frame.variables_for = self.variables_panel.values_for
        self.variables_panel.status_message.connect(self._status)
        self.render_panel.form.settings_changed.connect(self._save_render_settings)
        self.queue.active_changed.connect(self._on_active_changed)
        self.problems.watch_page(self.preview.view.driver.page)
        self.problems.counts_changed.connect(self.problem_counts.setText)
        self.problems.status_message.connect(self._status)
        self.problems.clip_requested.connect(self._seek_to_clip)

    # ---- the model's project and current composition ---------------------------------
    @property
    def project(self) -> Path | None:
        return self.model.project

    def open_project(self, path: Path | str) -> bool:
        """List the project's compositions and select the main one; errors go in the panel."""
        return self.model.open_project(path)

    # ---- slots ------------------------------------------------------------------------
    def _ask_open(self, _checked: bool = False) -> None:
        start = str(self.project.parent) if self.project else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open project folder", start)
        if folder:
            self.open_project(folder)

    def _reload(self, _checked: bool = False) -> None:
        if self.project is None:
            return
        current = self.model.current
        self.open_project(self.project)
        if current is not None and self.model.info(current.path) is not None:
            self.model.set_current(current.path)

    def _seek_to_clip(self, element_id: str) -> None:
        frame = clip_frame(self.preview.composition, element_id)
        if frame is not None:
            self.preview.seek(frame)

    # Slots return None (PySide6 6.12 mishandles values returned from slots).
    def _render(self, _checked: bool = False) -> None:
        self.render_panel.start_render()

    def _quit(self, _checked: bool = False) -> None:
        self.close()

    def _save_render_settings(self) -> None:
        self.settings.render = self.render_panel.form.settings()
        store.save_settings(self.settings)

    def _save_layout_and_settings(self) -> None:
        self.layout_memory.save()
        store.save_settings(self.settings)

    def _on_active_changed(self, count: int) -> None:
        running = self.queue.running_count()
        parts = [f"{running} rendering"] if running else []
        if count - running > 0:
            parts.append(f"{count - running} queued")
        self.activity.setText(", ".join(parts))

    def _shown_frame(self):
        comp = self.preview.composition
        return (comp, self.preview.controller.frame) if comp is not None else None

    def _status(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _toggle_full_screen(self, on: bool) -> None:
        if on:
            self.showFullScreen()
        else:
            self.showNormal()

    # ---- drag and drop ----------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if project_from_mime(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        folder = project_from_mime(event.mimeData())
        if folder is not None:
            event.acceptProposedAction()
            self.open_project(folder)

    # ---- life cycle -------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, self.session.begin)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.close_guard.close_event(event):
            self.closed.emit()
