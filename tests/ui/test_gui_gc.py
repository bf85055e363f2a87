"""ui/gui_gc.py: reference cycles are collected on the GUI thread, never on a worker thread
that happens to allocate (a Qt object in the garbage would be deleted off its thread)."""

from __future__ import annotations

import gc
import threading

FREED_ON: list[str] = []


class _Cycle:
    """Garbage only the cyclic collector can free; notes the thread that freed it."""

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        FREED_ON.append(threading.current_thread().name)


def test_cycles_are_freed_on_the_gui_thread_while_a_worker_allocates(qapp, qtbot):
    assert not gc.isenabled()  # the studio's QApplication installed the collector
    gc.collect()
    FREED_ON.clear()
    for _ in range(50):
        _Cycle()  # unreachable at once, but only a collection frees it

    kept: list[list[int]] = []

    def allocate() -> None:
        for n in range(20_000):  # far past the youngest generation's threshold
            kept.append([n])

    worker = threading.Thread(target=allocate, name="worker")
    worker.start()
    worker.join()
    assert FREED_ON == []  # the worker's allocations collected nothing
    qtbot.waitUntil(lambda: len(FREED_ON) == 50, timeout=10_000)
    assert set(FREED_ON) == {threading.main_thread().name}
