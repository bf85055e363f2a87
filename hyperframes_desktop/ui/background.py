"""Long work off the GUI thread, with its reports delivered on the GUI thread.

Why one helper instead of a ``QRunnable`` subclass with a signals ``QObject`` per task: the
Python object behind a runnable (and the ``QObject`` it emits through) is freed wherever its
last reference goes. A widget that drops its task when the task's last signal arrives can make
that happen on the pool thread while Qt is still returning from ``run()``, or while queued
signals still point at the signals object. That is a use-after-free: a rare segfault, seen once
in CI. Here a task holds no Qt object at all:

- the work is a plain callable, handed to ``QThreadPool.start`` (Qt owns and deletes the
  runnable that wraps it, after ``run()`` has returned);
- it reports through :class:`Reporter`, which emits on one relay ``QObject`` that lives on the
  GUI thread for the whole application;
- the relay calls the handlers registered for the task, on the GUI thread, and forgets them
  after the task's last report. A handler whose context widget was deleted is never called.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal

log = logging.getLogger(__name__)

_FINISHED = "\0finished"  # the task's own last report, after its work returned


class _Relay(QObject):
    report = Signal(int, str, object)  # task id, kind, arguments (a tuple)


@dataclass
class _Entry:
    context: QObject | None
    handlers: dict[str, Callable[..., None]]
    finished: Callable[[], None] | None = None


_relay: _Relay | None = None
_entries: dict[int, _Entry] = {}
_ids = itertools.count(1)


def _get_relay() -> _Relay:
    """The relay, created on first use on the GUI thread (where every task is started)."""
    global _relay
    if _relay is None or not shiboken6.isValid(_relay):
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("background tasks are started on the GUI thread")
        _relay = _Relay(QCoreApplication.instance())  # dies with the application, on its thread
        _relay.report.connect(_deliver, Qt.ConnectionType.QueuedConnection)
    return _relay


class Reporter:
    """Handed to the work on its pool thread: ``send("done", value)`` calls the task's
    ``done`` handler with ``value`` on the GUI thread. Thread-safe; holds no Qt object but
    the application-long relay."""

    def __init__(self, task_id: int, relay: _Relay) -> None:
        self.task_id = task_id
        self._relay = relay

    def send(self, kind: str, *args: object) -> None:
        self._relay.report.emit(self.task_id, kind, args)


def start_task(
    work: Callable[[Reporter], None],
    *,
    context: QObject | None,
    pool: QThreadPool | None = None,
    finished: Callable[[], None] | None = None,
    **handlers: Callable[..., None],
) -> int:
    """Run ``work(reporter)`` on ``pool`` (the global one by default); returns the task's id.

    Each ``kind=handler`` keyword is called on the GUI thread when the work sends ``kind``.
    ``finished`` is called after the work has returned and every report before it was
    handled. Handlers are dropped, uncalled, once ``context`` has been deleted. An exception
    escaping ``work`` is a bug: it is logged and, when there is a ``failed`` handler, reported
    to it as a sentence.
    """
    relay = _get_relay()
    task_id = next(_ids)
    _entries[task_id] = _Entry(context, dict(handlers), finished)
    reporter = Reporter(task_id, relay)

    def run() -> None:
        try:
            work(reporter)
        except Exception as exc:  # never leave the widget waiting behind a dead thread
            log.exception("background task failed")
            reporter.send("failed", f"Unexpected error ({type(exc).__name__}: {exc}).")
        finally:
            reporter.send(_FINISHED)

    (pool or QThreadPool.globalInstance()).start(run)
    return task_id


def pending() -> int:
    """Tasks whose last report has not been delivered yet (for tests and shutdown)."""
    return len(_entries)


def _deliver(task_id: int, kind: str, args: tuple) -> None:
    entry = _entries.get(task_id)
    if entry is None:
        return
    if entry.context is not None and not shiboken6.isValid(entry.context):
        del _entries[task_id]
        return
    if kind == _FINISHED:
        del _entries[task_id]
        if entry.finished is not None:
            entry.finished()
        return
    handler = entry.handlers.get(kind)
    if handler is not None:
        handler(*args)
