"""Finished segments, kept on the client under a key derived from the render plan, so
``render --resume`` after an interruption renders only the chunks that are missing."""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from pathlib import Path

import platformdirs

from hyperframes_desktop.render.farm.chunks import Chunk

SEGMENTS_ENV = "HYPERFRAMES_FARM_SEGMENTS"
#: Segments of renders nobody resumed are deleted after this long.
KEEP_S = 7 * 24 * 3600


def segments_root() -> Path:
    configured = os.environ.get(SEGMENTS_ENV)
    if configured:
        return Path(configured)
    return Path(platformdirs.user_cache_dir("hyperframes-desktop")) / "farm-segments"


class SegmentStore:
    def __init__(self, key: str, root: Path | None = None) -> None:
        self.root = (root or segments_root()) / key
        self.root.mkdir(parents=True, exist_ok=True)
        _forget_old(self.root.parent, keep=self.root)

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

    def clear(self) -> None:
        """Start over: segments of an earlier run of this plan are not reused."""
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True, exist_ok=True)

    def discard(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _forget_old(parent: Path, keep: Path) -> None:
    now = time.time()
    for folder in parent.iterdir():
        try:
            if folder != keep and now - folder.stat().st_mtime > KEEP_S:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
