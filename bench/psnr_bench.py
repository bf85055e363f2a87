#!/usr/bin/env python3
"""Side-by-side fidelity check: render each shared sample with this engine and with the
HyperFrames CLI (the peer, ../shared/bench/), then compare every frame (FFmpeg's psnr filter).

    .venv/bin/python bench/psnr_bench.py [--samples nested,lower-third] [--quality high]

Prints, per sample: frame counts of both outputs and the per-frame PSNR (mean, min and the
frame where it is lowest). Identical pixels give "inf". Aim: mean >= 35 dB.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

# Timings and comparisons are of fresh renders: a render-cache hit would skip the capture.
os.environ.setdefault("HYPERFRAMES_RENDER_CACHE", "off")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from hyperframes_desktop.render import tools  # noqa: E402

DEFAULT_SAMPLES = ["lower-third", "kinetic-css", "clips-and-tracks", "nested", "portrait-60fps"]


def prepare(sample: str, work: Path) -> Path:
    dest = work / "projects" / sample
    script = SHARED / "bench" / "with-gsap.sh"
    subprocess.run(
        ["bash", str(script), str(SHARED / "samples" / sample), str(dest)],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return dest


def render_ours(project: Path, out: Path, quality: str) -> None:
    cmd = [sys.executable, "-m", "hyperframes_desktop.cli", "render", str(project), "-o", str(out)]
    subprocess.run([*cmd, "--quality", quality], check=True, capture_output=True)


def render_peer(sample: str, out: Path, quality: str) -> None:
    script = SHARED / "bench" / "peer-render.sh"
    cmd = ["bash", str(script), str(SHARED / "samples" / sample), str(out), "--quality", quality]
    subprocess.run([*cmd, "--workers", "1"], check=True, capture_output=True, env=_peer_env())


def _peer_env() -> dict[str, str]:
    import os

    return {**os.environ, "PEER_ISOLATED_HOME": "1"}


def frame_count(path: Path) -> int:
    out = tools.run_tool(
        "ffprobe",
        ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
         "stream=nb_read_frames", "-of", "csv=p=0", str(path)],
    ).stdout  # fmt: skip
    return int(out.strip() or 0)


def psnr_per_frame(ours: Path, peer: Path, work: Path) -> list[float]:
    stats = work / "psnr.log"
    tools.run_tool(
        "ffmpeg",
        ["-v", "error", "-i", str(ours), "-i", str(peer), "-lavfi",
         f"[0:v][1:v]psnr=stats_file={stats}", "-f", "null", "-"],
        timeout=600,
    )  # fmt: skip
    values = []
    for line in stats.read_text().splitlines():
        found = re.search(r"psnr_avg:(\S+)", line)
        if found:
            values.append(math.inf if found.group(1) == "inf" else float(found.group(1)))
    return values


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", default=",".join(DEFAULT_SAMPLES))
    parser.add_argument("--quality", default="high")
    args = parser.parse_args()
    subprocess.run(["bash", str(SHARED / "bench" / "peer-setup.sh")], check=True,
                   capture_output=True)  # fmt: skip
    print("sample | frames ours/peer | mean PSNR dB | min PSNR dB | worst frame")
    with tempfile.TemporaryDirectory(prefix="hf-psnr-") as tmp:
        work = Path(tmp)
        for sample in args.samples.split(","):
            project = prepare(sample, work)
            ours, peer = work / f"{sample}-ours.mp4", work / f"{sample}-peer.mp4"
            render_ours(project, ours, args.quality)
            render_peer(sample, peer, args.quality)
            values = psnr_per_frame(ours, peer, work)
            finite = [v for v in values if math.isfinite(v)] or [99.0]
            mean = sum(min(v, 99.0) for v in values) / max(1, len(values))
            worst = min(range(len(values)), key=lambda i: values[i]) if values else -1
            print(
                f"{sample} | {frame_count(ours)}/{frame_count(peer)} | {mean:.2f} | "
                f"{min(finite):.2f} | {worst}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
