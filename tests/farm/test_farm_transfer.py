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


def test_chunks_that_end_together_are_taken_in_at_once(cluster, tmp_path: Path):
    """Finished chunks are taken in (result, segment fetched and fsynced) several at once,
    not one after another (a 16-worker render's chunks end together: 15 take-ins in a row
    were on its path), and each segment is committed whole."""
    import itertools
    import time

    from hyperframes_desktop.render.farm.chunks import split_frames
    from hyperframes_desktop.render.farm.resume import SegmentStore
    from hyperframes_desktop.render.farm.scheduler import Attempt, ChunkRun
    from hyperframes_desktop.render.farm.settings import FarmSettings

    payloads = [os.urandom(300_000) for _ in range(6)]
    bundle = Bundle()
    for index, payload in enumerate(payloads):
        bundle.add_bytes(f"project/segment{index}.ts", payload)
    chunks = split_frames(0, 59, 10)
    segments = SegmentStore("take-in-at-once", root=tmp_path / "segments")
    with Client(cluster.address, timeout=30) as client:
        worker = sorted(client.nthreads())[0]
        send_bundle(client, worker, bundle, threading.Event())
        there = Path(client.run(store.bundle_dir, bundle.digest, workers=[worker])[worker])
        run = ChunkRun(client, render_id="takein", job={}, chunks=[], store=segments,
                       settings=FarmSettings(cluster.address), cancel=threading.Event(),
                       prepare=lambda _w: True, emit=lambda _p: None, elapsed=lambda: 0.0,
                       total_frames=60, reused=0, reused_frames=0, chunks_total=6)  # fmt: skip
        for chunk in chunks:
            key = f"hf-chunk-takein-{chunk.index}-1"
            result = {  # what a finished chunk task answers (chunk_task.run_chunk)
                "worker": worker,
                "files": [
                    (str(there / "project" / f"segment{chunk.index}.ts"), "segment.ts", 300_000)
                ],
                "folder": str(tmp_path / "not-a-chunk-folder"),
                "cost": {"fixed_ms": 1.0, "frame_ms": 1.0},
            }
            future = client.submit(dict, result, key=key, workers=[worker], pure=False)
            run.running[key] = Attempt(chunk, key, future, f"hf-abandon-{key}", [worker])
        for attempt in run.running.values():
            attempt.future.result(timeout=30)  # every chunk has ended before any is looked at
        deadline = time.monotonic() + 30
        while run.running and time.monotonic() < deadline:
            for attempt in list(run.running.values()):
                run._check(attempt, client.nthreads())
            time.sleep(0.002)
        run.wait_released()
    assert not run.running
    for chunk, payload in zip(chunks, payloads, strict=True):
        assert segments.has(chunk)
        assert (segments.folder(chunk) / "segment.ts").read_bytes() == payload
    spans = [cost["take_in_ms"] for cost in run.costs]
    at_once = [(a, b) for a, b in itertools.combinations(spans, 2) if a[0] < b[1] and b[0] < a[1]]
    assert at_once, f"each take-in waited for the one before it: {spans}"


def test_a_small_segment_comes_back_with_its_chunks_answer(cluster, frame_index_project: Path):
    """A chunk's segment of a few MB at most travels inside the chunk task's answer, so its
    take-in needs no fetch round trip; the render is frame-exact as before."""
    from support.media import all_frames_rgb

    from hyperframes_desktop.render import RenderOptions
    from hyperframes_desktop.render.farm import FarmBackend, FarmSettings

    from .conftest import decoded_index

    out = frame_index_project / "out.mp4"
    backend = FarmBackend(FarmSettings(cluster.address, chunk_frames=10))
    backend.render(RenderOptions(project=frame_index_project, output=out))
    assert len(backend.chunk_costs) == 3
    assert all(cost["answered"] for cost in backend.chunk_costs), backend.chunk_costs
    assert [decoded_index(f) for f in all_frames_rgb(out)] == list(range(30))
