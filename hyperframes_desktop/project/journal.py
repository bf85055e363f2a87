"""The backup journal: every file the studio writes is first copied here.

One journal per project, in the app's data folder (platformdirs; ``XDG_DATA_HOME`` on
Linux): ``journal/<key>/index.jsonl`` lists the copies (oldest first) and ``blobs/<sha256>``
holds each distinct content once. ``atomic_write`` calls :func:`back_up` before it replaces
a file, so bytes a user or an agent wrote are never lost to a studio edit: "Restore earlier
version…" lists the copies and writes one back (itself backed up first, and undoable).

The journal a path belongs to is the open project that contains it (:func:`open_project`),
else the path's own folder. Qt-free. A journal that cannot be written (full disk, read-only
data folder) refuses the write: no studio write happens without its backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from hyperframes_desktop import APP_NAME

#: Copies kept per project; the oldest go first (their blobs too, once nothing names them).
KEEP = 500

_lock = threading.Lock()
_roots: list[Path] = []


def journal_home() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "journal"


@dataclass(frozen=True)
class JournalEntry:
    """One copy: ``file``'s bytes (``sha256``, ``size``) as they were at ``saved_at``,
    just before the studio wrote ``why``."""

    saved_at: float
    file: Path
    sha256: str
    size: int
    why: str

    def when(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.saved_at))


class Journal:
    """The journal of the project at ``root``."""

    def __init__(self, root: Path, home: Path | None = None) -> None:
        self.root = Path(root).resolve()
        key = hashlib.sha256(str(self.root).encode("utf-8")).hexdigest()[:20]
        self.folder = (home or journal_home()) / key
        self.index = self.folder / "index.jsonl"
        self.blobs = self.folder / "blobs"

    def back_up(self, path: Path, why: str = "") -> JournalEntry | None:
        """Copy ``path``'s current bytes (None: the file does not exist yet). A copy equal to
        the file's newest copy is not stored twice."""
        path = Path(path).resolve()
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(data).hexdigest()
        entries = self.entries()
        newest = next((e for e in entries if e.file == path), None)
        if newest is not None and newest.sha256 == digest:
            return newest
        self.blobs.mkdir(parents=True, exist_ok=True)
        blob = self.blobs / digest
        if not blob.is_file():
            _write_atomically(blob, data)
        entry = JournalEntry(time.time(), path, digest, len(data), why)
        line = {
            "saved_at": entry.saved_at,
            "file": self._relative(path),
            "sha256": digest,
            "size": entry.size,
            "why": why,
        }
        with self.index.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
        if len(entries) + 1 > KEEP:
            self._prune()
        return entry

    def entries(self) -> list[JournalEntry]:
        """Every copy, newest first (lines that cannot be read are skipped)."""
        try:
            lines = self.index.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        out: list[JournalEntry] = []
        for line in lines:
            try:
                raw = json.loads(line)
                file = self.root / raw["file"]
                out.append(
                    JournalEntry(
                        float(raw["saved_at"]),
                        file,
                        str(raw["sha256"]),
                        int(raw["size"]),
                        str(raw.get("why", "")),
                    )
                )
            except (ValueError, KeyError, TypeError):
                continue
        out.reverse()
        return out

    def read(self, entry: JournalEntry) -> bytes:
        """The copy's bytes; OSError when the blob is gone, ValueError when it is damaged."""
        data = (self.blobs / entry.sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise ValueError(f"the saved copy of {entry.file.name} is damaged")
        return data

    def _relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _prune(self) -> None:
        kept = self.entries()[:KEEP]
        kept.reverse()
        lines = [
            json.dumps(
                {
                    "saved_at": e.saved_at,
                    "file": self._relative(e.file),
                    "sha256": e.sha256,
                    "size": e.size,
                    "why": e.why,
                }
            )
            + "\n"
            for e in kept
        ]
        _write_atomically(self.index, "".join(lines).encode("utf-8"))
        named = {e.sha256 for e in kept}
        for blob in self.blobs.iterdir():
            if blob.name not in named:
                blob.unlink(missing_ok=True)


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def open_project(root: Path | None) -> None:
    """Writes under ``root`` go to its journal from now on (None: no project open)."""
    with _lock:
        _roots.clear()
        if root is not None:
            _roots.append(Path(root).resolve())


def journal_for(path: Path) -> Journal:
    """The journal of the open project containing ``path``, else of ``path``'s folder."""
    path = Path(path).resolve()
    with _lock:
        roots = list(_roots)
    for root in roots:
        if path.is_relative_to(root):
            return Journal(root)
    return Journal(path.parent)


def back_up(path: Path, why: str = "") -> JournalEntry | None:
    """Copy ``path`` into its journal before the studio overwrites it. Raises OSError (with
    a sentence) when the journal cannot be written: the write is then refused, never made
    without its backup."""
    try:
        return journal_for(path).back_up(path, why)
    except OSError as exc:
        raise OSError(
            f"the backup journal could not be written ({exc.strerror or exc}); free some "
            "disk space or check the app's data folder"
        ) from exc
