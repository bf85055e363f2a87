"""The selected clip's id, start, duration, track, media start and volume, editable.

The inspector only reports what the user typed (``field_edited``); the controller turns it
into the model's operation, so a refused edit changes nothing and the values snap back.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)


def _seconds_box(tip: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setDecimals(3)
    box.setRange(0.0, 86_400.0)
    box.setSingleStep(0.1)
    box.setSuffix(" s")
    box.setKeyboardTracking(False)
    box.setToolTip(tip)
    box.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
    return box


class ClipInspector(QWidget):
    field_edited = Signal(str, object)  # (field name, new value)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(200)
        form = QFormLayout(self)
        form.setContentsMargins(8, 6, 8, 6)
        self.title = QLabel("No clip selected")
        self.title.setStyleSheet("font-weight: 600;")
        form.addRow(self.title)
        self.id_edit = QLineEdit()
        self.id_edit.setToolTip("The element's id (references to it are updated)")
        self.start = _seconds_box("Start on this composition's timeline")
        self.relative = QLabel()
        self.relative.setStyleSheet("color: #a1a1aa;")
        self.duration = _seconds_box("How long the clip shows")
        self.track = QSpinBox()
        self.track.setRange(0, 999)
        self.track.setKeyboardTracking(False)
        self.track.setToolTip("data-track-index: the row it sits on")
        self.media_start = _seconds_box("data-media-start: where in the source file it starts")
        self.volume = QDoubleSpinBox()
        self.volume.setRange(0.0, 1.0)
        self.volume.setDecimals(2)
        self.volume.setSingleStep(0.05)
        self.volume.setKeyboardTracking(False)
        self.volume.setToolTip("data-volume, 0–1")
        form.addRow("Id", self.id_edit)
        form.addRow("Start", self.start)
        form.addRow("", self.relative)
        form.addRow("Duration", self.duration)
        form.addRow("Track", self.track)
        form.addRow("Media start", self.media_start)
        form.addRow("Volume", self.volume)
        self._form = form
        self._clip = None
        self._filling = False
        self.id_edit.editingFinished.connect(self._on_id)
        for name, box in self._boxes().items():
            box.valueChanged.connect(self._reporter(name))
        self.show_clip(None)

    def _boxes(self) -> dict[str, QAbstractSpinBox]:
        return {
            "start": self.start,
            "duration": self.duration,
            "track": self.track,
            "media_start": self.media_start,
            "volume": self.volume,
        }

    def show_clip(self, clip: object | None) -> None:
        """Fill in from the model's clip (or clear)."""
        self._clip = clip
        self._filling = True
        try:
            enabled = clip is not None and bool(getattr(clip, "timed", False))
            for widget in (self.id_edit, *self._boxes().values()):
                widget.setEnabled(enabled)
            if clip is None:
                self.title.setText("No clip selected")
                self.id_edit.clear()
                self.relative.clear()
                self._form.setRowVisible(self.relative, False)
                return
            self.title.setText(f"{clip.label} — {clip.kind}")
            self.id_edit.setText(clip.id or "")
            self.start.setValue(clip.local_start)
            ref = clip.start_ref
            self.relative.setText(
                f"after the end of “{ref.ref}” {ref.offset:+g} s" if ref is not None else ""
            )
            self._form.setRowVisible(self.relative, ref is not None)
            self.duration.setValue(clip.duration)
            self.track.setValue(clip.track)
            media = clip.is_media
            self.media_start.setEnabled(enabled and media)
            self.volume.setEnabled(enabled and media)
            self.media_start.setValue(clip.media_start or 0.0 if media else 0.0)
            self.volume.setValue(clip.volume if media and clip.volume is not None else 1.0)
        finally:
            self._filling = False

    def _on_id(self) -> None:
        if self._filling or self._clip is None:
            return
        text = self.id_edit.text().strip()
        if text != (self._clip.id or ""):
            self.field_edited.emit("id", text)

    def _reporter(self, name: str):
        def report(value: float) -> None:
            if not self._filling and self._clip is not None:
                self.field_edited.emit(name, value)

        return report
