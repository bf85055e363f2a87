"""What a chunk costs on a farm, measured by its chunks and remembered per farm, so the next
render's chunk size follows from it: a chunk pays a fixed cost (its process, the capture
processes' start-up, the page load) before its frames, so chunks are only made smaller (more
per worker, for balance and cheaper retries) while that fixed cost stays a small share."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.render.farm.chunks import MIN_CHUNK_FRAMES, default_chunk_frames
from hyperframes_desktop.render.farm.resume import segments_root

#: A chunk's fixed cost may be at most this share of its time when chunks are made smaller.
#: On workers of one speed every extra chunk per worker adds its fixed cost to the render's
#: time (k chunks cost k × fixed + frames × per frame); smaller chunks buy only balance
#: between unequal workers and cheaper retries, so they may cost little: 10 %.
MAX_FIXED_SHARE = 0.1
#: Never more chunks than this per worker thread.
MAX_CHUNKS_PER_SLOT = 4


@dataclass(frozen=True)
class ChunkCost:
    fixed_s: float  # paid once per chunk
    frame_s: float  # per frame after that

    def chunk_s(self, frames: int) -> float:
        return self.fixed_s + frames * self.frame_s


def chunk_frames_for(total: int, slots: int, cost: ChunkCost | None) -> int:
    """Frames per chunk for ``total`` frames on ``slots`` worker threads: the most chunks per
    slot (up to MAX_CHUNKS_PER_SLOT, at least one) whose fixed cost stays within
    MAX_FIXED_SHARE of the chunk's time; without a measurement, HyperFrames' rule."""
    if cost is None:
        return default_chunk_frames(total, slots)
    slots = max(1, slots)
    per_slot = math.ceil(total / slots)
    chunks_per_slot = 1
    for k in range(2, MAX_CHUNKS_PER_SLOT + 1):
        frames = math.ceil(per_slot / k)
        if cost.fixed_s <= MAX_FIXED_SHARE * cost.chunk_s(frames):
            chunks_per_slot = k
    return max(MIN_CHUNK_FRAMES, math.ceil(total / (slots * chunks_per_slot)))


def _file() -> Path:
    return segments_root().parent / "farm-chunk-costs.json"


def _key(address: str) -> str:
    return hashlib.sha256(address.encode("utf-8")).hexdigest()[:16]


def load_cost(address: str) -> ChunkCost | None:
    """The last measured cost of a chunk on the farm at ``address`` (None: never measured)."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        entry = json.loads(_file().read_text(encoding="utf-8"))[_key(address)]
        return ChunkCost(float(entry["fixed_s"]), float(entry["frame_s"]))
    return None


def remember_cost(address: str, measured: list[dict]) -> ChunkCost | None:
    """Keep the median cost of this render's chunks for the farm at ``address``.

    The fixed cost is that of chunks a warm host ran (a worker's first chunk starts the
    capture processes and loads the page once, however many chunks follow), plus the
    worker's wait between two chunks: it is what one more chunk costs, so it decides how
    small chunks can be. Without warm chunks, all count."""
    warm = [m for m in measured if m.get("warm")]
    # one more chunk also costs its worker the wait between two chunks (the fetch, the
    # next dispatch, the start's relay: "gap_ms", measured by the client)
    fixed = [
        float(m["fixed_ms"]) + float(m.get("gap_ms", 0.0))
        for m in (warm or measured)
        if "fixed_ms" in m
    ]
    frame = [float(m["frame_ms"]) for m in measured if "frame_ms" in m]
    if not fixed or not frame:
        return None
    cost = ChunkCost(statistics.median(fixed) / 1000.0, statistics.median(frame) / 1000.0)
    path = _file()
    entries: dict = {}
    with contextlib.suppress(OSError, ValueError):
        entries = json.loads(path.read_text(encoding="utf-8"))
    entries[_key(address)] = {"fixed_s": cost.fixed_s, "frame_s": cost.frame_s, "at": time.time()}
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}")
        temp.write_text(json.dumps(entries), encoding="utf-8")
        os.replace(temp, path)
    return cost
