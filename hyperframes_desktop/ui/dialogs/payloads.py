"""“What is sent”: the latest telemetry batches, event by event, exactly as sent."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop import telemetry


def recent_events() -> list[dict[str, Any]]:
    """Every event of the recent batches, newest first."""
    events = [
        item
        for body in telemetry.get_client().recent_payloads()
        for item in (body.get("batch") or [])
        if isinstance(item, dict)
    ]
    return list(reversed(events))


class PayloadsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("What is sent")
        self.resize(820, 520)
        state = telemetry.telemetry_state()
        intro = QLabel(
            "The events this session sent, newest first, with every property. "
            f"Usage data is currently {'on' if state.enabled else 'off'} ({state.reason})."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        refresh = QPushButton("Refresh")
        refresh.setAutoDefault(False)
        buttons.addButton(refresh, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        buttons.rejected.connect(self.reject)
        refresh.clicked.connect(self._refresh)
        self.list.currentRowChanged.connect(self._show)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.events: list[dict[str, Any]] = []
        self._refresh()

    def _refresh(self, _checked: bool = False) -> None:
        self.events = recent_events()
        self.list.clear()
        for item in self.events:
            self.list.addItem(f"{item.get('timestamp', '')}  {item.get('event', '')}")
        if self.events:
            self.list.setCurrentRow(0)
        else:
            self.detail.setPlainText("Nothing has been sent in this session.")

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.events):
            self.detail.setPlainText(json.dumps(self.events[row], indent=2, sort_keys=True))
