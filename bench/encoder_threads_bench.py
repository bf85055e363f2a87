#!/usr/bin/env python3
"""Whole renders with x264's own thread count against a fixed one
(``HYPERFRAMES_X264_THREADS``), alternating in one run.

    .venv/bin/python bench/encoder_threads_bench.py [--samples nested] [--quality standard]
                                                    [--runs 3] [--sides auto,1]

A side is a value of ``HYPERFRAMES_X264_THREADS``: ``auto`` (x264's own choice, the
renderer's default) or a count. Runs alternate the sides (auto, 1, auto, 1...) so each sees
the same machine load.
Per side: wall seconds of the whole CLI process, CPU-seconds of its whole process tree,
CPU milliseconds per frame, the MP4's size, and how long the encoder ran on after the
capture ended ("tail": its look-ahead's last frames, what one thread may add to the wall
time); medians with min–max.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from render_bench import become_subreaper, ours, prepare, spread  # noqa: E402

from hyperframes_desktop.render.encoder_threads import THREADS_ENV  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", default="nested")
    ap.add_argument("--quality", default="standard")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--sides", default="auto,1")
    args = ap.parse_args()
    become_subreaper()
    sides = args.sides.split(",")
    for sample in args.samples.split(","):
        with tempfile.TemporaryDirectory(prefix="enc-threads-") as tmp:
            work = Path(tmp)
            project = prepare(sample, work)
            rows: dict[str, dict[str, list[float]]] = {
                s: {"wall": [], "cpu": [], "kb": [], "tail": []} for s in sides
            }
            frames = 0
            print(f"== {sample} {args.quality}, load {os.getloadavg()[0]:.1f}", flush=True)
            for run in range(args.runs):
                for side in sides:
                    os.environ[THREADS_ENV] = side
                    wall, perf, cpu = ours(project, args.quality, work)
                    frames = int(perf.get("totalFrames") or 0) or frames
                    kb = (work / "ours.mp4").stat().st_size / 1024
                    rows[side]["wall"].append(wall)
                    rows[side]["cpu"].append(cpu)
                    rows[side]["kb"].append(kb)
                    stages = perf.get("stages", {})
                    tail = (stages.get("encodeMs", 0.0) - stages.get("captureMs", 0.0)) / 1000
                    rows[side]["tail"].append(tail)
                    print(
                        f"run {run + 1} {side}: wall {wall:.2f} s cpu {cpu:.2f} s {kb:.1f} kB "
                        f"encode after capture {tail:.2f} s "
                        f"load {os.getloadavg()[0]:.1f}",
                        flush=True,
                    )
            os.environ.pop(THREADS_ENV, None)
            print(f"load at the end {os.getloadavg()[0]:.1f}; {frames or '?'} frames")
            print("| side | wall s | tree CPU s | CPU ms/frame | size kB | tail s |")
            print("|---|---|---|---|---|---|")
            for side in sides:
                r = rows[side]
                per_frame = f"{1000 * statistics.median(r['cpu']) / frames:.1f}" if frames else "?"
                wall, cpu = spread(r["wall"], dash="–"), spread(r["cpu"], dash="–")
                kb, tail = spread(r["kb"], ".1f", "–"), spread(r["tail"], dash="–")
                print(f"| {side} | {wall} | {cpu} | {per_frame} | {kb} | {tail} |")
            base = rows[sides[0]]
            for side in sides[1:]:
                r = rows[side]
                print(
                    f"{sides[0]} ÷ {side}: wall "
                    f"{statistics.median(base['wall']) / statistics.median(r['wall']):.3f}×, "
                    f"CPU {statistics.median(base['cpu']) / statistics.median(r['cpu']):.3f}×"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
