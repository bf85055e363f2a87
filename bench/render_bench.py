#!/usr/bin/env python3
"""Render benchmark: our renderer on the shared samples, side by side with FFmpeg's
encode-only rate, our capture-only rate and (with --peer) the HyperFrames CLI.

    .venv/bin/python bench/render_bench.py [--samples nested,lower-third] [--quality draft,standard]
                                           [--peer] [--runs 1]

All figures for one sample come from the same run on the same machine:
  ours_s        whole-process wall time of `hyperframes-desktop render` (a fresh CLI process)
  fps           frames / ours_s
  capture_fps   capture only: the same workers writing frames to a RAM file instead of FFmpeg
  encode_fps    FFmpeg alone encoding those captured raw frames at the same preset
  serial_fps    1 / (1/capture_fps + 1/encode_fps): the rate if capture and encode queued
  peak_rss_mb   peak summed RSS of the render tree (from the perf summary)
  peak_pss_mb   the same in PSS (pages shared between processes counted once)
  peer_s        the HyperFrames CLI's wall time (peer-render.sh), with --peer
  speedup       peer_s / ours_s
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

from hyperframes_desktop.project import load_composition  # noqa: E402
from hyperframes_desktop.render import tools  # noqa: E402
from hyperframes_desktop.render.capture_stage import auto_workers  # noqa: E402
from hyperframes_desktop.render.compile import compile_page  # noqa: E402
from hyperframes_desktop.render.encoders import encode_command  # noqa: E402
from hyperframes_desktop.render.formats import FORMATS  # noqa: E402
from hyperframes_desktop.render.worker.protocol import CaptureJob  # noqa: E402

DEFAULT_SAMPLES = ["nested", "lower-third", "clips-and-tracks", "kinetic-css", "portrait-60fps"]


def prepare(sample: str, work: Path) -> Path:
    dest = work / sample
    subprocess.run(
        [
            "bash",
            str(SHARED / "bench" / "with-gsap.sh"),
            str(SHARED / "samples" / sample),
            str(dest),
        ],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return dest


def capture_only(project: Path, work: Path) -> tuple[float, Path, int, int, int]:
    """Capture every frame with the renderer's workers into a raw file; returns fps and file."""
    comp = load_composition(project)
    page = compile_page(comp, work / "page")
    total = page.frame_count
    workers = auto_workers(total)
    bounds = [round(i * total / workers) for i in range(workers + 1)]
    procs, files = [], []
    t0 = time.monotonic()
    for i in range(workers):
        ram = Path("/dev/shm") if Path("/dev/shm").is_dir() else work
        raw = ram / f"hf-bench-{os.getpid()}-{i}.raw"
        fd = os.open(raw, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        job = CaptureJob(
            html_path=str(page.html_path), width=page.width, height=page.height,
            page_height=page.page_height, first_frame=bounds[i], end_frame=bounds[i + 1],
            fps_num=page.fps.numerator, fps_den=page.fps.denominator, out_fd=fd,
            no_timeline=page.no_timeline, root_id=page.composition_id,
        )  # fmt: skip
        job_file = work / f"job-{i}.json"
        job_file.write_text(job.to_json())
        procs.append(
            tools.launch(tools.worker_command(job_file), stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, pass_fds=(fd,))
        )  # fmt: skip
        os.close(fd)
        files.append(raw)
    for proc in procs:
        out, _ = proc.communicate()
        if b'"done"' not in out:
            raise SystemExit(f"capture-only run failed: {out.decode()[-500:]}")
    elapsed = time.monotonic() - t0
    joined = files[0]
    with open(joined, "ab") as dst:
        for extra in files[1:]:
            with open(extra, "rb") as src:
                while chunk := src.read(1 << 24):
                    dst.write(chunk)
            extra.unlink()
    return total / elapsed, joined, total, page.width, page.height


def encode_only(
    raw: Path, frames: int, width: int, height: int, fps, quality: str, work: Path
) -> float:
    cmd = encode_command(
        tools.find_tool("ffmpeg"), width, height, fps, FORMATS["mp4"], quality, work / "enc.mp4"
    )
    cmd[cmd.index("pipe:0")] = str(raw)
    t0 = time.monotonic()
    subprocess.run(cmd, check=True)
    return frames / (time.monotonic() - t0)


def ours(project: Path, quality: str, work: Path) -> tuple[float, dict]:
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "render", str(project), "-o",
         str(work / "ours.mp4"), "--quality", quality, "--json"],
        capture_output=True, text=True, env={**os.environ, "HYPERFRAMES_NO_TELEMETRY": "1"},
    )  # fmt: skip
    wall = time.monotonic() - t0
    if proc.returncode != 0:
        raise SystemExit(f"render failed: {proc.stderr[-800:]}")
    return wall, json.loads(proc.stdout.strip().splitlines()[-1])


def peer(sample: str, quality: str, work: Path) -> float | None:
    script = SHARED / "bench" / "peer-render.sh"
    proc = subprocess.run(
        ["bash", str(script), str(SHARED / "samples" / sample), str(work / "peer.mp4"),
         "--quality", quality, "--workers", "1"],
        capture_output=True, text=True, env={**os.environ, "PEER_ISOLATED_HOME": "1"},
    )  # fmt: skip
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("peer_wall_s="):
            return float(line.split("=", 1)[1]) if proc.returncode == 0 else None
    return None


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", default=",".join(DEFAULT_SAMPLES))
    parser.add_argument("--quality", default="draft,standard")
    parser.add_argument("--peer", action="store_true", help="also time the HyperFrames CLI")
    args = parser.parse_args()
    if args.peer:
        subprocess.run(["bash", str(SHARED / "bench" / "peer-setup.sh")], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    header = ("sample", "size", "frames", "quality", "ours_s", "fps", "capture_fps", "encode_fps",
              "serial_fps", "peak_rss_mb", "peak_pss_mb", "peer_s", "speedup")  # fmt: skip
    print(" | ".join(header))
    with tempfile.TemporaryDirectory(prefix="hf-bench-") as tmp:
        work = Path(tmp)
        for sample in args.samples.split(","):
            project = prepare(sample, work / "projects")
            comp = load_composition(project)
            cap_fps, raw, frames, w, h = capture_only(project, work)
            try:
                for quality in args.quality.split(","):
                    enc_fps = encode_only(raw, frames, w, h, comp.fps, quality, work)
                    wall, perf = ours(project, quality, work)
                    peer_s = peer(sample, quality, work) if args.peer else None
                    serial = 1 / (1 / cap_fps + 1 / enc_fps)
                    row = (sample, f"{w}x{h}", frames, quality, f"{wall:.2f}",
                           f"{frames / wall:.1f}",
                           f"{cap_fps:.1f}", f"{enc_fps:.1f}", f"{serial:.1f}",
                           f"{perf['peakRssMb']:.0f}", f"{perf['peakPssMb']:.0f}",
                           f"{peer_s:.2f}" if peer_s else "-",
                           f"{peer_s / wall:.2f}x" if peer_s else "-")  # fmt: skip
                    print(" | ".join(str(c) for c in row), flush=True)
            finally:
                raw.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
