#!/usr/bin/env python3
"""Start-up benchmark: the wall time and tree CPU of a tiny CLI render (a few frames), i.e.
what a render pays before and around its first frames: the CLI's start, compile, a capture
process's start (Python, Qt, Chromium, the page) and FFmpeg's.

    .venv/bin/python bench/startup_bench.py [--sample nested] [--frames 0-1] [--runs 8]
                                            [--before 39f7778]

Sides, taken in turn (the order flips every run, so each sees the same load):
  ours            this checkout, as the CLI runs by default
  ours, no early  the same with HYPERFRAMES_EARLY_CAPTURE=0 (no capture process started
                  before the CLI's imports and compile: render.early_capture)
  before (REV)    the package at git revision REV (git archive'd, with bytecode compiled
                  like this checkout's, so only the code differs)
Every side renders with the render cache off. Prints every run, then medians, spreads and
ratios to ours.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render_bench import (
    become_subreaper,
    checkout,
    measured,
    prepare,
    spread,
)


def render_once(
    project: Path, frames: str, out: Path, code: Path | None, extra_env: dict[str, str]
) -> tuple[float, float]:
    """Wall seconds and tree CPU-seconds of one CLI render of ``frames``."""
    env = {**os.environ, "HYPERFRAMES_NO_TELEMETRY": "1", "HYPERFRAMES_RENDER_CACHE": "off"}
    env.update(extra_env)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code), env.get("PYTHONPATH", "")]).rstrip(":")
    proc, wall, cpu = measured(
        [sys.executable, "-m", "hyperframes_desktop.cli", "render", str(project), "-o",
         str(out), "--frames", frames, "--quality", "standard"],
        env,
        cwd=out.parent,  # not this repository: python -m would import its package first
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"render failed: {proc.stderr[-800:]}")
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", default="nested")
    parser.add_argument("--frames", default="0-1", help="the frames rendered (START-END)")
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--before", help="a git revision to compare with")
    args = parser.parse_args()
    become_subreaper()
    with tempfile.TemporaryDirectory(prefix="hf-startup-bench-") as tmp:
        work = Path(tmp)
        project = prepare(args.sample, work / "projects")
        sides: list[tuple[str, Path | None, dict[str, str]]] = [
            ("ours", None, {}),
            ("ours, no early", None, {"HYPERFRAMES_EARLY_CAPTURE": "0"}),
        ]
        if args.before:
            code = checkout(args.before, work)
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(code)], check=True)
            sides.append((f"before ({args.before})", code, {}))
        print("side | run | wall s | tree CPU s | load")
        results: dict[str, list[tuple[float, float]]] = {}
        for run in range(args.runs):
            order = sides if run % 2 == 0 else list(reversed(sides))
            for side, code, extra in order:
                out = work / f"out-{len(results.get(side, []))}.mp4"
                wall, cpu = render_once(project, args.frames, out, code, extra)
                results.setdefault(side, []).append((wall, cpu))
                load = os.getloadavg()[0]
                print(f"{side} | {run + 1} | {wall:.3f} | {cpu:.3f} | {load:.1f}", flush=True)
        print(f"\n{args.sample} frames {args.frames}, median (min-max) of {args.runs}:")
        for side, got in results.items():
            walls, cpus = [w for w, _ in got], [c for _, c in got]
            print(f"  {side}: wall {spread(walls, '.3f')} s, tree CPU {spread(cpus, '.3f')} s")
        ours_wall = statistics.median(w for w, _ in results["ours"])
        ours_cpu = statistics.median(c for _, c in results["ours"])
        for side, got in results.items():
            if side != "ours":
                w = ours_wall / statistics.median(w for w, _ in got)
                c = ours_cpu / statistics.median(c for _, c in got)
                print(f"  ours / {side}: wall {w:.3f}x, CPU {c:.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
