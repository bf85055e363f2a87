"""Watch an open project folder, recursively, and report what changed after a quiet spell.

QFileSystemWatcher is not recursive and forgets a file an editor replaced by renaming a new
one over it, so every event only (re)starts a debounce timer; when the folder has been quiet
for ``debounce_ms`` a new snapshot is compared with the last one, the watch list is brought
up to date (new folders and files added), and the changes are reported, minus the files
that hold exactly what the studio itself last wrote there. A project folder that goes away
while open is reported once (``root_gone``). No polling: the kernel wakes us.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal

from hyperframes_desktop.project.own_writes import is_own_write
from hyperframes_desktop.project.watch import FileChanges, Snapshot, diff, snapshot

DEBOUNCE_MS = 200
#: A folder that never goes quiet (a tool appending to a log every 100 ms) still gets its
#: changes reported this long after the first event of the burst.
MAX_WAIT_S = 1.0


class ProjectWatcher(QObject):
    changed = Signal(object)  # FileChanges, never empty, never only the app's own writes
    own_changed = Signal(object)  # FileChanges: only files that hold the app's own writes
    truncated = Signal(int)  # the project has more files than are watched (the limit)
    root_gone = Signal(object)  # Path: the project folder itself was deleted or moved away

    def __init__(self, parent: QObject | None = None, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.root: Path | None = None
        self.snapshot: Snapshot | None = None
        self._watcher: QFileSystemWatcher | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one adds up to 5 %
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._settle)
        self._burst_started = 0.0

    @property
    def watching(self) -> bool:
        return self.root is not None

    def watch(self, root: Path | None) -> None:
        """Watch ``root`` (None: stop). Changes before this call are not reported."""
        self.stop()
        if root is None:
            return
        self.root = Path(root)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_event)
        self._watcher.directoryChanged.connect(self._on_event)
        self.snapshot = snapshot(self.root)
        self._sync_watch_list()
        if self.snapshot.truncated:
            self.truncated.emit(len(self.snapshot.files))

    def stop(self) -> None:
        self._timer.stop()
        if self._watcher is not None:
            self._watcher.deleteLater()
        self._watcher = None
        self.root = None
        self.snapshot = None

    def rescan_now(self) -> FileChanges:
        """Settle at once (tests, and the app after its own reload): the changes reported."""
        self._timer.stop()
        return self._settle()

    # ---- internals --------------------------------------------------------------------
    def _on_event(self, _path: str) -> None:
        now = time.monotonic()
        if not self._timer.isActive():
            self._burst_started = now
        elif now - self._burst_started >= MAX_WAIT_S:
            return  # a burst that does not end: keep the deadline already set
        self._timer.start()  # restart: wait until the burst of events is over

    def _settle(self) -> FileChanges:
        if self.root is None or self.snapshot is None:
            return FileChanges()
        if not self.root.is_dir():
            if self.snapshot.files or self.snapshot.dirs:  # reported once, when it goes
                self.snapshot = Snapshot({}, ())
                self.root_gone.emit(self.root)
            return FileChanges()
        fresh = snapshot(self.root)
        changes = diff(self.snapshot, fresh)
        self.snapshot = fresh
        self._sync_watch_list()
        own = [p for p in changes.added | changes.modified if is_own_write(p)]
        external = changes.without(own)
        if own:
            added = frozenset(p for p in own if p in changes.added)
            self.own_changed.emit(FileChanges(added=added, modified=frozenset(own) - added))
        if external:
            self.changed.emit(external)
        return external

    def _sync_watch_list(self) -> None:
        watcher, snap = self._watcher, self.snapshot
        if watcher is None or snap is None:
            return
        watched = set(watcher.files()) | set(watcher.directories())
        missing = [str(p) for p in (*snap.dirs, *snap.files) if str(p) not in watched]
        if missing:
            watcher.addPaths(missing)  # gone-meanwhile paths are skipped by Qt
