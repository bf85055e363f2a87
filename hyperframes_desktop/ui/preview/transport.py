"""The bar under the preview: transport buttons, a frame-accurate scrubber and the clock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from hyperframes_desktop.ui.preview.actions import PlaybackActions
from hyperframes_desktop.ui.preview.playback import PlaybackController
from hyperframes_desktop.ui.preview.range_slider import RangeSlider


def format_time(seconds: float) -> str:
    """``M:SS.mmm`` (minutes grow as needed)."""
    millis = max(0, round(seconds * 1000))
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{minutes}:{secs:02d}.{millis:03d}"


class TransportBar(QWidget):
    def __init__(self, controller: PlaybackController, actions: PlaybackActions) -> None:
        super().__init__()
        self.controller = controller
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        for action in (
            actions.go_start,
            actions.shuttle_back,
            actions.step_back,
            actions.play_pause,
            actions.step_forward,
            actions.shuttle_forward,
            actions.go_end,
            actions.loop,
        ):
            layout.addWidget(_button(action))
        self.slider = RangeSlider(controller.in_out)  # draws the in/out range
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(10)
        self.slider.valueChanged.connect(self._on_slider)
        layout.addWidget(self.slider, 1)
        self.clock = QLabel()
        self.clock.setToolTip("Time / length, and frame / last frame (frames count from 0)")
        self.clock.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.clock)
        self.speed = QLabel()
        self.speed.setToolTip("Shuttle speed (J/K/L)")
        self.speed.setMinimumWidth(32)
        layout.addWidget(self.speed)
        layout.addWidget(_button(actions.full_preview))
        controller.frame_changed.connect(self._on_frame)
        controller.state_changed.connect(self._on_state)
        self._on_state()

    def _on_slider(self, value: int) -> None:
        if value != self.controller.frame:
            self.controller.seek(value)

    def _on_frame(self, frame: int) -> None:
        if self.slider.value() != frame:
            self.slider.blockSignals(True)
            self.slider.setValue(frame)
            self.slider.blockSignals(False)
        self._update_clock()

    def _on_state(self) -> None:
        last = self.controller.last_frame
        if self.slider.maximum() != last:
            self.slider.blockSignals(True)
            self.slider.setRange(0, last)
            self.slider.setValue(self.controller.frame)
            self.slider.blockSignals(False)
        speed = self.controller.speed
        self.speed.setText("" if speed in (0.0, 1.0) else f"{speed:g}×")
        self._update_clock()

    def _update_clock(self) -> None:
        c = self.controller
        length = float(c.frame_count / c.fps) if c.fps else 0.0
        self.clock.setText(
            f"{format_time(c.time_of(c.frame))} / {format_time(length)}   "
            f"frame {c.frame} / {c.last_frame}"
        )


def _button(action) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setAutoRaise(True)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button
