"""Closing the studio window: ask first while renders run, then shut every part down here.

This is the one shutdown path: after it nothing the window started acts any more (the
project watcher and its timers, pool tasks' late results, thumbnail and waveform jobs, the
preview's sound and video-frame extraction). Only what must finish is waited for: cancelled
renders stopping their processes, and the telemetry flush (bounded by the close budget).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QAbstractButton, QMessageBox

from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.dialogs import messages
from hyperframes_desktop.ui.session import flush_on_close

if TYPE_CHECKING:
    from hyperframes_desktop.ui.main_window import MainWindow

_QUIT_WAIT_MS = 15_000


class WindowClose(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.confirmed = False  # the user said yes to quitting while renders run
        self.closing = False
        self.box: QMessageBox | None = None  # the question, while it is open
        self.yes: QAbstractButton | None = None

    def close_event(self, event: QCloseEvent) -> bool:
        """MainWindow.closeEvent: ask, or shut down and accept. True when this call closed
        the window (a later close of a closed window is accepted and does nothing)."""
        if self.closing:
            event.accept()
            return False
        active = self.window.queue.active_count()
        if active and not self.confirmed:
            event.ignore()
            self._ask(active)
            return False
        started = time.monotonic()
        self.closing = True
        self.shut_down()
        flush_on_close(started)
        event.accept()
        return True

    def shut_down(self) -> None:
        """Stop everything the window started, in dependency order; nothing here waits
        except for cancelled renders, which must not outlive the studio."""
        w = self.window
        w.session.end()
        w.hot_reload.shutdown()  # first: it drives the preview, thumbnails and problems
        w.variables_panel.shutdown()  # a value just typed is kept, not shown
        w.preview.shutdown()
        w.problems.shutdown()
        w.timeline.shutdown()
        w.save_frame.cancel()
        w.thumbnails.shutdown()
        w.queue.cancel_all()
        w.queue.wait_for_idle(_QUIT_WAIT_MS)  # cancelled renders stop their processes
        w.layout_memory.save()
        store.save_settings(w.settings)

    # ---- asking -----------------------------------------------------------------------
    def _ask(self, active: int) -> None:
        if self.box is not None:
            return
        box, self.yes = messages.quit_question(self.window, active)
        box.finished.connect(self._on_answer)
        self.box = box
        box.open()

    def _on_answer(self, _result: int) -> None:
        box, self.box = self.box, None
        if box is None:
            return
        confirmed = box.clickedButton() is self.yes
        box.deleteLater()
        if confirmed:
            self.confirmed = True
            QTimer.singleShot(0, self._close_now)

    def _close_now(self) -> None:
        self.window.close()
