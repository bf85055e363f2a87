"""Remember the files the app itself wrote, so a file watcher can tell its own saves apart.

Every studio write records ``(inode, mtime, size, sha256)`` of the file it just replaced;
the studio's hot reload asks ``is_own_write(path)`` when the watcher reports the file. It is
the app's own write only while the file on disk is that very file version: same inode (an
atomic replace makes a new one), same mtime and size, and the same content. A record is
consumed by its first match, so it never hides a later change: an editor's undo or a
``git checkout`` that brings back bytes the studio once wrote is a new file version (new
inode or mtime) and IS reported. Qt-free and thread-safe.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

_lock = threading.Lock()


@dataclass(frozen=True)
class _Version:
    inode: int
    mtime_ns: int
    size: int
    digest: str


_written: dict[Path, _Version] = {}


def _key(path: Path | str) -> Path:
    return Path(path).resolve()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def record_own_write(path: Path | str, data: bytes) -> None:
    """Call right after the app wrote ``data`` to ``path`` (the file as it is now)."""
    key = _key(path)
    info = _stat(key)
    if info is None:
        return
    version = _Version(info.st_ino, info.st_mtime_ns, info.st_size, _digest(data))
    with _lock:
        _written[key] = version  # a newer write of the same file replaces the older record


def is_own_write(path: Path | str) -> bool:
    """True once for the file version the app last wrote to ``path``; the record is then
    consumed. A file that differs in any of (inode, mtime, size, content) is not the app's,
    and its stale record is dropped."""
    key = _key(path)
    with _lock:
        expected = _written.pop(key, None)
    if expected is None:
        return False
    info = _stat(key)
    if info is None or (info.st_ino, info.st_mtime_ns, info.st_size) != (
        expected.inode,
        expected.mtime_ns,
        expected.size,
    ):
        return False
    try:
        return _digest(key.read_bytes()) == expected.digest
    except OSError:
        return False


def forget_own_writes() -> None:
    """Drop every record (a project was closed)."""
    with _lock:
        _written.clear()
