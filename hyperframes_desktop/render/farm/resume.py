"""Finished segments, kept on the client, so ``render --resume`` after an interruption
renders only the chunks that are missing.

Folders are ``<key>/<run>``: the key covers the plan, the output and the frame range; the
run is a random id plus the owning process (``<rand>-<pid>-<start>``). Two renders of one
plan at once (batch lines with equal variables, a whole render and an in–out render) each
have their own run and never touch each other's. A fresh render removes the runs of its key
whose owner is gone; ``--resume`` adopts the one of them with the most finished chunks.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
import time
import uuid
from pathlib import Path

import platformdirs

from hyperframes_desktop.render.farm.chunks import Chunk
from hyperframes_desktop.render.leftovers import owner_tag
from hyperframes_desktop.render.process_identity import ProcessStamp, stamp

SEGMENTS_ENV = "HYPERFRAMES_FARM_SEGMENTS"
#: Segments of renders nobody resumed are deleted after this long.
KEEP_S = 7 * 24 * 3600


def segments_root() -> Path:
    configured = os.environ.get(SEGMENTS_ENV)
    if configured:
        return Path(configured)
    return Path(platformdirs.user_cache_dir("hyperframes-desktop")) / "farm-segments"


class SegmentStore:
    def __init__(self, key: str, root: Path | None = None, resume: bool = False) -> None:
        self.key_dir = (root or segments_root()) / key
        self.key_dir.mkdir(parents=True, exist_ok=True)
        _forget_old(self.key_dir.parent, keep=self.key_dir)
        self.root = self.key_dir / f"{uuid.uuid4().hex[:8]}-{owner_tag()}"
        with _IN_USE_LOCK:
            _IN_USE.add(self.root)
            dead = [run for run in _runs(self.key_dir) if _abandoned(run)]
        if resume:
            dead.sort(key=_done_count, reverse=True)
            for run in dead:
                try:
                    os.rename(run, self.root)  # adopted: no other render can take it now
                    dead.remove(run)
                    break
                except OSError:
                    continue  # another resume took it first
        for run in dead:
            shutil.rmtree(run, ignore_errors=True)
        self.root.mkdir(exist_ok=True)

    # the chunk size of the plan, so a resume splits the frames the same way
    def chunk_frames(self) -> int | None:
        try:
            return int(json.loads((self.root / "plan.json").read_text())["chunk_frames"])
        except (OSError, ValueError, KeyError):
            return None

    def remember(self, chunk_frames: int) -> None:
        (self.root / "plan.json").write_text(json.dumps({"chunk_frames": chunk_frames}))

    def folder(self, chunk: Chunk) -> Path:
        return self.root / chunk.name

    def has(self, chunk: Chunk) -> bool:
        return (self.folder(chunk) / ".done").is_file()

    def staging(self, chunk: Chunk) -> Path:
        return self.root / f".{chunk.name}.{uuid.uuid4().hex[:8]}"

    def commit(self, chunk: Chunk, staging: Path) -> None:
        (staging / ".done").write_text("ok", encoding="ascii")
        target = self.folder(chunk)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)

    def files(self, chunk: Chunk) -> list[Path]:
        return sorted(p for p in self.folder(chunk).iterdir() if not p.name.startswith("."))

    def release(self) -> None:
        """This render is over (finished, failed or cancelled): its segments stay for a
        ``--resume`` (or the studio's Retry Failed Chunks) in this process or another."""
        with _IN_USE_LOCK:
            _IN_USE.discard(self.root)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        with contextlib.suppress(OSError):
            self.key_dir.rmdir()  # when no other run of this key is left
        self.release()


#: Runs of renders going on in this process (a studio runs several, and retries in-process).
_IN_USE: set[Path] = set()
_IN_USE_LOCK = threading.Lock()


_RUN = re.compile(r"^[0-9a-f]{8}-(?P<owner>\d+-\d+)$")


def _runs(key_dir: Path) -> list[Path]:
    return [p for p in key_dir.iterdir() if p.is_dir() and _RUN.match(p.name)]


def _abandoned(run: Path) -> bool:
    """No render uses ``run`` any more: its owner is gone, or it is this process and the
    render that made it is over."""
    match = _RUN.match(run.name)
    owner = ProcessStamp.parse(match.group("owner")) if match else None
    if owner is None:
        return False
    if owner == stamp():
        return run not in _IN_USE
    return not owner.same_process(unknown=True)


def _done_count(run: Path) -> int:
    return sum(1 for _ in run.glob("*/.done"))


def _forget_old(parent: Path, keep: Path) -> None:
    now = time.time()
    for folder in parent.iterdir():
        try:
            if folder != keep and now - folder.stat().st_mtime > KEEP_S:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
