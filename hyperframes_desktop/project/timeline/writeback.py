"""Write an Edit to the user's files: surgical, atomic, refused when the file changed on disk.

Every write replaces the file through a temporary file in the same folder and ``os.replace``
(the file's permission bits are kept), so a crash leaves either the old or the new file,
never half of one. Before writing, the bytes on disk are compared with the bytes the timeline
was built from; any difference refuses the edit (:class:`FileChangedError`), and the UI offers
to reload. Every write is recorded with :func:`record_own_write` so hot reload can tell the
app's own saves from an editor's.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import display_name
from ..journal import back_up
from ..own_writes import record_own_write
from .changes import Edit, EditRefused, apply_changes
from .model import Timeline


class FileChangedError(EditRefused):
    """A file changed on disk since it was read; nothing was written. ``path`` names it."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class ConfirmationRequired(EditRefused):
    """The edit carries a warning (``edit.warnings``) the user has not accepted yet."""


@dataclass(frozen=True)
class FileWrite:
    """One file's exact bytes before and after a write."""

    path: Path
    before: bytes
    after: bytes


@dataclass(frozen=True)
class AppliedEdit:
    label: str
    writes: tuple[FileWrite, ...]
    merge_key: str | None = None
    select: str | None = None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def atomic_write(path: Path, data: bytes, why: str = "") -> None:
    """Replace ``path`` with ``data`` through a temporary file beside it (mode kept), after
    copying its current bytes to the project's backup journal (``why``: the edit's label)."""
    back_up(path, why)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".hf-partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    record_own_write(path, data)


def changed_on_disk(path: Path, expected: bytes, root: Path | None, doing: str) -> None:
    """Raise FileChangedError unless ``path`` holds exactly ``expected``."""
    if _read(path) != expected:
        name = display_name(path, root)
        raise FileChangedError(
            f"{name} changed on disk since the studio read it, so {doing} was not written. "
            "Reload the project to see the new version, then try again.",
            path,
        )


def write_all(writes: tuple[FileWrite, ...], *, forward: bool, why: str = "") -> None:
    """Write every file's ``after`` (``forward``) or ``before`` bytes; on a failure the files
    already written are put back."""
    done: list[FileWrite] = []
    try:
        for write in writes:
            atomic_write(write.path, write.after if forward else write.before, why)
            done.append(write)
    except OSError as exc:
        for write in reversed(done):
            atomic_write(write.path, write.before if forward else write.after, why)
        raise EditRefused(
            f"{write.path.name} could not be written ({exc.strerror or exc}); nothing was changed."
        ) from None


def apply_edit(edit: Edit, timeline: Timeline, *, confirmed: bool = False) -> AppliedEdit:
    """Write ``edit`` (made from ``timeline``) to disk. Raises ConfirmationRequired for an
    unconfirmed edit that carries warnings, FileChangedError when a file changed on disk."""
    if edit.needs_confirmation and not confirmed:
        raise ConfirmationRequired(" ".join(edit.warnings))
    if not edit.changes:
        return AppliedEdit(edit.label, (), edit.merge_key, edit.select)
    new_bytes = apply_changes(timeline.sources, edit.changes)
    writes = tuple(
        FileWrite(path, timeline.sources[path], data)
        for path, data in new_bytes.items()
        if data != timeline.sources[path]
    )
    for write in writes:
        changed_on_disk(write.path, write.before, timeline.project_root, f'"{edit.label}"')
    write_all(writes, forward=True, why=edit.label)
    return AppliedEdit(edit.label, writes, edit.merge_key, edit.select)
