"""A worker's side of the bundle: blobs cached by SHA-256, bundles unpacked from them, and
the segments chunks leave for the client to fetch.

Runs on the Dask worker (called through ``Client.run``); the cache lives in
``HYPERFRAMES_FARM_CACHE`` or the user's cache folder, so media are sent once per machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
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


_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_BUNDLE = re.compile(r"^[0-9a-f]{32}$")
_UPLOAD = re.compile(r"^[0-9a-f]{8,32}$")
_ATTEMPT = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")
#: The largest piece a worker accepts in one message (the client sends 8 MiB pieces).
MAX_PIECE_BYTES = 32 << 20
#: The largest blob a worker accepts (a generous bound on one media file).
MAX_BLOB_BYTES = 1 << 40


class StoreInputError(ValueError):
    """A request to the worker's store that it refuses (bad digest, name or size)."""


def check_digest(digest: object) -> str:
    if not isinstance(digest, str) or not _DIGEST.match(digest):
        raise StoreInputError(f"not a SHA-256 digest (64 hex characters): {digest!r:.80}")
    return digest


def check_name(name: object) -> str:
    """A single file or folder name: no separators, not ``.``/``..``, not hidden-only."""
    if (
        not isinstance(name, str)
        or not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\0" in name
        or len(name) > 255
    ):
        raise StoreInputError(f"not a plain file name: {name!r:.80}")
    return name


def check_bundle_path(rel: object) -> str:
    """A manifest path: POSIX, relative, in a folder of the bundle, no ``..``."""
    if not isinstance(rel, str) or rel.startswith("/"):
        raise StoreInputError(f"not a relative bundle path: {rel!r:.80}")
    parts = rel.split("/")
    for part in parts:
        check_name(part)
    if len(parts) < 2:
        raise StoreInputError(f"not a path inside a bundle folder: {rel!r:.80}")
    return rel


