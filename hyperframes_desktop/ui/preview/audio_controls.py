"""Mute (M) and volume for the preview's sound, in the transport bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QSlider, QStyle, QToolButton, QWidget

from hyperframes_desktop.ui.preview.audio import PreviewAudio


class AudioControls(QWidget):
    """A mute button (its action carries the M shortcut) and a volume slider.

    Both are disabled while the composition has no sound (or it is still being mixed); the
    tooltip says why. Their values are remembered by :class:`PreviewAudio`.
    """

    def __init__(self, audio: PreviewAudio, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.audio = audio
        self.mute_action = QAction("Mute Preview Sound", self)
        self.mute_action.setCheckable(True)
        self.mute_action.setShortcut(QKeySequence("M"))
        self.mute_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.mute_action.setStatusTip("Mute or unmute the preview's sound")
        self.mute_action.setChecked(audio.user_muted)
        self.mute_action.toggled.connect(self._on_mute_toggled)
        self.mute_button = QToolButton()
        self.mute_button.setDefaultAction(self.mute_action)
        self.mute_button.setAutoRaise(True)
        self.mute_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(audio.volume)
        self.volume.setFixedWidth(80)
        self.volume.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.volume.valueChanged.connect(self._on_volume)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.mute_button)
        layout.addWidget(self.volume)
        audio.availability_changed.connect(self._on_availability)
        audio.mute_changed.connect(self._on_mute_changed)
        self._on_availability(audio.available, audio.reason)
        self._on_mute_changed(audio.muted)

    # Slots return None (PySide6 6.12 mishandles returned values).
    def _on_mute_toggled(self, checked: bool) -> None:
        if checked != self.audio.user_muted:
            self.audio.set_muted(checked)

    def _on_volume(self, value: int) -> None:
        self.audio.set_volume(value)
        self._update_tips()

    def _on_availability(self, available: bool, _reason: str) -> None:
        self.mute_action.setEnabled(available)
        self.volume.setEnabled(available)
        self._update_tips()

    def _on_mute_changed(self, muted: bool) -> None:
        if self.mute_action.isChecked() != self.audio.user_muted:
            self.mute_action.blockSignals(True)
            self.mute_action.setChecked(self.audio.user_muted)
            self.mute_action.blockSignals(False)
        pixmap = QStyle.StandardPixmap
        icon = pixmap.SP_MediaVolumeMuted if muted else pixmap.SP_MediaVolume
        self.mute_action.setIcon(self.style().standardIcon(icon))
        self._update_tips()

    def _update_tips(self) -> None:
        audio = self.audio
        if audio.sync.muted_by_shuttle and not audio.user_muted:
            state = "Silent while shuttling faster than 1×. "
        else:
            state = ""
        self.mute_action.setToolTip(
            f"{state}Mute or unmute the preview's sound (M). {audio.reason}"
        )
        self.volume.setToolTip(f"Preview volume: {audio.volume}%. {audio.reason}")
