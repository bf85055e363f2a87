"""Keep the last frame on screen while the preview page reloads (a save, hot reloaded).

A reloaded page paints its first state before the seek to the playhead lands; without a
curtain the stage would flash. The curtain is a still of the stage laid over it until the
new page shows the playhead's frame (or fails, or a watchdog expires).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

_WATCHDOG_MS = 4000
_PAINT_MS = 20  # a seek has returned; give the compositor a frame to paint it


class Curtain(QLabel):
    def __init__(self, stage: QWidget, parent: QWidget) -> None:
        super().__init__(parent)
        self._stage = stage
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.hide()
        self._paint = QTimer(self)
        self._paint.setSingleShot(True)
        self._paint.setInterval(_PAINT_MS)
        self._paint.timeout.connect(self.lift)
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(_WATCHDOG_MS)
        self._watchdog.timeout.connect(self.lift)

    def drop(self) -> None:
        """Cover the stage with a still of what it shows now."""
        if not self._stage.isVisible():
            return
        self._paint.stop()
        if self.isVisible():  # already down: keep the still of the last good frame
            self._watchdog.start()
            return
        self.setPixmap(self._stage.grab())
        self.setGeometry(self._stage.geometry())
        self.show()
        self.raise_()
        self._watchdog.start()

    @property
    def down(self) -> bool:
        return self.isVisible()

    def lift_soon(self, *_args: object) -> None:
        """The new page showed its frame: lift once it is painted."""
        if self.isVisible() and not self._paint.isActive():
            self._paint.start()

    def lift(self, *_args: object) -> None:
        self._watchdog.stop()
        self._paint.stop()
        self.hide()
