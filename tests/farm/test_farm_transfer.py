"""The bundle travels in pieces and is sent once per worker; files come back in pieces."""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from distributed import Client

from hyperframes_desktop.render.farm import store
from hyperframes_desktop.render.farm.bundle import Bundle
from hyperframes_desktop.render.farm.transfer import PIECE_BYTES, fetch_files, send_bundle


def test_large_files_travel_in_pieces_once_per_worker_and_come_back(cluster, tmp_path: Path):
    big = tmp_path / "footage.bin"
    big.write_bytes(os.urandom(2 * PIECE_BYTES + 12345))  # three pieces
    small = tmp_path / "title.txt"
    small.write_text("hello")
    bundle = Bundle()
    bundle.add_file("project/media/footage.bin", big)
    bundle.add_file("project/title.txt", small)
    digest = hashlib.sha256(big.read_bytes()).hexdigest()
    with Client(cluster.address, timeout=30) as client:
        worker = sorted(client.nthreads())[0]
        cancel = threading.Event()
        assert send_bundle(client, worker, bundle, cancel) == big.stat().st_size + 5
        assert send_bundle(client, worker, bundle, cancel) == 0  # cached there by digest
        there = Path(client.run(store.bundle_dir, bundle.digest, workers=[worker])[worker])
        unpacked = there / "project" / "media" / "footage.bin"
        size = big.stat().st_size
        fetch_files(client, worker, [(str(unpacked), "copy.bin", size)], tmp_path / "back", cancel)
    assert hashlib.sha256((tmp_path / "back" / "copy.bin").read_bytes()).hexdigest() == digest


def test_two_concurrent_uploads_of_one_file_to_one_worker_both_succeed(cluster, tmp_path: Path):
    """Two renders of one project at once (a batch, two studio jobs) send the same 20 MiB
    file to the same worker: each upload has its own part file, one blob stays."""
    big = tmp_path / "clip.bin"
    big.write_bytes(os.urandom(20 << 20))
    digest = hashlib.sha256(big.read_bytes()).hexdigest()
    bundles = []
    for name in ("a", "b"):
        bundle = Bundle()
        bundle.add_file("project/clip.bin", big)
        bundle.add_bytes("project/which.txt", name.encode())  # two different bundles
        bundles.append(bundle)
    with Client(cluster.address, timeout=30) as client:
        worker = sorted(client.nthreads())[0]
        client.run(store.evict_unused, 0, workers=[worker])  # start without the blob there
        errors: list[BaseException] = []

        def upload(bundle: Bundle) -> None:
            try:
                send_bundle(client, worker, bundle, threading.Event())
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=upload, args=(b,)) for b in bundles]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        root = Path(client.run(store.cache_root, workers=[worker])[worker])
        for bundle in bundles:
            there = Path(client.run(store.bundle_dir, bundle.digest, workers=[worker])[worker])
            copy = there / "project" / "clip.bin"
            assert copy.stat().st_size == big.stat().st_size
    assert [p.name for p in (root / "blobs").rglob(digest)] == [digest]
    assert list((root / "incoming").glob("*.part")) == []
