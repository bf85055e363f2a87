"""The studio's telemetry session: first-run notice, then ``studio_session_start``, and the
bounded flush when a window closes."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from hyperframes_desktop import telemetry
from hyperframes_desktop.ui.dialogs.notice import NoticeDialog, apply_choice

#: Closing waits at most this long for the endpoint, so the process exits within a second
#: even when it hangs (Qt and Python teardown take ~0.3 s more).
CLOSE_BUDGET_S = 0.5
_MIN_FLUSH_S = 0.1

_notice_open = False


class TelemetrySession(QObject):
    """One per main window; ``studio_session_start`` itself is once per process."""

    notice_shown = Signal(object)  # the NoticeDialog, for tests and screenshots
    started = Signal()

    def __init__(self, window: QWidget, has_project: bool, ask_notice: bool = True) -> None:
        super().__init__(window)
        self._window = window
        self._has_project = has_project
        self._ask_notice = ask_notice
        self.dialog: NoticeDialog | None = None

    def begin(self) -> None:
        """Show the notice if it is due (non-blocking), else start the session now."""
        global _notice_open
        if telemetry.notice_pending():
            if not self._ask_notice or _notice_open:
                return  # nothing may be sent before someone has seen the notice
            _notice_open = True
            self.dialog = NoticeDialog(self._window)
            self.dialog.finished.connect(self._on_notice_finished)
            self.dialog.open()
            self.notice_shown.emit(self.dialog)
            return
        self._start()

    def end(self) -> None:
        """The window is closing: an unanswered notice decides nothing (asked next time)."""
        if self.dialog is not None:
            self.dialog.reject()

    shutdown = end  # the window's close asks every component to shut down

    def _on_notice_finished(self, _result: int) -> None:
        global _notice_open
        _notice_open = False
        dialog, self.dialog = self.dialog, None
        if dialog is not None and apply_choice(dialog.choice):
            self._start()
        if dialog is not None:
            dialog.deleteLater()

    def _start(self) -> None:
        telemetry.track_studio_session_start(self._has_project)
        self.started.emit()


def flush_on_close(started_at: float) -> bool:
    """Deliver queued events, waiting no longer than what is left of the close budget."""
    left = CLOSE_BUDGET_S - (time.monotonic() - started_at)
    return telemetry.get_client().flush(max(_MIN_FLUSH_S, left))
