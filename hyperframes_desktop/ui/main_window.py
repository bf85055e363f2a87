"""The studio window: project panel | preview | render panel, and the life of a session."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QWidget

from hyperframes_desktop.project import (
    Composition,
    CompositionInfo,
    ProjectError,
    list_compositions,
    load_composition,
)
from hyperframes_desktop.render import ffmpeg_available
from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.dialogs.messages import APP_TITLE
from hyperframes_desktop.ui.fullscreen import FullScreenPreview
from hyperframes_desktop.ui.hot_reload import HotReload
from hyperframes_desktop.ui.layout_memory import LayoutMemory
from hyperframes_desktop.ui.menus import WindowActions, build_menus
from hyperframes_desktop.ui.paths import is_demo
from hyperframes_desktop.ui.preview.panel import PreviewPanel
from hyperframes_desktop.ui.problems_panel import ProblemsPanel, clip_frame
from hyperframes_desktop.ui.project_growth import ProjectGrowth  # [init]
from hyperframes_desktop.ui.project_panel import ProjectPanel, project_from_mime
from hyperframes_desktop.ui.recent_projects import RecentProjects
from hyperframes_desktop.ui.renders.panel import RenderPanel
from hyperframes_desktop.ui.renders.queue import RenderQueue
from hyperframes_desktop.ui.save_frame import SaveFrameController
from hyperframes_desktop.ui.session import TelemetrySession
from hyperframes_desktop.ui.thumbnails import ThumbnailMaker
from hyperframes_desktop.ui.timeline.controller import TimelineController
from hyperframes_desktop.ui.variables_panel import VariablesPanel
from hyperframes_desktop.ui.window_close import WindowClose
from hyperframes_desktop.ui.window_dialogs import WindowDialogs

if TYPE_CHECKING:
    from PySide6.QtWidgets import QAbstractButton, QMessageBox

    from hyperframes_desktop.ui.dialogs.payloads import PayloadsDialog
    from hyperframes_desktop.ui.dialogs.settings import SettingsDialog


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(
        self,
        project: Path | None = None,
        *,
        ask_notice: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.settings = store.load_settings()
        self.project: Path | None = None
        self._shown_once = False

        self.queue = RenderQueue(self.settings.max_concurrent, parent=self)
        self.preview = PreviewPanel()
        self.project_panel = ProjectPanel()
        self.render_panel = RenderPanel(self.queue, self.settings.render)
        self.render_panel.set_farm(self.settings.farm)
        self.thumbnails = ThumbnailMaker(self)
        self.hot_reload = HotReload(self)
        self.render_panel.form.span.bind(self.preview.controller.in_out)
        self.setCentralWidget(self.preview)
        self.project_dock = self._dock("Project", "projectDock", self.project_panel)
        self.render_dock = self._dock("Render", "renderDock", self.render_panel)
        self.problems = ProblemsPanel()
        self.problems_dock = self._dock("Problems", "problemsDock", self.problems)
        self.variables_panel = VariablesPanel()
        self.variables_dock = self._dock("Variables", "variablesDock", self.variables_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.project_dock)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.render_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.tabifyDockWidget(self.render_dock, self.variables_dock)
        self.render_dock.raise_()

        self.actions = WindowActions(self)
        build_menus(
            self,
            self.actions,
            self.preview.actions,
            [
                d.toggleViewAction()
                for d in (
                    self.project_dock,
                    self.render_dock,
                    self.variables_dock,
                    self.problems_dock,
                )
            ],
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
        self.dialogs = WindowDialogs(self)
        self.recent = RecentProjects(
            self.settings, self.actions.recent_menu, self.project_panel, self.open_project
        )
        self.layout_memory = LayoutMemory(self)
        self.close_guard = WindowClose(self)
        self._wire()
        self.timeline = TimelineController(self)  # dock, Edit menu and its wiring
        self.growth = ProjectGrowth(self)  # [init] New Project, Assets, Blocks, media drops
        self.layout_memory.restore()
        self._check_ffmpeg()
        self.recent.refresh()
        if project is not None:
            self.open_project(project)

    # ---- construction -----------------------------------------------------------------
    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        return dock

    def _wire(self) -> None:
        a = self.actions
        a.open.triggered.connect(self._ask_open)
        a.reload.triggered.connect(self._reload)
        a.render.triggered.connect(self._render)
        a.quit.triggered.connect(self._quit)
        a.full_screen.toggled.connect(self._toggle_full_screen)
        self.project_panel.open_requested.connect(self._ask_open)
        self.project_panel.composition_selected.connect(self.select_composition)
        self.thumbnails.thumbnail_ready.connect(self.project_panel.set_thumbnail)
        self.preview.status_message.connect(self._status)
        self.preview.view.double_clicked.connect(self.preview.actions.full_preview.toggle)
        self.render_panel.status_message.connect(self._status)
        self.render_panel.variables_for = self.variables_panel.values_for
        self.save_frame.variables_for = self.variables_panel.values_for
        self.variables_panel.values_changed.connect(self.preview.set_variables)
        self.preview.reloading.connect(self._refresh_variables)
        self.variables_panel.status_message.connect(self._status)
        self.render_panel.form.settings_changed.connect(self._save_render_settings)
        self.queue.active_changed.connect(self._on_active_changed)
        self.problems.watch_page(self.preview.view.driver.page)
        self.problems.counts_changed.connect(self.problem_counts.setText)
        self.problems.status_message.connect(self._status)
        self.problems.clip_requested.connect(self._seek_to_clip)

    def _check_ffmpeg(self) -> None:
        missing = ffmpeg_available()
        self.render_panel.form.block_rendering(missing)
        self.actions.render.setEnabled(missing is None)
        if missing:
            self._status(missing)

    # ---- projects ---------------------------------------------------------------------
    def open_project(self, path: Path | str) -> bool:
        """List the project's compositions and select the main one; errors go in the panel."""
        path = Path(path).expanduser()
        try:
            infos = list_compositions(path)
        except ProjectError as exc:
            self.problems.set_target(None, None)
            self._show_project(path, [], str(exc))
            return False
        root = path.resolve()
        problem = None if infos else "This folder has no HTML compositions."
        self._show_project(root, infos, problem)
        self.growth.project_opened(root)  # [init]
        self.settings.add_recent(root)
        store.save_settings(self.settings)
        self.recent.refresh()
        ok = [i for i in infos if not i.error]
        if ok:
            self.thumbnails.request(root, [i.path for i in ok])
        first = ok[0] if ok else (infos[0] if infos else None)
        if first is not None:
            self.project_panel.select(first.path)
        return True

    def _show_project(
        self, root: Path | None, infos: list[CompositionInfo], error: str | None
    ) -> None:
        self.project = root if not error or infos else None
        self.project_panel.set_project(root, infos, error)
        self.render_panel.form.set_compositions(self.project, infos)
        title = f"{root.name} — {APP_TITLE}" if root is not None else APP_TITLE
        self.setWindowTitle(title)
        self.hot_reload.watch(self.project)
        if error:
            self.preview.show_error(error)
            self._status(error)

    def select_composition(self, info: CompositionInfo) -> None:
        self.problems.set_target(self.project, info.path)
        self.variables_panel.set_composition(self.project, None)  # until it loads
        if info.error or self.project is None:
            self.preview.show_error(info.error or "This composition cannot be opened.")
            return
        try:
            comp = load_composition(self.project, info.path)
        except ProjectError as exc:
            self.preview.show_error(str(exc))
            return
        self.preview.load(comp, self.variables_panel.set_composition(self.project, comp))
        self.render_panel.form.select_composition(info.path)
        self._status(
            f"{info.path.name}: {comp.width}×{comp.height}, {float(comp.fps):g} fps, "
            f"{comp.duration:g} s"
        )

    def _refresh_variables(self, comp: Composition) -> None:
        """A save may change the declared variables: the form follows, the page gets values."""
        self.preview.view.variables = self.variables_panel.refresh(comp) or None

    # ---- slots ------------------------------------------------------------------------
    def _ask_open(self, _checked: bool = False) -> None:
        start = str(self.project.parent) if self.project else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open project folder", start)
        if folder:
            self.open_project(folder)

    def _reload(self, _checked: bool = False) -> None:
        if self.project is None:
            return
        current = self.project_panel.current_info()
        self.open_project(self.project)
        if current is not None:
            self.project_panel.select(current.path)

    def _seek_to_clip(self, element_id: str) -> None:
        frame = clip_frame(self.preview.composition, element_id)
        if frame is not None:
            self.preview.seek(frame)

    def _render(self, _checked: bool = False) -> None:
        self.render_panel.start_render()

    def _save_render_settings(self) -> None:
        self.settings.render = self.render_panel.form.settings()
        store.save_settings(self.settings)

    def _on_active_changed(self, count: int) -> None:
        running = self.queue.running_count()
        waiting = count - running
        parts = [f"{running} rendering"] if running else []
        if waiting > 0:
            parts.append(f"{waiting} queued")
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

    def _quit(self, _checked: bool = False) -> None:
        self.close()

    # ---- dialogs (kept here by name: tests and scripts open them through the window) --
    def show_settings(self) -> SettingsDialog:
        return self.dialogs.show_settings()

    def show_payloads(self) -> PayloadsDialog:
        return self.dialogs.show_payloads()

    @property
    def settings_dialog(self) -> SettingsDialog | None:
        return self.dialogs.settings_dialog

    @property
    def payloads_dialog(self) -> PayloadsDialog | None:
        return self.dialogs.payloads_dialog

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

    # The quit question, as the window's own (tests answer it through the window).
    @property
    def quit_box(self) -> QMessageBox | None:
        return self.close_guard.box

    @property
    def quit_yes(self) -> QAbstractButton | None:
        return self.close_guard.yes

    @property
    def _quit_confirmed(self) -> bool:
        return self.close_guard.confirmed

    @_quit_confirmed.setter
    def _quit_confirmed(self, value: bool) -> None:
        self.close_guard.confirmed = value
