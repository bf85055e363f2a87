"""ui/background.py: work on a pool thread, reports on the GUI thread, and no Qt object owned
by the work (the cause of a rare use-after-free segfault when a widget dropped its runnable as
the runnable's last signal arrived)."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThreadPool

from hyperframes_desktop.ui import background
from hyperframes_desktop.ui.background import start_task


def test_reports_arrive_in_order_on_the_gui_thread_then_finished(qtbot):
    seen: list[tuple[str, object, bool]] = []
    worker_threads: list[bool] = []

    def work(report):
        worker_threads.append(threading.current_thread() is threading.main_thread())
        for n in range(3):
            report.send("step", n)
        report.send("done", "all")

    def note(kind):
        return lambda *args: seen.append(
            (kind, args, threading.current_thread() is threading.main_thread())
        )

    context = QObject()
    start_task(work, context=context, step=note("step"), done=note("done"), finished=note("end"))
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][0] == "end", timeout=5000)
    assert worker_threads == [False]
    assert [(k, a) for k, a, _ in seen] == [
        ("step", (0,)),
        ("step", (1,)),
        ("step", (2,)),
        ("done", ("all",)),
        ("end", ()),
    ]
    assert all(on_gui for _, _, on_gui in seen)


def test_a_deleted_context_gets_no_reports(qtbot):
    release = threading.Event()
    calls: list[object] = []
    context = QObject()

    def work(report):
        release.wait(5)
        report.send("done", 1)

    pool = QThreadPool()
    task_id = start_task(work, context=context, pool=pool, done=calls.append)
    context.deleteLater()
    qtbot.waitUntil(lambda: not _alive(context), timeout=5000)
    release.set()
    assert pool.waitForDone(5000)
    qtbot.wait(50)  # the queued reports are delivered (and dropped)
    assert calls == []
    assert task_id not in background._entries


def test_an_exception_in_the_work_becomes_a_failed_sentence(qtbot):
    failures: list[str] = []
    start_task(lambda _report: 1 / 0, context=None, failed=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert failures[0].startswith("Unexpected error (ZeroDivisionError")


def test_many_tasks_dropped_by_their_widget_on_the_last_report(qtbot):
    """The pattern that crashed: each owner forgets its task as soon as the result arrives,
    while the pool thread is still returning. Many rounds, no crash, every result."""
    results: list[int] = []
    owners = []
    for n in range(200):
        owner = QObject()
        owners.append(owner)

        def done(value, owner=owner):
            results.append(value)
            owners.remove(owner)
            owner.deleteLater()

        start_task(lambda report, n=n: report.send("done", n), context=owner, done=done)
    qtbot.waitUntil(lambda: len(results) == 200, timeout=20_000)
    assert sorted(results) == list(range(200))
    qtbot.waitUntil(lambda: background.pending() == 0, timeout=5000)


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)
