"""The in/out range's keys (the range itself is ``ui/in_out_range.py``, shared with the
render panel). Keys follow the NLE convention: I/O set in and out at the playhead,
Shift+I/Shift+O clear them, A/E jump to them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from hyperframes_desktop.ui.in_out_range import InOutRange


class InOutActions(QObject):
    """Mark In/Out, Clear In/Out, Go to In/Out, bound to a playback controller."""

    def __init__(self, controller, parent: QObject) -> None:
        super().__init__(parent)
        self.controller = controller
        self.range: InOutRange = controller.in_out
        self.mark_in = self._make("Mark In", "Set the in point at the playhead", "I", self._in)
        self.mark_out = self._make("Mark Out", "Set the out point at the playhead", "O", self._out)
        self.clear_in = self._make("Clear In", "Remove the in point", "Shift+I", self._clear_in)
        self.clear_out = self._make("Clear Out", "Remove the out point", "Shift+O", self._clear_out)
        self.go_in = self._make("Go to In", "Jump to the in point", "A", self._go_in)
        self.go_out = self._make("Go to Out", "Jump to the out point", "E", self._go_out)

    def all(self) -> list[QAction]:
        return [self.mark_in, self.mark_out, self.clear_in, self.clear_out, self.go_in, self.go_out]

    def set_enabled(self, enabled: bool) -> None:
        for action in self.all():
            action.setEnabled(enabled)

    def _make(self, text: str, tip: str, key: str, slot) -> QAction:
        action = QAction(text, self)
        sequence = QKeySequence(key)
        action.setShortcut(sequence)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{tip} ({sequence.toString(QKeySequence.SequenceFormat.NativeText)})")
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    # Slots return None (PySide6 6.12 mishandles returned values).
    def _in(self, _checked: bool = False) -> None:
        self.range.set_in(self.controller.frame)

    def _out(self, _checked: bool = False) -> None:
        self.range.set_out(self.controller.frame)

    def _clear_in(self, _checked: bool = False) -> None:
        self.range.clear_in()

    def _clear_out(self, _checked: bool = False) -> None:
        self.range.clear_out()

    def _go_in(self, _checked: bool = False) -> None:
        self.controller.seek(self.range.span()[0])

    def _go_out(self, _checked: bool = False) -> None:
        self.controller.seek(self.range.span()[1])
