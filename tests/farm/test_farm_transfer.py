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