def _check_size(value: object, limit: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
        raise StoreInputError(f"{what} out of range: {value!r:.40}")
    return value


def _blob(digest: str) -> Path:
    check_digest(digest)
    return cache_root() / "blobs" / digest[:2] / digest


def _incoming() -> Path:
    folder = cache_root() / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _part(digest: str, upload: str) -> Path:
    """This upload's own part file: two uploads of one blob never share one."""
    if not isinstance(upload, str) or not _UPLOAD.match(upload):
        raise StoreInputError(f"not an upload id: {upload!r:.40}")
    return _incoming() / f"{check_digest(digest)}.{upload}.part"


def missing_blobs(digests: list[str]) -> list[str]:
    """The digests this machine has not cached yet. Those it has are marked used now, so
    an eviction before the bundle is unpacked cannot remove them."""
    missing = []
    for digest in digests:
        blob = _blob(digest)
        try:
            os.utime(blob)
        except FileNotFoundError:
            missing.append(digest)
    return missing


def _commit(digest: str, part: Path) -> None:
    """The finished part becomes the blob by one atomic rename (after its digest is
    checked); a blob another upload committed meanwhile is the same bytes and stays."""
    hasher = hashlib.sha256()
    with open(part, "rb") as handle:
        while block := handle.read(1 << 20):
            hasher.update(block)
    if hasher.hexdigest() != digest:
        part.unlink(missing_ok=True)
        raise ValueError(f"piece data for {digest[:12]} arrived damaged; send it again")
    target = _blob(digest)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_file():
        part.unlink(missing_ok=True)
        os.utime(target)
        return
    os.replace(part, target)


def write_piece(digest: str, upload: str, size: int, offset: int, data: bytes, last: bool) -> None:
    """Write one piece of upload ``upload`` of a ``size``-byte blob; the last piece checks
    the whole blob's digest and publishes it."""
    part = _part(digest, upload)
    _check_size(size, MAX_BLOB_BYTES, "blob size")
    _check_size(offset, size, "piece offset")
    if not isinstance(data, bytes) or len(data) > MAX_PIECE_BYTES or offset + len(data) > size:
        raise StoreInputError("piece larger than announced")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        os.pwrite(fd, data, offset)
    finally:
        os.close(fd)
    if last:
        _commit(digest, part)


def write_blobs(items: list[tuple[str, bytes]]) -> None:
    """Several small blobs in one message."""
    for digest, data in items:
        if not isinstance(data, bytes) or len(data) > MAX_PIECE_BYTES:
            raise StoreInputError("small blob larger than a piece")
        part = _part(digest, uuid.uuid4().hex[:12])
        part.write_bytes(data)
        _commit(digest, part)


def bundle_dir(bundle_digest: str) -> Path:
    if not isinstance(bundle_digest, str) or not _BUNDLE.match(bundle_digest):
        raise StoreInputError(f"not a bundle digest: {bundle_digest!r:.80}")
    return cache_root() / "bundles" / bundle_digest


def unpack_bundle(bundle_digest: str, manifest: list[tuple[str, str]]) -> str:
    """Lay the bundle out as files (hard links to the blobs; page files localised).

    Old bundles and blobs are evicted only after this one is laid out, so nothing
    :func:`missing_blobs` reported present can vanish in between."""
    from hyperframes_desktop.render.fonts import bundled_fonts_dir

    final = bundle_dir(bundle_digest)
    if (final / ".complete").is_file():
        os.utime(final)  # in use: not evicted
        return str(final)
    checked = [(check_bundle_path(rel), check_digest(digest)) for rel, digest in manifest]
    fonts = bundled_fonts_dir()
    staging = final.with_name(f".{bundle_digest}.{uuid.uuid4().hex[:8]}")
    try:
        for rel, digest in checked:
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            blob = _blob(digest)
            if rel.startswith("page/"):
                text = blob.read_text(encoding="utf-8")
                target.write_text(localise(text, final, fonts), encoding="utf-8")
                continue
            if not blob.is_file():
                raise FileNotFoundError(f"blob {digest[:12]} is missing; send the bundle again")
            try:
                os.link(blob, target)
            except OSError:  # another filesystem, or links not allowed
                shutil.copyfile(blob, target)
        (staging / ".complete").write_text("ok", encoding="ascii")
        try:
            os.rename(staging, final)
        except OSError:  # another chunk unpacked it meanwhile
            if not (final / ".complete").is_file():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    with contextlib.suppress(OSError):
        sweep()
    return str(final)


#: Bundles unused for this long are deleted, then blobs no bundle links to.
KEEP_S = 7 * 24 * 3600
#: Parts of uploads that stopped, and attempt folders nobody fetched, go after this long
#: without a change (far longer than a render waits for a chunk: its stall timeout).
LEFTOVER_S = 2 * 3600
#: A worker sweeps at start and then at most this often.
SWEEP_EVERY_S = 3600


def evict_unused(keep_s: float = KEEP_S, protect: Path | None = None) -> None:
    """Drop bundles not used for ``keep_s`` and the blobs only they used (a blob linked from
    no bundle has one link left: its own)."""
    now = time.time()
    for folder in (cache_root() / "bundles").glob("*"):
        if folder != protect and folder.is_dir() and now - folder.stat().st_mtime > keep_s:
            shutil.rmtree(folder, ignore_errors=True)
    for blob in (cache_root() / "blobs").glob("*/*"):
        with contextlib.suppress(OSError):
            info = blob.stat()
            if info.st_nlink == 1 and now - info.st_mtime > keep_s:
                blob.unlink()


def _newest_change(path: Path) -> float:
    newest = path.lstat().st_mtime
    if path.is_dir():
        for entry in path.rglob("*"):
            with contextlib.suppress(OSError):
                newest = max(newest, entry.lstat().st_mtime)
    return newest


def remove_leftovers(leftover_s: float = LEFTOVER_S) -> list[Path]:
    """Attempt folders and upload parts that outlived the render that made them: no change
    for ``leftover_s`` and (for attempts) no live chunk process recorded for them."""
    from hyperframes_desktop.render.farm.supervisor import live_attempt_folders

    now = time.time()
    removed: list[Path] = []
    running = live_attempt_folders()
    root = cache_root()
    for path in [*(root / "chunks").glob("*"), *(root / "incoming").glob("*.part")]:
        with contextlib.suppress(OSError):
            if path in running or now - _newest_change(path) <= leftover_s:
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    for staging in (root / "bundles").glob(".*"):  # an unpack that crashed half-way
        with contextlib.suppress(OSError):
            if now - _newest_change(staging) > leftover_s:
                shutil.rmtree(staging)
                removed.append(staging)
    return removed


def sweep(force: bool = False) -> bool:
    """Evict old bundles and blobs and remove leftovers, at most every SWEEP_EVERY_S (or
    now, with ``force``); True when it ran."""
    stamp = cache_root() / ".swept"
    with contextlib.suppress(OSError):
        if not force and time.time() - stamp.stat().st_mtime < SWEEP_EVERY_S:
            return False
    stamp.touch()
    evict_unused()
    remove_leftovers()
    return True


def read_piece(path: str, offset: int, size: int) -> bytes:
    """A piece of a finished segment file (the client fetches segments in pieces); only
    files of this machine's attempt folders and bundles are read."""
    if not isinstance(path, str):
        raise StoreInputError("not a path")
    resolved = Path(path).resolve()
    own = [(cache_root() / name).resolve() for name in ("chunks", "bundles")]
    if not any(folder in resolved.parents for folder in own):
        raise StoreInputError("only files of chunk attempts and bundles can be fetched")
    _check_size(offset, MAX_BLOB_BYTES, "read offset")
    _check_size(size, MAX_PIECE_BYTES, "read size")
    with open(resolved, "rb") as handle:
        handle.seek(offset)
        return handle.read(size)


def remove_chunk_folder(path: str) -> None:
    """Delete an attempt's work folder once the client holds its segment."""
    folder = Path(path)
    if folder.parent == cache_root() / "chunks" and _ATTEMPT.match(folder.name):
        shutil.rmtree(folder, ignore_errors=True)


def chunk_folder(attempt: str) -> Path:
    if not isinstance(attempt, str) or not _ATTEMPT.match(attempt) or attempt in (".", ".."):
        raise StoreInputError(f"not an attempt name: {attempt!r:.80}")
    folder = cache_root() / "chunks" / attempt
    with contextlib.suppress(FileExistsError):
        folder.mkdir(parents=True)
    return folder
