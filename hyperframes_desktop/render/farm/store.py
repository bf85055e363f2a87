"""A worker's side of the bundle: blobs cached by SHA-256, bundles unpacked from them, and
the segments chunks leave for the client to fetch.

Runs on the Dask worker (called through ``Client.run``); the cache lives in
``HYPERFRAMES_FARM_CACHE`` or the user's cache folder, so media are sent once per machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
import uuid
from pathlib import Path

import platformdirs

from hyperframes_desktop.render.farm.bundle import localise

CACHE_ENV = "HYPERFRAMES_FARM_CACHE"


def cache_root() -> Path:
    configured = os.environ.get(CACHE_ENV)
    root = (
        Path(configured)
        if configured
        else Path(platformdirs.user_cache_dir("hyperframes-desktop")) / "farm"
    )
    root.mkdir(parents=True, exist_ok=True)
    return root


def _blob(digest: str) -> Path:
    return cache_root() / "blobs" / digest[:2] / digest


def _incoming(digest: str) -> Path:
    folder = cache_root() / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{digest}.part"


def missing_blobs(digests: list[str]) -> list[str]:
    """The digests this machine has not cached yet."""
    return [d for d in digests if not _blob(d).is_file()]


def _commit(digest: str, part: Path) -> None:
    hasher = hashlib.sha256()
    with open(part, "rb") as handle:
        while block := handle.read(1 << 20):
            hasher.update(block)
    if hasher.hexdigest() != digest:
        part.unlink(missing_ok=True)
        raise ValueError(f"piece data for {digest[:12]} arrived damaged; send it again")
    target = _blob(digest)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, target)


def write_piece(digest: str, offset: int, data: bytes, last: bool) -> None:
    """Write one piece of a large blob; the last piece checks the whole blob's digest."""
    part = _incoming(digest)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if offset == 0 else 0)
    fd = os.open(part, flags, 0o644)
    try:
        os.pwrite(fd, data, offset)
    finally:
        os.close(fd)
    if last:
        _commit(digest, part)


def write_blobs(items: list[tuple[str, bytes]]) -> None:
    """Several small blobs in one message."""
    for digest, data in items:
        part = _incoming(digest).with_suffix(f".{uuid.uuid4().hex[:6]}")
        part.write_bytes(data)
        _commit(digest, part)


def bundle_dir(bundle_digest: str) -> Path:
    return cache_root() / "bundles" / bundle_digest


def unpack_bundle(bundle_digest: str, manifest: list[tuple[str, str]]) -> str:
    """Lay the bundle out as files (hard links to the blobs; page files localised)."""
    from hyperframes_desktop.render.fonts import bundled_fonts_dir

    final = bundle_dir(bundle_digest)
    if (final / ".complete").is_file():
        os.utime(final)  # in use: not evicted
        return str(final)
    with contextlib.suppress(OSError):
        evict_unused()
    fonts = bundled_fonts_dir()
    staging = final.with_name(f".{bundle_digest}.{uuid.uuid4().hex[:8]}")
    try:
        for rel, digest in manifest:
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            blob = _blob(digest)
            if rel.startswith("page/"):
                text = blob.read_text(encoding="utf-8")
                target.write_text(localise(text, final, fonts), encoding="utf-8")
                continue
            try:
                os.link(blob, target)
            except OSError:
                shutil.copyfile(blob, target)
        (staging / ".complete").write_text("ok", encoding="ascii")
        try:
            os.rename(staging, final)
        except OSError:  # another chunk unpacked it meanwhile
            if not (final / ".complete").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return str(final)


#: Bundles unused for this long are deleted, then blobs no bundle links to.
KEEP_S = 7 * 24 * 3600


def evict_unused(keep_s: float = KEEP_S) -> None:
    """Drop bundles not used for ``keep_s`` and the blobs only they used (a blob linked from
    no bundle has one link left: its own)."""
    now = time.time()
    for folder in (cache_root() / "bundles").glob("*"):
        if folder.is_dir() and now - folder.stat().st_mtime > keep_s:
            shutil.rmtree(folder, ignore_errors=True)
    for blob in (cache_root() / "blobs").glob("*/*"):
        with contextlib.suppress(OSError):
            info = blob.stat()
            if info.st_nlink == 1 and now - info.st_mtime > keep_s:
                blob.unlink()


def read_piece(path: str, offset: int, size: int) -> bytes:
    """A piece of a finished segment file (the client fetches segments in pieces)."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read(size)


def remove_chunk_folder(path: str) -> None:
    """Delete an attempt's work folder once the client holds its segment."""
    folder = Path(path)
    if folder.parent == cache_root() / "chunks":
        shutil.rmtree(folder, ignore_errors=True)


def chunk_folder(attempt: str) -> Path:
    folder = cache_root() / "chunks" / attempt
    with contextlib.suppress(FileExistsError):
        folder.mkdir(parents=True)
    return folder
