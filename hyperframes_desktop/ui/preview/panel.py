"""The preview panel: stage + transport bar, driven by one playback clock."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from hyperframes_desktop.project import Composition, ProjectError
from hyperframes_desktop.render.options import RenderError
from hyperframes_desktop.ui.preview.actions import PlaybackActions
from hyperframes_desktop.ui.preview.audio import PreviewAudio
from hyperframes_desktop.ui.preview.audio_controls import AudioControls
from hyperframes_desktop.ui.preview.playback import PlaybackController
from hyperframes_desktop.ui.preview.transport import TransportBar
from hyperframes_desktop.ui.preview.view import PreviewView


class PreviewPanel(QWidget):
    ready = Signal()  # the loaded composition can be seeked
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = PlaybackController(self)
        self.actions = PlaybackActions(self.controller, self)
        self.view = PreviewView()
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
        self.view.clicked.connect(self.controller.toggle_play)
        self.actions.set_enabled(False)

    def load(self, comp: Composition, variables: dict | None = None) -> None:
        """Show ``comp`` from its first frame, with these values for its variables."""
        self.view.variables = dict(variables) if variables else None
        self.controller.pause()
        self.notes.hide()
        self.composition = comp
        try:
            compiled = self.view.show_composition(comp)
        except (OSError, ProjectError) as exc:
            self.show_error(f"This composition cannot be previewed: {exc}")
            return
        self.controller.set_timeline(compiled.frame_count, compiled.fps)
        self.audio.set_composition(comp)
        self.actions.set_enabled(True)

    def set_variables(self, values: dict | None) -> None:
        """New values for the root composition's variables: the page is shown again with
        them, at the same frame (and still playing if it was)."""
        self.view.variables = dict(values) if values else None
        if self.composition is None:
            return
        try:
            self.view.show_composition(self.composition)
        except (OSError, ProjectError, RenderError) as exc:
            self._on_warning(f"These variable values cannot be previewed: {exc}")

    def show_error(self, text: str) -> None:
        self.controller.pause()
        self.composition = None
        self.audio.set_composition(None)
        self.actions.set_enabled(False)
        self.notes.hide()
        self.view.clear(text)

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
