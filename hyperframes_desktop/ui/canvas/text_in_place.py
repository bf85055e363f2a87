"""Editing an element's text on the stage: a field laid over the element.

Double-click a selected element to edit its text where it stands; Enter or a click
elsewhere writes it (``project.design.text.set_text``: only the characters that differ
change, entities and inline markup are kept), Esc puts it back. An element whose text a
script writes says so in the status bar and is not opened: the page would overwrite it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from hyperframes_desktop.project.design.move import ElementRef
from hyperframes_desktop.project.design.text import plain_text, script_writes_text_of, set_text
from hyperframes_desktop.project.timeline import Edit, EditRefused, Timeline
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui.key_shield import KeyShield, shield


class TextInPlace(QObject):
    def __init__(
        self,
        model: StudioModel,
        parent_widget: QWidget,
        apply: Callable[[Callable[[Timeline], Edit]], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._apply = apply
        self.keys = KeyShield(self)
        self.field = QLineEdit(parent_widget)
        self.field.setObjectName("textInPlace")
        self.field.setStyleSheet(
            "#textInPlace { background: rgba(24, 24, 27, 230); color: #fafafa;"
            " border: 2px solid #3b82f6; }"
        )
        shield(self.field, self.keys)
        self.field.installEventFilter(self)
        self.field.returnPressed.connect(self.commit)
        self.field.hide()
        self.ref: ElementRef | None = None
        self._original = ""

    @property
    def editing(self) -> bool:
        return self.ref is not None

    def start(self, element_id: str, file: Path, box: QRectF) -> bool:
        """Open the field over ``box`` (the element's rect on screen) with its text."""
        timeline = self.model.timeline
        if timeline is None:
            return False
        ref = ElementRef(file, element_id)
        try:
            if script_writes_text_of(timeline, ref):
                self.model.set_status(
                    f"A script writes the text of {ref.label}: change it in the script."
                )
                return False
            text = plain_text(timeline, ref)
        except EditRefused as exc:
            self.model.set_status(str(exc))
            return False
        self.ref, self._original = ref, text
        height = max(28, round(box.height()))
        self.field.setGeometry(
            round(box.left()), round(box.top()), max(120, round(box.width())), min(height, 48)
        )
        self.field.setText(" ".join(text.split()) if "\n" in text else text)
        self.field.setModified(False)
        self.field.show()
        self.field.raise_()
        self.field.setFocus(Qt.FocusReason.MouseFocusReason)
        self.field.selectAll()
        return True

    def commit(self) -> None:
        ref, self.ref = self.ref, None
        self.field.hide()
        if ref is None or not self.field.isModified():
            return
        new = self.field.text()
        self._apply(lambda timeline: set_text(timeline, ref, new))

    def cancel(self) -> None:
        self.ref = None
        self.field.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field:
            if (
                event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape
            ):
                self.cancel()
                return True
            if event.type() == QEvent.Type.FocusOut and self.editing:
                self.commit()
        return False
