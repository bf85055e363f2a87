"""How many threads the render's one streaming x264 encoder gets: x264's own choice
(``threads=auto``: 1.5 frame threads per core plus look-ahead threads) unless
``HYPERFRAMES_X264_THREADS`` names a count.

One thread was measured against x264's choice on the 2-core machine, where the capture
already takes the other core (bench/RESULTS.md, "Issue 17, session 7"): encoding the same
frames alone it took 0.80–0.98× the CPU-seconds at the same quality, but inside whole renders
the encoder's CPU per frame was the same (66.1 vs 62.7 ms, medians of three, load 15–22), and
one thread encodes the look-ahead's last ~40 frames alone after the capture ends. So the
default stays x264's; the variable is there to measure it again on another machine, or to
keep the encoder to one core on a machine shared with other work.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

THREADS_ENV = "HYPERFRAMES_X264_THREADS"


def x264_threads(env: Mapping[str, str] | None = None) -> int | None:
    """The thread count ``env`` (default ``os.environ``) names for the H.264 encoder, or
    None for x264's own choice (unset, ``auto``, or not a positive whole number)."""
    wanted = (os.environ if env is None else env).get(THREADS_ENV, "").strip()
    return int(wanted) if wanted.isdigit() and int(wanted) > 0 else None
