"""Edit ▸ Cut, Copy and Paste on the studio model's selection (the canvas, the layers list
and the timeline share it).

Copy puts the selected elements' source markup on the system clipboard twice: as the
studio's own format (``STUDIO_MIME``, with each clip's window and track) and as plain text.
Paste inserts a copy into the current composition with fresh ids (``project.design.
clipboard``), Cut is Copy then Delete (one undo step: the delete). The standard shortcuts
are window-wide, but a text field with focus keeps them: it claims Ctrl+C/V/X itself, and a
trigger while one has focus does nothing here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData, QObject
from PySide6.QtGui import QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
)

from hyperframes_desktop.project.design.clipboard import (
    STUDIO_MIME,
    Clipboard,
    copy_elements,
    paste_elements,
    selection_refs,
)
from hyperframes_desktop.project.design.layers import delete_elements
from hyperframes_desktop.project.timeline import Edit, EditRefused, Timeline
from hyperframes_desktop.project.timeline.writeback import AppliedEdit
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui.shortcuts import StdKey, window_action
from hyperframes_desktop.ui.shortcuts import shortcut_keys as _keys

_FIELDS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


def qt_made_mime_data() -> QMimeData:
    """An empty ``QMimeData`` made by Qt, not by Python, for the system clipboard.

    The clipboard owns what it is given and deletes it when the application's statics are torn
    down, after the interpreter has ended. A Python-made ``QMimeData`` is PySide's subclass,
    whose destructor then calls into the dead interpreter: the studio crashed on quit after
    every copy. One that Qt makes (here an item model's drag-and-drop export, emptied) is a
    plain ``QMimeData``."""
    model = QStandardItemModel()
    model.appendRow(QStandardItem())
    mime = model.mimeData([model.index(0, 0)])
    for name in mime.formats():
        mime.removeFormat(name)
    return mime


def typing_in_a_field() -> bool:
    focus = QApplication.focusWidget()
    if isinstance(focus, QComboBox):
        return focus.isEditable()
    return isinstance(focus, _FIELDS)


class ElementClipboard(QObject):
    def __init__(
        self,
        window: QMainWindow,
        model: StudioModel,
        menu: QMenu,
        apply: Callable[[Callable[[Timeline], Edit]], bool],
        write: Callable[[Callable[[Timeline], AppliedEdit]], bool],
    ) -> None:
        super().__init__(window)
        self.model = model
        self._apply = apply
        self._write = write
        self.cut = window_action(
            self, "Cu&t", "Copy the selected elements and remove them", _keys(StdKey.Cut)
        )
        self.copy = window_action(
            self, "&Copy", "Copy the selected elements' markup", _keys(StdKey.Copy)
        )
        self.paste = window_action(
            self,
            "&Paste",
            "Paste copied elements into this composition (with new ids)",
            _keys(StdKey.Paste),
        )
        self.cut.triggered.connect(self.cut_selection)
        self.copy.triggered.connect(self.copy_selection)
        self.paste.triggered.connect(self.paste_clipboard)
        menu.addSeparator()
        menu.addActions([self.cut, self.copy, self.paste])
        window.addActions([self.cut, self.copy, self.paste])
        model.events.selection.connect(self._sync)
        model.events.timeline.connect(self._sync)
        self._sync()

    def shutdown(self) -> None:
        self.model.events.selection.disconnect(self._sync)
        self.model.events.timeline.disconnect(self._sync)

    def _sync(self, *_args: object) -> None:
        has_timeline = self.model.timeline is not None
        selected = has_timeline and bool(self.model.selection)
        self.cut.setEnabled(selected)
        self.copy.setEnabled(selected)
        self.paste.setEnabled(has_timeline)

    def copy_selection(self, _checked: bool = False) -> bool:
        timeline = self.model.timeline
        if timeline is None or typing_in_a_field():
            return False
        try:
            board = copy_elements(timeline, selection_refs(timeline, self.model.selection))
        except EditRefused as exc:
            self.model.set_status(str(exc))
            return False
        mime = qt_made_mime_data()
        mime.setData(STUDIO_MIME, board.to_json().encode("utf-8"))
        mime.setText(board.plain_text())
        QGuiApplication.clipboard().setMimeData(mime)
        count = len(board.elements)
        self.model.set_status(f"Copied {count} element{'s' if count != 1 else ''}.")
        return True

    def cut_selection(self, _checked: bool = False) -> bool:
        timeline = self.model.timeline
        if timeline is None or not self.copy_selection():
            return False
        refs = selection_refs(timeline, self.model.selection)
        return self._apply(lambda t: delete_elements(t, refs))

    def paste_clipboard(self, _checked: bool = False) -> bool:
        if self.model.timeline is None or typing_in_a_field():
            return False
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not mime.hasFormat(STUDIO_MIME):
            self.model.set_status(
                "The clipboard holds no elements copied in the studio; select elements and "
                "copy them first."
            )
            return False
        data = bytes(mime.data(STUDIO_MIME).data()).decode("utf-8", "replace")
        pasted: list[str] = []
        if not self._write(lambda t: paste_elements(t, Clipboard.from_json(data), pasted)):
            return False
        self.model.set_selection(pasted)  # the copies are selected, as in every editor
        count = len(pasted)
        self.model.set_status(f"Pasted {count} element{'s' if count != 1 else ''} with new ids.")
        return True
