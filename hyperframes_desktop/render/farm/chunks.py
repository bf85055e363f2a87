"""Splitting a render's frames into chunks, and the key a chunk's finished segment is kept
under for ``--resume``."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass

#: HyperFrames' rule: at least this many frames per chunk (start-up costs dominate below).
MIN_CHUNK_FRAMES = 10
#: Chunks per worker thread by default: a few, so a slow or lost worker costs little.
CHUNKS_PER_SLOT = 2


@dataclass(frozen=True)
class Chunk:
    index: int
    start: int  # first frame, 0-based, absolute
    end: int  # last frame, inclusive

    @property
    def frames(self) -> int:
        return self.end - self.start + 1

    @property
    def name(self) -> str:
        return f"{self.start:06d}-{self.end:06d}"


def default_chunk_frames(total: int, slots: int) -> int:
    """``max(10, ceil(total / (slots × 2)))``: every worker thread gets about two chunks."""
    return max(MIN_CHUNK_FRAMES, math.ceil(total / max(1, slots * CHUNKS_PER_SLOT)))


def split_frames(first: int, last: int, chunk_frames: int) -> list[Chunk]:
    """Consecutive chunks covering ``first..last`` (inclusive), each ``chunk_frames`` long
    except maybe the last; no gap, no overlap."""
    size = max(1, chunk_frames)
    chunks = []
    for index, start in enumerate(range(first, last + 1, size)):
        chunks.append(Chunk(index, start, min(last, start + size - 1)))
    return chunks


def plan_key(**facts: object) -> str:
    """A stable key for everything that decides a segment's pixels and encoding."""
    blob = json.dumps(facts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]
