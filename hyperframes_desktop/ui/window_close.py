"""Closing the studio window: ask first while renders run, then shut every part down here.

This is the one shutdown path: each component the window made is asked to ``shutdown()``,
in the order given (after it nothing it started acts any more: the project watcher and its
timers, pool tasks' late results, thumbnail and waveform jobs, the preview's sound and
video-frame extraction). Only what must finish is waited for: cancelled renders stopping
their processes, and the telemetry flush (bounded by the close budget).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from hyperframes_desktop.ui.dialogs import messages
from hyperframes_desktop.ui.renders.queue import RenderQueue
from hyperframes_desktop.ui.session import flush_on_close


class Component(Protocol):
    def shutdown(self) -> None: ...


_QUIT_WAIT_MS = 15_000


class WindowClose(QObject):
    def __init__(
        self,
        window: QWidget,
        queue: RenderQueue,
        components: Sequence[Component],
        save: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.queue = queue
        self.components = list(components)
        self._save = save
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
        active = self.queue.active_count()
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
        for component in self.components:
            component.shutdown()
        self.queue.cancel_all()
        self.queue.wait_for_idle(_QUIT_WAIT_MS)  # cancelled renders stop their processes
        self.queue.stop_warm_processes()  # idle ones kept between renders
        self._save()

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


class QuitQuestionByName:
    """The quit question as the window's own (tests answer it through the window); mixed
    into the main window, which sets ``self.close_guard``."""

    close_guard: WindowClose

    @property
    def quit_box(self) -> QMessageBox | None:
        return self.close_guard.box

    @property
    def quit_yes(self) -> QAbstractButton | None:
        return self.close_guard.yes

    @property
    def _quit_confirmed(self) -> bool:
        return self.close_guard.confirmed

    @_quit_confirmed.setter
    def _quit_confirmed(self, value: bool) -> None:
        self.close_guard.confirmed = value
