"""The resolver's cache: contents by SHA-256, and a separate index from keys (URLs, package
specs) to those digests.

Layout under the cache folder::

    blobs/ab/abcdef…          the bytes, named by their SHA-256
    index/12/1234…json        {"key": …, "value": …}: a key (hashed for the name) → a value

Every write goes to a temp file in the same folder and is renamed into place, so a crash
leaves no half file under a final name, and several processes (two renders, farm chunks) can
fill the same cache at once: they write identical bytes under identical names. A blob whose
bytes no longer match its name is treated as absent and removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class ContentCache:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # ---- contents ------------------------------------------------------------------------
    def blob_path(self, digest: str) -> Path:
        return self.root / "blobs" / digest[:2] / digest

    def put(self, data: bytes) -> str:
        digest = sha256_hex(data)
        path = self.blob_path(digest)
        if not path.is_file():
            _write_atomic(path, data)
        return digest

    def get(self, digest: str) -> bytes | None:
        path = self.blob_path(digest)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if sha256_hex(data) != digest:
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        return data

    # ---- index ---------------------------------------------------------------------------
    def _index_path(self, key: str) -> Path:
        name = sha256_hex(key.encode("utf-8"))
        return self.root / "index" / name[:2] / f"{name}.json"

    def lookup(self, key: str) -> dict | None:
        try:
            record = json.loads(self._index_path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("key") != key:
            return None
        value = record.get("value")
        return value if isinstance(value, dict) else None

    def remember(self, key: str, value: dict) -> None:
        payload = json.dumps({"key": key, "value": value}, sort_keys=True).encode("utf-8")
        _write_atomic(self._index_path(key), payload)

    # ---- housekeeping --------------------------------------------------------------------
    def size_bytes(self) -> int:
        total = 0
        for folder, _dirs, files in os.walk(self.root):
            for name in files:
                with contextlib.suppress(OSError):
                    total += os.path.getsize(os.path.join(folder, name))
        return total

    def clear(self) -> None:
        """Remove everything (another process filling it at the same time just refills)."""
        for sub in ("blobs", "index"):
            shutil.rmtree(self.root / sub, ignore_errors=True)
