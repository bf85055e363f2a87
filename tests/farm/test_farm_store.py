"""A worker's store on its own (no cluster): uploads of one blob at once, the eviction race,
input checks on every entry point, leftovers of old attempts, and chunk process records
whose pid was reused."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from hyperframes_desktop.render.farm import store, supervisor
from hyperframes_desktop.render.farm.bundle import Bundle
from hyperframes_desktop.render.farm.transfer import PIECE_BYTES, blob_pieces
from hyperframes_desktop.render.process_identity import boot_id, started_at


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(store.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _old(path: Path, age: float) -> None:
    then = time.time() - age
    os.utime(path, (then, then))


def test_two_uploads_of_one_blob_with_interleaved_pieces_both_succeed(cache: Path):
    data = os.urandom(20 << 20)  # 20 MiB: three pieces each
    digest = hashlib.sha256(data).hexdigest()
    first, second = (
        list(blob_pieces(data, digest, len(data))),
        list(blob_pieces(data, digest, len(data))),
    )
    assert len(first) == 3
    for a, b in zip(first, second, strict=True):
        store.write_piece(*a)
        store.write_piece(*b)
    assert store.missing_blobs([digest]) == []
    blob = cache / "blobs" / digest[:2] / digest
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == digest
    assert list((cache / "blobs").rglob("*" + digest[-8:])) == [blob]  # one blob stays
    assert list((cache / "incoming").iterdir()) == []  # no part left behind


def test_a_blob_reported_present_is_not_evicted_before_its_bundle_is_unpacked(cache: Path):
    data = b"an old but needed asset"
    digest = hashlib.sha256(data).hexdigest()
    store.write_blobs([(digest, data)])
    blob = cache / "blobs" / digest[:2] / digest
    _old(blob, store.KEEP_S + 3600)  # unused for longer than the cache keeps blobs
    (cache / ".swept").unlink(missing_ok=True)
    bundle = Bundle()
    bundle.add_bytes("project/asset.bin", data)
    assert store.missing_blobs([digest]) == []  # so the client sends nothing
    there = Path(store.unpack_bundle(bundle.digest, bundle.manifest()))
    assert (there / "project" / "asset.bin").read_bytes() == data


@pytest.mark.parametrize(
    "call",
    [
        lambda: store.missing_blobs(["../../etc/passwd"]),
        lambda: store.missing_blobs(["ab" * 31]),  # 62 characters
        lambda: store.write_blobs([("../x", b"x")]),
        lambda: store.write_piece("0" * 64, "../../up", 10, 0, b"x", False),
        lambda: store.write_piece("0" * 64, "abcdef12", 10, 8, b"xyz", False),  # past its size
        lambda: store.write_piece("0" * 64, "abcdef12", -1, 0, b"", False),
        lambda: store.unpack_bundle("../bundles", []),
        lambda: store.unpack_bundle("0" * 32, [("project/../../escape.txt", "0" * 64)]),
        lambda: store.unpack_bundle("0" * 32, [("/etc/passwd", "0" * 64)]),
        lambda: store.chunk_folder("../../etc"),
        lambda: store.chunk_folder("a/b"),
        lambda: store.read_piece("/etc/hostname", 0, 100),
        lambda: store.read_piece(str(store.cache_root() / "chunks" / ".." / "x"), 0, 10),
        lambda: store.read_piece(str(store.cache_root() / "chunks" / "a" / "f"), 0, 1 << 40),
    ],
)
def test_every_store_entry_point_refuses_bad_digests_names_and_sizes(cache: Path, call):
    with pytest.raises(store.StoreInputError):
        call()
    assert not (cache.parent / "escape.txt").exists()


def test_stale_attempt_folders_and_parts_are_swept_live_and_recent_ones_stay(cache: Path):
    chunks = cache / "chunks"
    stale_attempt, recent_attempt = chunks / "hf-chunk-r1-0-1", chunks / "hf-chunk-r2-0-1"
    for folder in (stale_attempt, recent_attempt):
        (folder / "scratch").mkdir(parents=True)
        (folder / "segment.ts").write_bytes(b"ts")
    stale_part = cache / "incoming" / f"{'1' * 64}.abcdef12.part"
    stale_part.parent.mkdir(parents=True)
    stale_part.write_bytes(b"half")
    for path in (stale_attempt, stale_attempt / "scratch", stale_attempt / "segment.ts",
                 stale_part):  # fmt: skip
        _old(path, store.LEFTOVER_S + 60)
    assert store.sweep(force=True)
    assert not stale_attempt.exists() and not stale_part.exists()
    assert recent_attempt.exists()
    assert not store.sweep()  # at most hourly


def test_a_record_whose_pid_was_reused_never_signals_that_group(cache: Path):
    """After a reboot (or on a busy machine) a chunk record's pids belong to someone else:
    the reaper must leave that process group alone."""
    stranger = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True
    )
    try:
        dead_owner = subprocess.Popen([sys.executable, "-c", "pass"])
        dead_owner.wait()
        record = supervisor._records_dir() / f"{stranger.pid}.json"
        leader_then = started_at(stranger.pid) - 50_000  # "our" leader started long before
        record.write_text(json.dumps({
            "pgid": stranger.pid, "leader_started": leader_then, "owner": dead_owner.pid,
            "owner_started": 1, "boot": boot_id(),
        }))  # fmt: skip
        assert supervisor.reap_orphans() == 0
        assert stranger.poll() is None and psutil.pid_exists(stranger.pid)
        assert not record.exists()
        # a record from before this boot names nothing that runs now
        record.write_text(json.dumps({
            "pgid": stranger.pid, "leader_started": started_at(stranger.pid),
            "owner": dead_owner.pid, "owner_started": 1, "boot": boot_id() - 3600,
        }))  # fmt: skip
        assert supervisor.reap_orphans() == 0
        assert stranger.poll() is None
        # the real thing: the owner is gone and the leader is the one recorded
        record.write_text(json.dumps({
            "pgid": stranger.pid, "leader_started": started_at(stranger.pid),
            "owner": dead_owner.pid, "owner_started": 1, "boot": boot_id(),
        }))  # fmt: skip
        assert supervisor.reap_orphans() == 1
        assert stranger.wait(timeout=10) == -signal.SIGTERM
    finally:
        if stranger.poll() is None:
            stranger.kill()
            stranger.wait()


def test_blob_pieces_cover_the_blob_once(tmp_path: Path):
    data = os.urandom(PIECE_BYTES + 5)
    pieces = list(blob_pieces(data, hashlib.sha256(data).hexdigest(), len(data)))
    assert b"".join(p[4] for p in pieces) == data
    assert [p[5] for p in pieces] == [False, True]
    assert len({p[1] for p in pieces}) == 1  # one upload id
