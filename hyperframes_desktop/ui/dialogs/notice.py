"""The first-run usage-data notice, shown before any event can be sent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop import telemetry

CONTINUE, TURN_OFF = "continue", "off"


class NoticeDialog(QDialog):
    """Continue (default) or turn usage data off. Closing it decides nothing: it will be
    shown again next time, and nothing is sent meanwhile."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Anonymous usage data")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.choice: str | None = None
        intro = QLabel(
            "Before you start, here is what HyperFrames Desktop sends and how to stop it."
        )
        intro.setWordWrap(True)
        self.text = text = QPlainTextEdit(telemetry.NOTICE_TEXT)
        text.setReadOnly(True)
        text.setMinimumSize(600, 320)
        hint = QLabel("You can change this any time in Preferences → Send anonymous usage data.")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.continue_button = QPushButton("Continue")
        self.continue_button.setDefault(True)
        self.off_button = QPushButton("Turn Off Usage Data")
        buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.off_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.continue_button.clicked.connect(self._continue)
        self.off_button.clicked.connect(self._turn_off)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(text, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def _continue(self, _checked: bool = False) -> None:
        self.choice = CONTINUE
        self.accept()

    def _turn_off(self, _checked: bool = False) -> None:
        self.choice = TURN_OFF
        self.accept()


def apply_choice(choice: str | None) -> bool:
    """Record the answer; True when the notice counts as shown."""
    if choice is None:
        return False
    if choice == TURN_OFF:
        telemetry.set_telemetry_enabled(False)
    return telemetry.record_notice_shown()
