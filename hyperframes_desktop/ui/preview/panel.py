"""The preview panel: stage + transport bar, driven by one playback clock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from hyperframes_desktop.project import Composition, ProjectError
from hyperframes_desktop.render.options import RenderError
from hyperframes_desktop.ui.preview.actions import PlaybackActions
from hyperframes_desktop.ui.preview.audio import PreviewAudio
from hyperframes_desktop.ui.preview.audio_controls import AudioControls
from hyperframes_desktop.ui.preview.curtain import Curtain
from hyperframes_desktop.ui.preview.in_out import InOutActions
from hyperframes_desktop.ui.preview.playback import PlaybackController
from hyperframes_desktop.ui.preview.transport import TransportBar
from hyperframes_desktop.ui.preview.view import PreviewView


class PreviewPanel(QWidget):
    ready = Signal()  # the loaded composition can be seeked
    reloading = Signal(object)  # (Composition) saved again, about to be shown (hot reload)
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = PlaybackController(self)
        self.actions = PlaybackActions(self.controller, self)
        self.in_out_actions = InOutActions(self.controller, self)
        self.view = PreviewView()
        self.curtain = Curtain(self.view.web, self.view)
        self.transport = TransportBar(self.controller, self.actions)
        self.audio = PreviewAudio(self.controller, self)
        self.audio_controls = AudioControls(self.audio)
        self.transport.layout().addWidget(self.audio_controls)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes.setStyleSheet("color: #b45309; padding: 2px 8px;")
        self.notes.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.notes)
        layout.addWidget(self.transport)
        self.composition: Composition | None = None
        self.controller.frame_changed.connect(self.view.driver.seek)
        self.view.driver.ready.connect(self._on_ready)
        self.view.driver.warning.connect(self._on_warning)
        self.view.driver.frame_shown.connect(self.curtain.lift_soon)
        self.view.driver.failed.connect(self.curtain.lift)
        self.view.reloading.connect(self.curtain.drop)  # no flash when video frames arrive
        self.view.clicked.connect(self.controller.toggle_play)
        self._enable(False)

    def load(self, comp: Composition, variables: dict | None = None) -> None:
        """Show ``comp`` from its first frame, with these values for its variables (None:
        the values already set)."""
        if variables is not None:
            self.view.variables = dict(variables) or None
        self.controller.pause()
        self.notes.hide()
        self.composition = comp
        try:
            compiled = self.view.show_composition(comp)
        except (OSError, ProjectError, RenderError) as exc:
            self.show_error(f"This composition cannot be previewed: {exc}")
            return
        self.controller.set_timeline(compiled.frame_count, compiled.fps)
        self.controller.in_out.set_composition(comp.path, compiled.frame_count)
        self.audio.set_composition(comp)
        self._enable(True)

    def reload(self, comp: Composition, renamed_from: Path | None = None) -> bool:
        """The same composition saved again (or renamed from ``renamed_from``): show it at
        the same frame, still playing if it was. If it cannot be compiled the last frame
        stays on screen; False then."""
        self.reloading.emit(comp)  # e.g. its variables' values are brought up to date
        if self.composition is None or self.composition.path not in (comp.path, renamed_from):
            self.load(comp)
            return self.composition is not None
        self.curtain.drop()
        try:
            compiled = self.view.show_composition(comp)
        except (OSError, ProjectError, RenderError) as exc:
            self.curtain.lift()
            self._on_warning(f"This composition cannot be previewed: {exc}")
            return False
        self.composition = comp
        self.notes.hide()
        self.controller.in_out.rename(comp.path)
        self.controller.set_length(compiled.frame_count, compiled.fps)
        self.audio.set_composition(comp, same=True)
        return True

    def shutdown(self) -> None:
        """The window is closing: playback, sound, frame extraction and the page stop."""
        self.controller.pause()
        self.curtain.lift()  # and its timers stop
        self.audio.shutdown()
        self.view.shutdown()

    def show_note(self, text: str) -> None:
        """A problem shown under the stage (and in the status bar), the stage untouched."""
        self._on_warning(text)

    def set_variables(self, values: dict | None) -> None:
        """New values for the root composition's variables: the page is shown again with
        them, at the same frame (and still playing if it was)."""
        self.view.variables = dict(values) if values else None
        if self.composition is None:
            return
        self.curtain.drop()  # the last frame stays on screen until the new page shows it
        try:
            self.view.show_composition(self.composition)
        except (OSError, ProjectError, RenderError) as exc:
            self.curtain.lift()
            self._on_warning(f"These variable values cannot be previewed: {exc}")

    def show_error(self, text: str) -> None:
        self.controller.pause()
        self.composition = None
        self.controller.in_out.set_composition(None, 1)
        self.audio.set_composition(None)
        self._enable(False)
        self.notes.hide()
        self.view.clear(text)

    def _enable(self, enabled: bool) -> None:
        self.actions.set_enabled(enabled)
        self.in_out_actions.set_enabled(enabled)

    def seek(self, frame: int) -> None:
        self.controller.seek(frame)

    @property
    def is_ready(self) -> bool:
        return self.view.driver.is_ready and self.composition is not None

    def _on_ready(self) -> None:
        self.view.driver.seek(self.controller.frame)
        self.ready.emit()

    def _on_warning(self, text: str) -> None:
        self.notes.setText(text)
        self.notes.setToolTip(text)
        self.notes.show()
        self.status_message.emit(text)
