"""Preferences: usage data (applied at once), how many renders may run together, and the
render farm (see farm_prefs)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop import telemetry
from hyperframes_desktop.telemetry import gates
from hyperframes_desktop.ui.dialogs.farm_prefs import FarmPrefsBox
from hyperframes_desktop.ui.store import MAX_CONCURRENT_LIMIT, FarmPrefs

#: Deciders the user cannot override from this dialog.
_FORCED = (gates.BY_BUILD, gates.BY_DEV, gates.BY_ERROR, *gates.OPT_OUT_ENV_VARS)


@dataclass(frozen=True)
class UsageDataView:
    checked: bool
    editable: bool
    explanation: str


def usage_data_view() -> UsageDataView:
    """How the checkbox should look, from the effective telemetry state."""
    state = telemetry.telemetry_state()
    if state.decided_by in _FORCED:
        return UsageDataView(False, False, f"Off and cannot be turned on here: {state.reason}.")
    try:
        chosen = telemetry.load_config().telemetry_enabled
    except telemetry.ConfigUnavailable:
        return UsageDataView(False, False, f"Off: {state.reason}.")
    if chosen and not state.enabled and state.decided_by == gates.BY_CONFIG:
        return UsageDataView(False, False, f"Off: {state.reason}.")
    if state.enabled:
        return UsageDataView(True, True, "On: anonymous usage data is sent.")
    if chosen:  # only the first-run notice is missing
        return UsageDataView(True, True, f"On once the notice is accepted ({state.reason}).")
    return UsageDataView(False, True, "Off: nothing is sent.")


class SettingsDialog(QDialog):
    max_concurrent_changed = Signal(int)
    show_payloads = Signal()
    farm_changed = Signal(object)  # FarmPrefs
    downloads_changed = Signal(bool)  # "Download libraries and fonts that projects use"

    def __init__(
        self,
        max_concurrent: int,
        parent: QWidget | None = None,
        farm: FarmPrefs | None = None,
        downloads: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.usage = QCheckBox("Send anonymous usage data")
        self.usage.setToolTip(
            "Render timings and app facts, never paths, names or contents (applies at once)"
        )
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        what = QPushButton("What Is Sent…")
        what.setAutoDefault(False)
        what.setToolTip("Show the events sent in this session, exactly as sent")
        what.clicked.connect(self._payloads)
        usage_box = QGroupBox("Usage data")
        usage_layout = QVBoxLayout(usage_box)
        usage_layout.addWidget(self.usage)
        usage_layout.addWidget(self.explanation)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(what)
        usage_layout.addLayout(row)

        self.concurrent = QSpinBox()
        self.concurrent.setRange(1, MAX_CONCURRENT_LIMIT)
        self.concurrent.setValue(max_concurrent)
        self.concurrent.setToolTip(
            "How many renders run at the same time; each already uses several cores"
        )
        render_box = QGroupBox("Rendering")
        form = QFormLayout(render_box)
        form.addRow("Max concurrent renders", self.concurrent)
        self.downloads = QCheckBox("Download libraries and fonts that projects use")
        self.downloads.setChecked(downloads)
        self.downloads.setToolTip(
            "CDN libraries (GSAP, three.js, d3 …), Google Fonts and remote media that a "
            "composition names come through the npm registry and are cached; off: cache only"
        )
        form.addRow(self.downloads)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(usage_box)
        layout.addWidget(render_box)
        self.farm_box = FarmPrefsBox(farm or FarmPrefs())
        self.farm_box.changed.connect(self.farm_changed)
        layout.addWidget(self.farm_box)
        self.finished.connect(self._on_finished)
        layout.addWidget(buttons)
        self.refresh()
        self.usage.toggled.connect(self._on_usage)
        self.concurrent.valueChanged.connect(self._on_concurrent)
        self.downloads.toggled.connect(self._on_downloads)

    def refresh(self) -> None:
        view = usage_data_view()
        self.usage.blockSignals(True)
        self.usage.setChecked(view.checked)
        self.usage.setEnabled(view.editable)
        self.usage.blockSignals(False)
        self.explanation.setText(view.explanation)

    def _on_usage(self, checked: bool) -> None:
        telemetry.set_telemetry_enabled(checked)  # the gates re-read it for the next event
        self.refresh()

    def _on_downloads(self, checked: bool) -> None:
        self.downloads_changed.emit(bool(checked))

    def _on_concurrent(self, value: int) -> None:
        self.max_concurrent_changed.emit(value)

    def _on_finished(self, _result: int) -> None:
        self.farm_box.commit()

    def _payloads(self, _checked: bool = False) -> None:
        self.show_payloads.emit()
