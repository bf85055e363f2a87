"""How many capture workers a render uses: ``--workers N|auto``.

A pure function of the machine (cores, available memory) and the render (frames, frame
size), so it can be tested without the machine. The figures below were measured on the
project's 2-core machine (bench/RESULTS.md, "Capture workers: the model"):

- capture alone at 1080p: 1×2 22.8 fps, 2×1 30.9, 2×2 34.3, 2×3 31.4, 3×2 30.5 (workers ×
  views): two workers of two views each is the best split of 2 cores, so a worker is about
  one core's worth of capture, and two views keep it busy while the other one paints;
- memory: a capture worker is about 300 MB (Qt, Chromium, software WebGL) plus about 90 MB
  per view and megapixel of frame (tiles, the compositor's frame, the grab); FFmpeg and the
  CLI beside them are budgeted at 400 MB plus 250 MB per megapixel (x264 ``medium`` at
  1080p peaks near 510 MB).

Past 4 cores, each further worker is given 2 cores: the encoder (x264 is threaded), the
relay and Chromium's raster threads use the rest. Workers only ever take 80 % of the memory
the kernel calls available (never swap), and each gets at least ``MIN_FRAMES_PER_WORKER``
frames (fewer are not worth a browser start-up).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

#: Fewer frames than this per worker are not worth another browser start-up.
MIN_FRAMES_PER_WORKER = 45
#: Workers never exceed this, whatever the machine (more start-ups than the frames repay).
MAX_WORKERS = 16
#: Views per worker: the measured best on 2 cores (HYPERFRAMES_CAPTURE_VIEWS overrides it).
DEFAULT_VIEWS = 2
WORKER_BASE_MB = 300.0
VIEW_MB_PER_MEGAPIXEL = 90.0
ENCODER_BASE_MB = 400.0
ENCODER_MB_PER_MEGAPIXEL = 250.0
#: The share of available memory the render may take.
MEMORY_SHARE = 0.8


@dataclass(frozen=True)
class WorkerPlan:
    workers: int
    bound_by: str  # "requested", "cores", "memory" or "frames": what decided the count
    worker_mb: float  # the memory one worker is expected to take


def worker_mb(megapixels: float, views: int) -> float:
    return WORKER_BASE_MB + VIEW_MB_PER_MEGAPIXEL * views * megapixels


def cpu_workers(cores: int) -> int:
    """One worker per core up to 4 cores, then one per 2 further cores."""
    cores = max(1, cores)
    return cores if cores <= 4 else 4 + (cores - 4) // 2


def plan_workers(
    frames: int,
    width: int,
    height: int,
    *,
    cores: int,
    available_mb: float,
    requested: int | None = None,
    views: int = DEFAULT_VIEWS,
) -> WorkerPlan:
    """How many workers of ``views`` views capture ``frames`` frames of ``width``×``height``
    device pixels."""
    megapixels = width * height / 1e6
    per_worker = worker_mb(megapixels, views)
    if requested is not None:
        return WorkerPlan(max(1, min(requested, frames)), "requested", per_worker)
    budget = available_mb * MEMORY_SHARE - ENCODER_BASE_MB - ENCODER_MB_PER_MEGAPIXEL * megapixels
    by_memory = int(budget // per_worker)
    limits = {
        "cores": cpu_workers(cores),
        "memory": max(1, by_memory),
        "frames": max(1, frames // MIN_FRAMES_PER_WORKER),
    }
    bound_by = min(limits, key=lambda name: limits[name])
    workers = max(1, min(MAX_WORKERS, limits[bound_by]))
    return WorkerPlan(workers, bound_by, per_worker)


def machine_plan(
    frames: int, width: int, height: int, requested: int | None = None, views: int = DEFAULT_VIEWS
) -> WorkerPlan:
    """``plan_workers`` for this machine: its usable cores and the memory available now."""
    import psutil

    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    available_mb = psutil.virtual_memory().available / 2**20
    return plan_workers(
        frames, width, height, cores=cores, available_mb=available_mb, requested=requested,
        views=views,
    )  # fmt: skip


def parse_workers(text: str | int | None) -> int | None:
    """``--workers``: a whole number from 1 to ``MAX_WORKERS``, or ``auto`` (None)."""
    if text is None or (isinstance(text, int) and not isinstance(text, bool)):
        value = text
    else:
        word = str(text).strip().lower()
        if word == "auto":
            return None
        try:
            value = int(word)
        except ValueError:
            value = 0
    if value is not None and not 1 <= value <= MAX_WORKERS:
        raise ValueError(
            f'--workers "{text}" is not a worker count. Fix: give a whole number from 1 to '
            f"{MAX_WORKERS}, or auto to pick from this machine's cores and memory."
        )
    return value
