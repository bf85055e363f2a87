#!/usr/bin/env python3
"""Still benchmark: `hyperframes-desktop still` against a 10-frame render of the same frames,
side by side on the shared samples.

    .venv/bin/python bench/still_bench.py [--samples nested,kinetic-css] [--runs 3]

All figures are whole-process wall times of a fresh CLI process (median of --runs):
  still_s     `still PROJECT --frame N -o OUT.png` (one capture worker, no encoder)
  render10_s  `render PROJECT --frames N-(N+9) --quality standard -o OUT.mp4` (workers auto,
              one FFmpeg encoder, sound muxed)
  ratio       render10_s / still_s
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Timings and comparisons are of fresh renders: a render-cache hit would skip the capture.
os.environ.setdefault("HYPERFRAMES_RENDER_CACHE", "off")

REPO = Path(__file__).resolve().parents[1]
#: ../shared beside the checkout (a worktree sits one level deeper, under wt/)
SHARED = next(p / "shared" for p in REPO.parents if (p / "shared" / "samples").is_dir())
sys.path.insert(0, str(REPO))

from hyperframes_desktop.project import load_composition  # noqa: E402
from hyperframes_desktop.render.compile import frame_count  # noqa: E402

DEFAULT_SAMPLES = ["nested", "lower-third", "kinetic-css", "portrait-60fps"]


def prepare(sample: str, work: Path) -> Path:
    dest = work / sample
    subprocess.run(
        ["bash", str(SHARED / "bench" / "with-gsap.sh"), str(SHARED / "samples" / sample),
         str(dest)],
        check=True, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return dest


def timed(args: list[str]) -> float:
    command = [sys.executable, "-m", "hyperframes_desktop.cli", *args]
    t0 = time.monotonic()
    proc = subprocess.run(command, capture_output=True, text=True, cwd=REPO, check=False)
    elapsed = time.monotonic() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", default=",".join(DEFAULT_SAMPLES))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| sample | size | frame | still s | 10-frame render s | ratio |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="hf-still-bench-") as tmp:
        work = Path(tmp)
        for sample in args.samples.split(","):
            project = prepare(sample, work)
            comp = load_composition(project)
            total = frame_count(comp.duration, comp.fps)
            first = max(0, min(total // 2, total - 10))
            stills, renders = [], []
            for run in range(args.runs):
                stills.append(timed(["still", str(project), "--frame", str(first),
                                     "-o", str(work / f"{sample}-{run}.png")]))  # fmt: skip
                renders.append(timed(["render", str(project), "--frames",
                                      f"{first}-{first + 9}", "--quality", "standard",
                                      "-o", str(work / f"{sample}-{run}.mp4")]))  # fmt: skip
            still_s, render_s = statistics.median(stills), statistics.median(renders)
            print(
                f"| {sample} | {comp.width}x{comp.height} | {first} | {still_s:.2f} | "
                f"{render_s:.2f} | {render_s / still_s:.2f}x |",
                flush=True,
            )


if __name__ == "__main__":
    main()
