"""What the studio window does when the model's project or current composition changes,
and what the preview tells the model (playhead, in/out marks, variable values).

Kept out of main_window.py so the window only builds and places things. Every part is
handed in; nothing here reaches into a widget's insides.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from hyperframes_desktop.project import Composition, CompositionInfo, journal
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.dialogs.messages import APP_TITLE
from hyperframes_desktop.ui.preview.panel import PreviewPanel
from hyperframes_desktop.ui.problems_panel import ProblemsPanel
from hyperframes_desktop.ui.project_banner import ProjectBanner
from hyperframes_desktop.ui.recent_projects import RecentProjects
from hyperframes_desktop.ui.thumbnails import ThumbnailMaker
from hyperframes_desktop.ui.variables_panel import VariablesPanel


class ModelWiring(QObject):
    def __init__(
        self,
        window: QWidget,
        model: StudioModel,
        *,
        preview: PreviewPanel,
        problems: ProblemsPanel,
        variables: VariablesPanel,
        thumbnails: ThumbnailMaker,
        banner: ProjectBanner,
        settings: store.StudioSettings,
        recent: RecentProjects,
        status: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.window, self.model = window, model
        self.preview, self.problems, self.variables = preview, problems, variables
        self.thumbnails, self.banner = thumbnails, banner
        self.settings, self.recent, self.status = settings, recent, status
        model.events.project.connect(self._on_project)
        model.events.current.connect(self._on_current)
        model.events.status.connect(status)
        model.events.layers.connect(self._on_layers)
        problems.checked.connect(self._problems_to_model)
        preview.controller.frame_changed.connect(model.set_frame)
        preview.controller.state_changed.connect(
            lambda: model.set_playing(preview.controller.playing)
        )
        preview.controller.in_out.range_changed.connect(self._marks_to_model)
        preview.reloading.connect(self._refresh_variables)
        variables.values_changed.connect(preview.set_variables)
        variables.values_changed.connect(model.set_variables)

    def _on_project(self, root: Path | None) -> None:
        journal.open_project(root)
        self.banner.clear()
        self.window.setWindowTitle(f"{root.name} — {APP_TITLE}" if root is not None else APP_TITLE)
        if root is None:
            self.problems.set_target(None, None)
        else:
            self.settings.add_recent(root)
            store.save_settings(self.settings)
            self.recent.refresh()
            ok = [i.path for i in self.model.compositions if not i.error]
            if ok:
                self.thumbnails.request(root, ok)
        if self.model.project_error:
            self.preview.show_error(self.model.project_error)

    def _on_current(self, info: CompositionInfo | None) -> None:
        model = self.model
        if info is None:
            return
        self.problems.set_target(model.project, info.path)
        self.variables.set_composition(model.project, None)  # until it loads
        comp = model.composition
        if comp is None:
            self.preview.show_error(model.load_error or "This composition cannot be opened.")
            return
        self.preview.load(comp, self.variables.set_composition(model.project, comp))
        self.status(
            f"{info.path.name}: {comp.width}×{comp.height}, {float(comp.fps):g} fps, "
            f"{comp.duration:g} s"
        )

    def _problems_to_model(self) -> None:
        self.model.set_problems(self.problems.problems())

    def _on_layers(self, _layers: object) -> None:
        """Muted timeline tracks: left out of the preview's sound (never of a render)."""
        self.preview.audio.set_silenced(self.model.track_muted)

    def _refresh_variables(self, comp: Composition) -> None:
        """A save may change the declared variables: the form follows, the page gets values."""
        self.preview.view.variables = self.variables.refresh(comp) or None

    def _marks_to_model(self, *_args: object) -> None:
        marks = self.preview.controller.in_out
        self.model.set_marks(marks.in_frame, marks.out_frame)
