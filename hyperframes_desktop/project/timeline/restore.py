"""Restore an earlier version of a file from the backup journal, as an undoable edit.

The copy is written like any studio edit: atomically, after the file's current bytes went to
the journal themselves, so restoring never loses a version. The result goes on the edit
history, so Undo puts the bytes from before the restore back.
"""

from __future__ import annotations

from ..journal import Journal, JournalEntry
from .changes import EditRefused
from .writeback import AppliedEdit, FileWrite, atomic_write, write_all


def restore_version(journal: Journal, entry: JournalEntry) -> AppliedEdit:
    """Write ``entry``'s bytes back to its file; EditRefused (a sentence) when the copy
    cannot be read. A file that no longer exists is created again (nothing to undo then)."""
    name = entry.file.name
    label = f"Restore {name} from {entry.when()}"
    try:
        data = journal.read(entry)
    except (OSError, ValueError) as exc:
        raise EditRefused(
            f"The saved copy of {name} from {entry.when()} cannot be read ({exc}); pick "
            "another version."
        ) from None
    try:
        current = entry.file.read_bytes()
    except FileNotFoundError:
        try:
            entry.file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(entry.file, data, label)
        except OSError as exc:
            raise EditRefused(
                f"{name} could not be written ({exc}); nothing was changed."
            ) from None
        return AppliedEdit(label, ())
    except OSError as exc:
        raise EditRefused(f"{name} cannot be read ({exc}); nothing was changed.") from None
    if current == data:
        return AppliedEdit(label, ())
    writes = (FileWrite(entry.file, current, data),)
    write_all(writes, forward=True, why=label)
    return AppliedEdit(label, writes)
