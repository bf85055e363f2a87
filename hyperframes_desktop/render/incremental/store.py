"""The render cache's folder: one entry per chunk segment, size-capped, least recently used
evicted first.

An entry is ``<root>/<settings key>/<chunk key>/`` holding the segment (a file, or a
``frames`` folder of PNGs) and ``entry.json``: the frames it covers, their fingerprints, and
the size and SHA-256 of every file. An entry is written in a hidden folder beside it and
renamed into place, so it is whole or absent. One whose files do not match its record
(truncated, edited, half-deleted) is removed and never used. Using an entry touches its
``entry.json``: its mtime is the LRU clock.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from hyperframes_desktop import APP_NAME
from hyperframes_desktop.render.env_numbers import env_number

CACHE_DIR_ENV = "HYPERFRAMES_RENDER_CACHE_DIR"
CACHE_MB_ENV = "HYPERFRAMES_RENDER_CACHE_MB"
#: "off" (or 0/no/false) turns the cache off for every render of this process's children.
CACHE_OFF_ENV = "HYPERFRAMES_RENDER_CACHE"
DEFAULT_CAP_MB = 2048
ENTRY_FILE = "entry.json"
#: A hidden staging folder this old belongs to a render that was killed mid-write.
STAGING_KEEP_S = 3600.0


def cache_disabled_by_env() -> bool:
    return os.environ.get(CACHE_OFF_ENV, "").strip().lower() in ("0", "off", "no", "false")


def default_root() -> Path:
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured)
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "render-cache"


def default_cap_bytes() -> int:
    return int(env_number(CACHE_MB_ENV, DEFAULT_CAP_MB, 0) * 2**20)


@dataclass(frozen=True)
class CachedChunk:
    """A usable entry: its segment files, in the order the assembler wants them."""

    folder: Path
    files: list[Path]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tree_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ENTRY_FILE)


class RenderCache:
    def __init__(self, root: Path | None = None, cap_bytes: int | None = None) -> None:
        self.root = root if root is not None else default_root()
        self.cap_bytes = default_cap_bytes() if cap_bytes is None else cap_bytes

    def _entry(self, settings_key: str, chunk_key: str) -> Path:
        return self.root / settings_key / chunk_key

    # ---- reading ----------------------------------------------------------------------
    def lookup(
        self, settings_key: str, chunk_key: str, fingerprints: list[str]
    ) -> CachedChunk | None:
        """The entry for this chunk if it is whole and records exactly these fingerprints;
        an entry that fails any check is removed (it is rewritten by the fresh capture)."""
        folder = self._entry(settings_key, chunk_key)
        record_path = folder / ENTRY_FILE
        if not record_path.is_file():
            return None
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            files = [folder / name for name in record["files"]]
            ok = record["fingerprints"] == fingerprints and all(
                path.is_file()
                and path.stat().st_size == record["files"][name]["bytes"]
                and _sha256(path) == record["files"][name]["sha256"]
                for name, path in zip(record["files"], files, strict=True)
            )
            ok = ok and bool(files) and _tree_files(folder) == sorted(files)
        except (OSError, ValueError, KeyError, TypeError):
            ok = False
        if not ok:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        with contextlib.suppress(OSError):
            os.utime(record_path)  # most recently used
        return CachedChunk(folder, files)

    def candidates(self, settings_key: str) -> list[tuple[str, int, int, list[str]]]:
        """(chunk key, first frame, last frame, fingerprints) of every entry kept under
        ``settings_key``, as its record says (checked by :meth:`lookup` before any use)."""
        found = []
        group = self.root / settings_key
        if not group.is_dir():
            return found
        for folder in sorted(group.iterdir()):
            if folder.name.startswith("."):
                continue
            try:
                record = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
                start, end = (int(v) for v in record["frames"])
                prints = [str(v) for v in record["fingerprints"]]
            except (OSError, ValueError, KeyError, TypeError):
                continue  # unreadable: never chosen, and evicted in its turn
            found.append((folder.name, start, end, prints))
        return found

    # ---- writing ----------------------------------------------------------------------
    def store(
        self,
        settings_key: str,
        chunk_key: str,
        fingerprints: list[str],
        segment: Path,
        frames: tuple[int, int],
    ) -> None:
        """Keep ``segment`` (a file or a folder of files) as this chunk's entry; a cache
        that cannot be written is skipped (the render does not depend on it)."""
        target = self._entry(settings_key, chunk_key)
        staging = target.parent / f".{chunk_key}.{uuid.uuid4().hex[:8]}"
        try:
            staging.mkdir(parents=True)
            if segment.is_dir():
                shutil.copytree(segment, staging / segment.name)
            else:
                try:  # the render's own copy is deleted with its scratch folder
                    os.link(segment, staging / segment.name)
                except OSError:
                    shutil.copyfile(segment, staging / segment.name)
            files = {
                path.relative_to(staging).as_posix(): {
                    "bytes": path.stat().st_size,
                    "sha256": _sha256(path),
                }
                for path in _tree_files(staging)
            }
            record = {"frames": list(frames), "fingerprints": fingerprints, "files": files}
            (staging / ENTRY_FILE).write_text(json.dumps(record), encoding="utf-8")
            if target.exists():
                shutil.rmtree(target, ignore_errors=True)
            os.replace(staging, target)
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)

    # ---- size -------------------------------------------------------------------------
    def _entries(self) -> list[tuple[float, int, Path]]:
        """(last use, bytes, folder) of every entry; hidden (being written) ones left out."""
        found = []
        if not self.root.is_dir():
            return found
        for group in self.root.iterdir():
            if not group.is_dir():
                continue
            for folder in group.iterdir():
                if folder.name.startswith(".") or not folder.is_dir():
                    continue
                try:
                    used = (folder / ENTRY_FILE).stat().st_mtime
                except OSError:
                    used = 0.0  # no record: the first to go
                size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
                found.append((used, size, folder))
        return found

    def size_bytes(self) -> int:
        return sum(size for _, size, _ in self._entries())

    def clear(self) -> None:
        """Remove every entry (entries being written by a running render are left alone)."""
        for _, _, folder in self._entries():
            shutil.rmtree(folder, ignore_errors=True)
            with contextlib.suppress(OSError):
                folder.parent.rmdir()

    def _forget_staging(self) -> None:
        """Half-written entries of renders that were killed (an hour old: none is alive)."""
        now = time.time()
        for staging in self.root.glob("*/.*"):
            with contextlib.suppress(OSError):
                if now - staging.stat().st_mtime > STAGING_KEEP_S:
                    shutil.rmtree(staging, ignore_errors=True)

    def evict(self) -> int:
        """Remove least recently used entries until the cache fits its cap; returns how
        many were removed."""
        self._forget_staging()
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, folder in entries:
            if total <= self.cap_bytes:
                break
            shutil.rmtree(folder, ignore_errors=True)
            with contextlib.suppress(OSError):
                folder.parent.rmdir()  # the settings group, once empty
            total -= size
            removed += 1
        return removed
