"""The timeline dock's contents: refusal banner, zoom bar, the painted canvas, the inspector."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop.ui.timeline.banner import Banner
from hyperframes_desktop.ui.timeline.canvas import TimelineCanvas
from hyperframes_desktop.ui.timeline.inspector import ClipInspector


def _action(parent: QWidget, text: str, tip: str, keys: list[str]) -> QAction:
    action = QAction(text, parent)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    shown = " / ".join(keys)
    action.setToolTip(f"{tip} ({shown})" if shown else tip)
    action.setStatusTip(tip)
    return action


class TimelinePanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = Banner()
        self.canvas = TimelineCanvas()
        self.inspector = ClipInspector()
        self.zoom_in = _action(self, "Zoom In", "Zoom the timeline in", ["+", "="])
        self.zoom_out = _action(self, "Zoom Out", "Zoom the timeline out", ["-"])
        self.zoom_fit = _action(self, "Fit", "Show the whole composition", ["\\"])
        self.zoom_in.triggered.connect(self._in)
        self.zoom_out.triggered.connect(self._out)
        self.zoom_fit.triggered.connect(self._fit)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        for action in (self.zoom_out, self.zoom_in, self.zoom_fit):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            bar.addWidget(button)
        self.default_hint = (
            "Drag to move · drag an edge to trim · Shift: no snapping · S split · Del delete"
        )
        self.hint = QLabel(self.default_hint)
        # a long sentence must never widen the dock (and so resize the preview)
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hint.setStyleSheet("color: #a1a1aa;")
        bar.addWidget(self.hint, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.canvas)
        split.addWidget(self.inspector)
        split.setStretchFactor(0, 1)
        split.setCollapsible(0, False)
        split.setSizes([900, 240])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

    def actions_for_window(self) -> list[QAction]:
        return [self.zoom_in, self.zoom_out, self.zoom_fit]

    def _in(self, _checked: bool = False) -> None:
        self.canvas.zoom_in()

    def _out(self, _checked: bool = False) -> None:
        self.canvas.zoom_out()

    def _fit(self, _checked: bool = False) -> None:
        self.canvas.fit()
