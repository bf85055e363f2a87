"""Keys typed in a field (the inspector's, the stage's text editor) stay in the field.

Window-wide shortcuts (Delete, Backspace, S, I/O, J/K/L, Space, arrows) must never act while
the user types a value: HyperFrames' Studio deleted the selected element when Backspace was
pressed in one of its fields (HF #2981). Every field gets :class:`KeyShield`, which claims
every key without Ctrl/Alt/Meta (Qt then delivers it to the field instead of a shortcut).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget

_COMMAND = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class KeyShield(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and not (event.modifiers() & _COMMAND)
            and event.key() not in (Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        ):
            event.accept()  # ours: delivered to the field as a key press
            return True
        return False


def shield(field: QWidget, keys: KeyShield) -> QWidget:
    """Install ``keys`` on the field and on the line edit inside it (spin and combo boxes)."""
    field.installEventFilter(keys)
    inner = None
    if isinstance(field, QAbstractSpinBox | QComboBox):
        inner = field.lineEdit()
    if inner is not None:
        inner.installEventFilter(keys)
    return field
