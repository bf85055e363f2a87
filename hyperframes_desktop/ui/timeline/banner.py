"""The bar at the top of the timeline that says why an edit was refused.

A file that changed on disk gets a Reload button; other refusals (an overlap, a bad value)
only need the sentence.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget


class Banner(QFrame):
    reload_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        self.reload = QPushButton("Reload")
        self.reload.setToolTip("Read the file again from disk (your edit is not applied)")
        self.reload.clicked.connect(self._on_reload)
        layout.addWidget(self.reload)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self._on_close)
        layout.addWidget(close)
        self.conflict = False
        self.hide()

    def show_refusal(self, sentence: str, conflict: bool = False) -> None:
        """``conflict``: the file changed on disk, so offer to reload it."""
        self.conflict = conflict
        colour = "#7c2d12" if conflict else "#78350f"
        self.setStyleSheet(
            f"#timelineBanner {{ background: {colour}; }} QLabel {{ color: #fef3c7; }}"
        )
        self.text.setText(sentence)
        self.reload.setVisible(conflict)
        self.show()

    def clear(self) -> None:
        self.conflict = False
        self.hide()

    def _on_reload(self, _checked: bool = False) -> None:
        self.clear()
        self.reload_requested.emit()

    def _on_close(self, _checked: bool = False) -> None:
        self.clear()
