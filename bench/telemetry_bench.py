"""Telemetry cost: median ``track()`` time, and how long a CLI-like process waits at exit when
the analytics endpoint hangs.

    .venv/bin/python bench/telemetry_bench.py [--events N] [--runs N]

Targets: track() median < 50 µs; exit delay < 1.2 s. Uses a temp config dir and a loopback
socket that accepts connections but never answers; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TRACK_TARGET_US = 50.0
EXIT_TARGET_S = 1.2

CHILD = """
import time
from hyperframes_desktop.telemetry import get_client, track_render_error
track_render_error("capture", 12.0, "bench failure")
t0 = time.monotonic()
get_client().flush(1.0)
print(f"{t0:.6f}")
"""


def bench_env(config_home: str, host: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("HYPERFRAMES_NO_TELEMETRY", "DO_NOT_TRACK", "HYPERFRAMES_TELEMETRY_DEBUG")
    }
    env.update(
        XDG_CONFIG_HOME=config_home,
        HYPERFRAMES_POSTHOG_KEY="phc_bench",
        HYPERFRAMES_POSTHOG_HOST=host,
        HYPERFRAMES_TELEMETRY_DEV="1",
        PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p),
    )
    return env


def measure_track(n: int) -> tuple[float, float, float]:
    """(median µs, p90 µs, median µs with telemetry off) for n calls of track()."""
    from hyperframes_desktop.telemetry import config
    from hyperframes_desktop.telemetry.client import TelemetryClient

    config.update_config(notice_shown=True, telemetry_enabled=True)
    client = TelemetryClient(debounce_s=3600, max_queue=n + 100)
    props = {"fps": 30, "quality": "standard", "format": "mp4"}
    for _ in range(50):  # warm-up: thread start, metadata cache
        client.track("bench", props)
    samples = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        client.track("bench", props)
        samples.append(time.perf_counter_ns() - t0)
    os.environ["DO_NOT_TRACK"] = "1"
    off = []
    for _ in range(min(n, 2000)):
        t0 = time.perf_counter_ns()
        client.track("bench", props)
        off.append(time.perf_counter_ns() - t0)
    del os.environ["DO_NOT_TRACK"]
    client.close()
    samples.sort()
    return (
        statistics.median(samples) / 1000,
        samples[int(len(samples) * 0.9)] / 1000,
        statistics.median(off) / 1000,
    )


def measure_exit(env: dict[str, str], runs: int) -> list[tuple[float, float]]:
    """(exit delay after flush began, whole process wall time) per run."""
    results = []
    for _ in range(runs):
        start = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=30
        )
        ended = time.monotonic()
        if proc.returncode != 0:
            raise SystemExit(f"child failed:\n{proc.stderr}")
        flush_started = float(proc.stdout.split()[-1])
        results.append((ended - flush_started, ended - start))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    opts = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hf-telemetry-bench-") as tmp:
        hang = socket.socket()
        hang.bind(("127.0.0.1", 0))
        hang.listen(64)  # connections complete in the backlog; nobody ever answers
        host = f"http://127.0.0.1:{hang.getsockname()[1]}"
        env = bench_env(tmp, host)
        os.environ.update({k: env[k] for k in env if k.startswith(("XDG_", "HYPERFRAMES_"))})
        try:
            median_us, p90_us, off_us = measure_track(opts.events)
            exits = measure_exit(env, opts.runs)
        finally:
            hang.close()

    worst_exit = max(delay for delay, _ in exits)
    print(
        f"track() enabled: median {median_us:.1f} µs, p90 {p90_us:.1f} µs "
        f"({opts.events} calls; target < {TRACK_TARGET_US:.0f} µs)"
    )
    print(f"track() gated off (DO_NOT_TRACK): median {off_us:.1f} µs")
    for i, (delay, wall) in enumerate(exits, 1):
        print(
            f"exit delay with hanging endpoint, run {i}: {delay:.3f} s "
            f"(process wall time {wall:.2f} s)"
        )
    print(f"worst exit delay: {worst_exit:.3f} s (target < {EXIT_TARGET_S} s)")
    ok = median_us < TRACK_TARGET_US and worst_exit < EXIT_TARGET_S
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
