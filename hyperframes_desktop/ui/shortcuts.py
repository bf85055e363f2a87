"""Window-wide actions with keyboard shortcuts: the standard bindings first, then fallbacks."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

StdKey = QKeySequence.StandardKey


def shortcut_keys(*keys: StdKey | str) -> list[QKeySequence]:
    """Standard bindings first, then explicit fallbacks, without duplicates or empties."""
    seen: list[QKeySequence] = []
    for key in keys:
        sequences = (
            QKeySequence.keyBindings(key) if isinstance(key, StdKey) else [QKeySequence(key)]
        )
        for sequence in sequences:
            if not sequence.isEmpty() and sequence not in seen:
                seen.append(sequence)
    return seen


def window_action(parent: QObject, text: str, tip: str, keys: list[QKeySequence]) -> QAction:
    """An action whose shortcuts work anywhere in the window; the tooltip shows the first."""
    action = QAction(text, parent)
    action.setShortcuts(keys)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    shown = keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""
    action.setToolTip(f"{tip} ({shown})" if shown else tip)
    action.setStatusTip(tip)
    return action
