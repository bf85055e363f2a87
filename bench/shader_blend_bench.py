"""What mixing one shader-transition frame costs (render/shader_transitions), per shader.

    .venv/bin/python bench/shader_blend_bench.py [--size 1920x1080] [--runs 3]

Two random layers, progress 0.4 (every effect active), the median of ``--runs`` timings per
shader in seconds of wall time and of this process's CPU time. Capturing the two layers
costs two more page paints on top; this measures the numpy part alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from hyperframes_desktop.render.shader_transitions import SHADER_NAMES, Accents, blend


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.split("x"))
    rng = np.random.default_rng(1)
    a = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    b = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    print(f"{width}x{height}, {args.runs} runs, load {os.getloadavg()[0]:.1f}")
    print("| shader | wall s (median) | CPU s (median) |")
    print("|---|---|---|")
    for name in sorted(SHADER_NAMES):
        walls, cpus = [], []
        for _ in range(args.runs):
            w0, c0 = time.perf_counter(), time.process_time()
            blend(name, a, b, 0.4, Accents())
            walls.append(time.perf_counter() - w0)
            cpus.append(time.process_time() - c0)
        print(f"| {name} | {statistics.median(walls):.2f} | {statistics.median(cpus):.2f} |")
    print(f"(load {os.getloadavg()[0]:.1f} at the end)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
