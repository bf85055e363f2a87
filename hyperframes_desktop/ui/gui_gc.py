"""Python's cyclic garbage collector, run on the GUI thread only.

Why: CPython runs the collector in whichever thread happens to allocate when a generation's
threshold is crossed. In the studio that is often a render job's pool thread, Dask's event-loop
thread or the telemetry sender. When the garbage it finds holds a Qt object (a widget's
closures, a dialog dropped by its opener), PySide deletes that object there, off the thread
that owns it, while the GUI thread may be using it: a crash that depends on timing. So
automatic collection is switched off and a timer on the GUI thread collects instead, with the
same generation thresholds. (Reference counting still frees everything acyclic at once.)
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

_INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Created on the GUI thread; collects there for as long as it lives."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = _INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start()

    def collect_due(self) -> int:
        """Collect the oldest generation whose count passed its threshold (as CPython would);
        returns the number of unreachable objects found."""
        counts = gc.get_count()
        due = [g for g in range(3) if counts[g] > self.thresholds[g]]
        return gc.collect(max(due)) if due else 0


_collector: GuiThreadCollector | None = None


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Install the collector once for ``app`` (the QApplication); later calls return it."""
    global _collector
    import shiboken6

    if _collector is None or not shiboken6.isValid(_collector):
        _collector = GuiThreadCollector(app)
    return _collector
