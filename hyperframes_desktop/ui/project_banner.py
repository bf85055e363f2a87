"""The bar above the stage that says the open project folder is gone (deleted, renamed or
unmounted while open). The last frame stays on screen; nothing is written anywhere until the
user opens a project again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class ProjectBanner(QFrame):
    open_requested = Signal()  # "Open Another Project…"
    reopen_requested = Signal(object)  # Path: "Try Again" (the folder may be back)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectBanner")
        self.setStyleSheet("#projectBanner { background: #7c2d12; } QLabel { color: #fef3c7; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        self.retry = QPushButton("Try Again")
        self.retry.setToolTip("Open the same folder again (if it was moved back or remounted)")
        self.retry.clicked.connect(self._on_retry)
        layout.addWidget(self.retry)
        self.open = QPushButton("Open Another Project…")
        self.open.clicked.connect(self._on_open)
        layout.addWidget(self.open)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout.addWidget(close)
        self.root: Path | None = None
        self.hide()

    def show_gone(self, root: Path) -> None:
        self.root = root
        self.text.setText(
            f"The project folder {root.name} was deleted or moved while open. The preview "
            "shows its last frame; open the folder again, or another project, to go on."
        )
        self.show()

    def clear(self) -> None:
        self.root = None
        self.hide()

    def _on_retry(self, _checked: bool = False) -> None:
        if self.root is not None:
            self.reopen_requested.emit(self.root)

    def _on_open(self, _checked: bool = False) -> None:
        self.open_requested.emit()


def stage_with_banner(banner: ProjectBanner, stage: QWidget) -> QWidget:
    """The window's central widget: the banner (hidden until needed) above the stage."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    layout.addWidget(stage, 1)
    return box
