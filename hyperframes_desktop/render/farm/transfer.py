"""Moving files between the client and the workers in pieces, over the Dask connection
(``Client.upload_file`` takes only Python packages and holds a whole file in memory).

Small blobs travel several to a message; large ones in PIECE_BYTES pieces, never more than
one piece in memory. A worker keeps blobs by digest, so only what it lacks is sent.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.farm import store
from hyperframes_desktop.render.farm.bundle import Bundle

#: Well under Dask's 64 MiB message shards.
PIECE_BYTES = 8 << 20


def _read(source: Path | bytes, offset: int, size: int) -> bytes:
    if isinstance(source, bytes):
        return source[offset : offset + size]
    with open(source, "rb") as handle:
        handle.seek(offset)
        return handle.read(size)


def blob_pieces(source: Path | bytes, digest: str, size: int) -> Iterator[tuple]:
    """The ``store.write_piece`` arguments of one upload of a large blob, in order. Each
    upload has its own id, so the worker writes it to its own part file: two uploads of one
    blob at once (a batch, two studio jobs) cannot mix their pieces."""
    upload = uuid.uuid4().hex[:16]
    for offset in range(0, max(size, 1), PIECE_BYTES):
        piece = _read(source, offset, PIECE_BYTES)
        yield (digest, upload, size, offset, piece, offset + len(piece) >= size)


def send_bundle(client, worker: str, bundle: Bundle, cancel: threading.Event) -> int:
    """Send what ``worker`` lacks and unpack the bundle there; returns the bytes sent."""
    digests = sorted({e.digest for e in bundle.entries})
    missing = _on(client, worker, store.missing_blobs, digests)
    sizes = {e.digest: e.size for e in bundle.entries}
    sent = 0
    batch: list[tuple[str, bytes]] = []
    batch_bytes = 0
    for digest in missing:
        tools.check_cancel(cancel)
        source, size = bundle.sources[digest], sizes[digest]
        if size <= PIECE_BYTES // 4:
            batch.append((digest, _read(source, 0, size)))
            batch_bytes += size
            if batch_bytes >= PIECE_BYTES:
                _on(client, worker, store.write_blobs, batch)
                batch, batch_bytes = [], 0
        else:
            for args in blob_pieces(source, digest, size):
                tools.check_cancel(cancel)
                _on(client, worker, store.write_piece, *args)
        sent += size
    if batch:
        _on(client, worker, store.write_blobs, batch)
    _on(client, worker, store.unpack_bundle, bundle.digest, bundle.manifest())
    return sent


def fetch_files(
    client,
    worker: str,
    files: list[tuple[str, str, int]],
    into: Path,
    cancel: threading.Event,
) -> None:
    """Copy a finished segment's files (worker path, name, size) into ``into``."""
    into.mkdir(parents=True, exist_ok=True)
    for path, name, size in files:
        store.check_name(name)  # a worker's answer never names a file outside ``into``
        if not isinstance(size, int) or size < 0:
            raise OSError(f"segment file {name} has no valid size")
        with open(into / name, "wb") as out:
            for offset in range(0, max(size, 1), PIECE_BYTES):
                tools.check_cancel(cancel)
                piece = _on(client, worker, store.read_piece, path, offset, PIECE_BYTES)
                out.write(piece)
            out.flush()
            os.fsync(out.fileno())
        if (into / name).stat().st_size != size:
            raise OSError(f"segment file {name} arrived incomplete")


def write_answered(
    files: list[tuple[str, str, int]], data: list[bytes], into: Path, cancel: threading.Event
) -> None:
    """Write a finished segment's files that came inside the chunk's answer (``data``, one
    ``bytes`` per entry of ``files``) into ``into``, as :func:`fetch_files` would."""
    if not isinstance(data, list) or len(data) != len(files):
        raise OSError("the chunk's answer does not hold its segment files")
    into.mkdir(parents=True, exist_ok=True)
    for (_path, name, size), content in zip(files, data, strict=True):
        tools.check_cancel(cancel)
        store.check_name(name)  # a worker's answer never names a file outside ``into``
        if not isinstance(content, bytes) or len(content) != size:
            raise OSError(f"segment file {name} arrived incomplete")
        with open(into / name, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())


def _on(client, worker: str, function: Callable, *args):
    """Run ``function`` on one worker, outside the task queue; its error is raised here."""
    return client.run(function, *args, workers=[worker])[worker]
