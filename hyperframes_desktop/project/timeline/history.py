"""Undo/redo of timeline edits, Qt-free (the UI binds Ctrl+Z / Ctrl+Shift+Z to it).

Entries hold file paths and exact bytes, not model objects, so the history survives the app's
own reloads. Undo writes the bytes from before the edit back (atomically, recorded as an own
write) and is refused when the file changed on disk since the edit. Consecutive edits sharing
a ``merge_key`` (nudges of one clip) fold into one step, as Shotcut's ``mergeWith`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .writeback import AppliedEdit, FileWrite, changed_on_disk, write_all


@dataclass(frozen=True)
class HistoryEntry:
    label: str
    writes: tuple[FileWrite, ...]
    merge_key: str | None = None
    select: str | None = None

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(write.path for write in self.writes)


class EditHistory:
    """A linear undo stack; ``record`` after each applied edit."""

    def __init__(self, project_root: Path | None = None, limit: int = 500) -> None:
        self.project_root = project_root
        self.limit = limit
        self._done: list[HistoryEntry] = []
        self._undone: list[HistoryEntry] = []
        self._sealed = True

    # -- recording
    def record(self, applied: AppliedEdit) -> None:
        """Push an applied edit (no-op for an edit that wrote nothing)."""
        if not applied.writes:
            return
        entry = HistoryEntry(applied.label, applied.writes, applied.merge_key, applied.select)
        top = self._done[-1] if self._done else None
        if (
            top is not None
            and not self._sealed
            and entry.merge_key is not None
            and top.merge_key == entry.merge_key
            and top.files == entry.files
            and all(a.after == b.before for a, b in zip(top.writes, entry.writes, strict=True))
        ):
            merged = tuple(
                FileWrite(a.path, a.before, b.after)
                for a, b in zip(top.writes, entry.writes, strict=True)
            )
            entry = HistoryEntry(top.label, merged, top.merge_key, entry.select)
            self._done[-1] = entry
        else:
            self._done.append(entry)
            del self._done[: -self.limit]
        self._undone.clear()
        self._sealed = False

    def seal(self) -> None:
        """The next edit starts a new step even if it would merge (selection changed, …)."""
        self._sealed = True

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()
        self._sealed = True

    # -- state
    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_label(self) -> str | None:
        return self._done[-1].label if self._done else None

    @property
    def redo_label(self) -> str | None:
        return self._undone[-1].label if self._undone else None

    # -- undo / redo
    def undo(self) -> HistoryEntry | None:
        """Restore the files to their bytes before the last edit; None when nothing to undo.
        Raises FileChangedError (the entry stays) when a file changed since the edit."""
        return self._step(self._done, self._undone, forward=False, doing="undoing")

    def redo(self) -> HistoryEntry | None:
        """Write the last undone edit's bytes again; None when nothing to redo."""
        return self._step(self._undone, self._done, forward=True, doing="redoing")

    def _step(
        self, source: list[HistoryEntry], target: list[HistoryEntry], *, forward: bool, doing: str
    ) -> HistoryEntry | None:
        """Move the last entry of ``source`` to ``target``, writing its bytes in that
        direction once every file still holds what the other direction left there."""
        if not source:
            return None
        entry = source[-1]
        for write in entry.writes:
            expected = write.before if forward else write.after
            changed_on_disk(write.path, expected, self.project_root, f'{doing} "{entry.label}"')
        why = f"{'Redo' if forward else 'Undo'} {entry.label}"
        write_all(entry.writes, forward=forward, why=why)
        target.append(source.pop())
        self._sealed = True
        return entry
