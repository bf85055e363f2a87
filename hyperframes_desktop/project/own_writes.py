"""Remember the bytes the app itself wrote, so a file watcher can tell its own saves apart.

The timeline's write-back records every file it writes; the studio's hot reload asks
``is_own_write(path)`` before reloading. A file counts as the app's own write while its
content on disk is exactly what the app last wrote there, so an editor's save that lands
afterwards (different bytes) is never swallowed. Qt-free and thread-safe.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

_lock = threading.Lock()
_written: dict[Path, str] = {}


def _key(path: Path | str) -> Path:
    return Path(path).resolve()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_own_write(path: Path | str, data: bytes) -> None:
    """Call right after the app wrote ``data`` to ``path``."""
    with _lock:
        _written[_key(path)] = _digest(data)


def is_own_write(path: Path | str) -> bool:
    """True while ``path`` holds exactly the bytes the app last wrote to it."""
    key = _key(path)
    with _lock:
        expected = _written.get(key)
    if expected is None:
        return False
    try:
        return _digest(key.read_bytes()) == expected
    except OSError:
        return False


def forget_own_writes() -> None:
    """Drop every record (a project was closed)."""
    with _lock:
        _written.clear()
