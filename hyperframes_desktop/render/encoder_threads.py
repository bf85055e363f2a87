"""How many threads the render's one streaming x264 encoder gets.

x264's own choice (``threads=auto``: 1.5 frame threads per core, plus look-ahead threads)
is right when the encoder has cores to itself. In a render it shares them with the capture
workers, and on a machine the capture already fills, extra frame threads only add their own
work (each frame thread waits on the rows of the frames it refers to, and they all contend
for the same cores): on the 2-core machine, one encoder thread took 0.94× the CPU-seconds
of x264's choice for the same frames at ``medium`` CRF 18, with the same quality (PSNR and
SSIM against the lossless frames) and a file 0.2 % apart (bench/RESULTS.md, "Issue 17,
session 7").

One thread must still keep pace with the capture, or the render gets slower. The model,
from CPU-seconds per frame measured on the 2-core machine (1080p ``nested``): the capture
takes ``CAPTURE_MS`` per frame, spread over its workers (about one core each), and the
encoder ``ENCODE_MS[preset]``. With every core busy, frames come at ``cores / (capture +
encode)`` a second, or at most ``workers / capture`` when fewer workers than cores capture;
the encoder then needs ``encode × rate`` cores. One thread is chosen only when that need
stays within ``ONE_THREAD_LIMIT`` of a core; otherwise x264 chooses (``None``). So a 2-core
machine encodes ``standard`` on one thread, and a 4-core or larger one keeps x264's frame
threads (its encoder needs 1.9 cores or more).

``HYPERFRAMES_X264_THREADS`` overrides the model: ``auto`` (x264's own choice) or a count.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

THREADS_ENV = "HYPERFRAMES_X264_THREADS"
#: The capture's CPU milliseconds per frame (workers, Chromium, the grab), 1080p ``nested``.
CAPTURE_MS = 75.0
#: x264's CPU milliseconds per frame at 1080p, per preset (one thread; ``nested``).
ENCODE_MS = {"ultrafast": 12.0, "medium": 57.0, "slow": 110.0}
#: The most of a core one encoder thread may need: a little headroom for the relay and
#: the scheduler (a thread that needs a whole core would pace the render).
ONE_THREAD_LIMIT = 0.95


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def encoder_cores_needed(preset: str, cores: int, workers: int) -> float:
    """Cores the encoder needs to keep pace with ``workers`` capture workers on ``cores``."""
    encode = ENCODE_MS.get(preset, max(ENCODE_MS.values()))
    cores, workers = max(1, cores), max(1, workers)
    frames_per_ms = min(cores / (CAPTURE_MS + encode), workers / CAPTURE_MS)
    return encode * frames_per_ms


def x264_threads(
    preset: str, cores: int, workers: int, env: Mapping[str, str] | None = None
) -> int | None:
    """``1`` when one encoder thread keeps pace with the capture, else ``None`` (x264's own
    choice). An unknown preset is costed as the slowest known one. ``env`` (default
    ``os.environ``) may name the count instead (:data:`THREADS_ENV`)."""
    wanted = (os.environ if env is None else env).get(THREADS_ENV, "").strip().lower()
    if wanted == "auto":
        return None
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return 1 if encoder_cores_needed(preset, cores, workers) <= ONE_THREAD_LIMIT else None
