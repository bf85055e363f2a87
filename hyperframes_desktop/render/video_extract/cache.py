"""The frame cache: where entries live, what keys them, and how they come and go.

Entries live under ``cache_root/<key>/`` where the key hashes the source (absolute path, size,
mtime) and everything that decides the frames (media start, rate, fps, window, frame range).
An entry is written into ``cache_root/.partial-*`` and renamed into place only when complete,
so a crash never leaves a half entry; stale partial folders are removed on the next run.
Total size is capped: least recently used entries go first (the ones this render uses, or
another process used in the last minutes, are kept).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
import uuid
from fractions import Fraction
from pathlib import Path
from typing import Any

import platformdirs
import psutil

from hyperframes_desktop import APP_NAME
from hyperframes_desktop.render.compile import PlacedMedia
from hyperframes_desktop.render.video_extract.timing import FramePlan, exact

#: Bump when the files an entry holds change meaning (invalidates every cached entry).
CACHE_VERSION = 2
DEFAULT_CACHE_LIMIT_BYTES = 2 * 1024**3
ENTRY_FILE = "entry.json"
PARTIAL_PREFIX = ".partial-"
TRASH_PREFIX = ".trash-"

#: Entries another render used this recently are not evicted (it may still be reading them).
_IN_USE_GRACE_S = 300.0
#: A partial folder whose process is gone, or this old, is debris.
_STALE_PARTIAL_S = 24 * 3600.0


def default_cache_root() -> Path:
    """``<user cache dir>/hyperframes-desktop/video-frames`` (honours XDG_CACHE_HOME)."""
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "video-frames"


def cache_key(source: Path, placed: PlacedMedia, fps: Fraction, plan: FramePlan) -> str:
    """Hash of the source's identity and of everything that decides the extracted frames."""
    stat = source.stat()
    identity = {
        "v": CACHE_VERSION,
        "path": str(source),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "media_start": str(exact(placed.element.media_start)),
        "rate": str(exact(placed.element.playback_rate)),
        "fps": str(fps),
        "start": str(exact(placed.start)),
        "end": None if placed.end is None else str(exact(placed.end)),
        "frames": [plan.start_frame, plan.end_frame],
    }
    text = json.dumps(identity, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def read_entry(folder: Path) -> dict[str, Any] | None:
    """The entry file of a cache folder; None when missing, damaged or of another version."""
    try:
        entry = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("version") != CACHE_VERSION:
        return None
    return entry


def entry_complete(folder: Path, entry: dict[str, Any], plan: FramePlan) -> bool:
    """Whether the entry covers every frame of ``plan`` and all its files are still there."""
    files = entry.get("files")
    frames = entry.get("frames")
    if not isinstance(files, list) or not isinstance(frames, list):
        return False
    if len(frames) != len(plan.source_times) or not files:
        return False
    if any(not isinstance(i, int) or not 0 <= i < len(files) for i in frames):
        return False
    return all((folder / name).is_file() for name in files)


def touch(folder: Path) -> None:
    """Mark an entry as just used (its entry file's mtime is the LRU clock)."""
    with contextlib.suppress(OSError):
        os.utime(folder / ENTRY_FILE)


def discard(folder: Path) -> None:
    """Remove a folder so that no reader ever sees it half-deleted: rename, then delete."""
    trash = folder.with_name(f"{TRASH_PREFIX}{uuid.uuid4().hex[:12]}")
    try:
        folder.rename(trash)
    except OSError:
        trash = folder
    shutil.rmtree(trash, ignore_errors=True)


def new_partial(cache_root: Path) -> Path:
    """A fresh folder to extract into, named after this process (see :func:`clean_partials`)."""
    cache_root.mkdir(parents=True, exist_ok=True)
    partial = cache_root / f"{PARTIAL_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
    partial.mkdir()
    return partial


def publish(partial: Path, target: Path, entry: dict[str, Any]) -> dict[str, Any]:
    """Write ``entry`` into ``partial`` and rename it to ``target``; the entry in use.

    When another render published the same entry first, theirs is used if it is whole (and
    ``partial`` removed); otherwise the rename's OSError propagates.
    """
    (partial / ENTRY_FILE).write_text(json.dumps(entry), encoding="utf-8")
    try:
        partial.rename(target)
    except OSError:
        if read_entry(target) is None:
            raise
        shutil.rmtree(partial, ignore_errors=True)
        entry = read_entry(target) or entry
    return entry


def clean_partials(cache_root: Path) -> int:
    """Remove partial entries left by extractions that died (their process is gone, or they
    are a day old) and unfinished deletions. Returns how many folders were removed."""
    removed = 0
    if not cache_root.is_dir():
        return 0
    now = time.time()
    for child in cache_root.iterdir():
        name = child.name
        if name.startswith(TRASH_PREFIX):
            shutil.rmtree(child, ignore_errors=True)
            removed += 1
            continue
        if not name.startswith(PARTIAL_PREFIX):
            continue
        pid_text = name[len(PARTIAL_PREFIX) :].split("-", 1)[0]
        alive = pid_text.isdigit() and psutil.pid_exists(int(pid_text))
        try:
            old = now - child.stat().st_mtime > _STALE_PARTIAL_S
        except OSError:
            continue
        if not alive or old:
            shutil.rmtree(child, ignore_errors=True)
            removed += 1
    return removed


def enforce_cache_limit(
    cache_root: Path, limit_bytes: int, keep: set[str] | frozenset[str] = frozenset()
) -> list[str]:
    """Evict least recently used entries until the cache fits ``limit_bytes``.

    Entries named in ``keep`` (this render's) and entries used in the last few minutes
    (another render may be reading them) stay even if the cache is then still too big.
    Returns the evicted keys.
    """
    if not cache_root.is_dir():
        return []
    entries: list[tuple[float, int, Path]] = []
    total = 0
    for child in cache_root.iterdir():
        if child.name.startswith(".") or not child.is_dir():
            continue
        entry = read_entry(child)
        if entry is None:
            continue
        try:
            used = (child / ENTRY_FILE).stat().st_mtime
        except OSError:
            continue
        size = int(entry.get("bytes", 0))
        total += size
        entries.append((used, size, child))
    evicted: list[str] = []
    now = time.time()
    for used, size, folder in sorted(entries, key=lambda item: item[0]):
        if total <= limit_bytes:
            break
        if folder.name in keep or now - used < _IN_USE_GRACE_S:
            continue
        discard(folder)
        total -= size
        evicted.append(folder.name)
    return evicted
