#!/usr/bin/env python3
"""x264 settings against a lossless reference of the same frames: quality, size, encoder CPU.

    .venv/bin/python bench/encoder_settings.py [--samples nested,kinetic-css,lower-third]
                                               [--runs 2] [--png DIR] [--variants NAME,...]

Each sample is rendered once by our CLI as a PNG sequence (or ``--png DIR`` is used), turned
into raw BGRA frames in /dev/shm, and every variant encodes those same frames the way the
render's encoder does (raw BGRA on the input, the same BT.709 limited-range conversion and
tags, ``encode_command`` with only the named options changed). Per variant:

  cpu_s      CPU-seconds of the FFmpeg process (user + system, RUSAGE_CHILDREN), median
  cpu_ms_f   the same per frame
  wall_s     wall time, median (noisy on a shared machine; CPU is the measure)
  size_kb    the file's size, and its ratio to HyperFrames' own setting (medium, CRF 18)
  psnr_y     PSNR of the luma plane against the lossless yuv420p of the same frames (dB)
  psnr_avg   PSNR of all planes, and ssim_all (FFmpeg's ssim, all planes)

The lossless reference is the same conversion (scale filter) written as raw yuv420p, so the
figures measure the encoder alone. Runs alternate variants (v1, v2, ..., v1, v2, ...) so each
sees the same load.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = next(
    (p / "shared" for p in (REPO.parent, REPO.parent.parent) if (p / "shared").is_dir()),
    REPO.parent / "shared",
)
sys.path.insert(0, str(REPO))

from hyperframes_desktop.render.encoders import encode_command  # noqa: E402
from hyperframes_desktop.render.formats import FORMATS  # noqa: E402

#: name → (preset, crf, extra x264/FFmpeg options). "hf" is HyperFrames' own standard setting.
VARIANTS: dict[str, tuple[str, float, list[str]]] = {
    "hf medium crf18": ("medium", 18, []),
    "fast crf18": ("fast", 18, []),
    "faster crf18": ("faster", 18, []),
    "faster crf17": ("faster", 17, []),
    "veryfast crf18": ("veryfast", 18, []),
    "veryfast crf17": ("veryfast", 17, []),
    "veryfast crf16": ("veryfast", 16, []),
    "superfast crf16": ("superfast", 16, []),
    "veryfast crf17 threads2": ("veryfast", 17, ["-threads", "2"]),
    "veryfast crf17 sliced": ("veryfast", 17, ["-x264-params", "sliced-threads=1"]),
    "medium crf18 threads2": ("medium", 18, ["-threads", "2"]),
    "medium crf18 threads1": ("medium", 18, ["-threads", "1"]),
    "medium crf18 threads6": ("medium", 18, ["-threads", "6"]),
    "medium crf18 threads12": ("medium", 18, ["-threads", "12"]),
    "medium crf18 threads24": ("medium", 18, ["-threads", "24"]),
    "medium crf18 threads1 sync-la": (
        "medium",
        18,
        ["-threads", "1", "-x264-params", "sync-lookahead=auto"],
    ),
    "veryfast crf16.5": ("veryfast", 16.5, []),
    "veryfast ref3 crf17": ("veryfast", 17, ["-x264-params", "ref=3"]),
    "veryfast ref3 crf16.5": ("veryfast", 16.5, ["-x264-params", "ref=3"]),
    "veryfast subme4 ref2 crf17": ("veryfast", 17, ["-x264-params", "subme=4:ref=2"]),
    "veryfast animation crf17": ("veryfast", 17, ["-tune", "animation"]),
    "faster trellis0 crf18": ("faster", 18, ["-x264-params", "trellis=0"]),
    "veryfast la40 crf17": ("veryfast", 17, ["-x264-params", "rc-lookahead=40"]),
    "veryfast ref3 la40 crf16.5": ("veryfast", 16.5, ["-x264-params", "ref=3:rc-lookahead=40"]),
    "veryfast animation crf16": ("veryfast", 16, ["-tune", "animation"]),
    "veryfast animation crf15.5": ("veryfast", 15.5, ["-tune", "animation"]),
    "veryfast animation crf15": ("veryfast", 15, ["-tune", "animation"]),
    "veryfast animation la40 crf16": (
        "veryfast",
        16,
        ["-tune", "animation", "-x264-params", "rc-lookahead=40"],
    ),
    "veryfast animation la40 crf15.5": (
        "veryfast",
        15.5,
        ["-tune", "animation", "-x264-params", "rc-lookahead=40"],
    ),
    "veryfast animation la40 crf15": (
        "veryfast",
        15,
        ["-tune", "animation", "-x264-params", "rc-lookahead=40"],
    ),
    "veryfast la40 crf16.5": ("veryfast", 16.5, ["-x264-params", "rc-lookahead=40"]),
    "medium subme4 crf18": ("medium", 18, ["-x264-params", "subme=4"]),
    "medium subme5 me=dia crf18": ("medium", 18, ["-x264-params", "subme=5:me=dia"]),
    "faster ref3 la40 crf18": ("faster", 18, ["-x264-params", "ref=3:rc-lookahead=40"]),
    "veryfast ref3 la40 trellis1 crf17": (
        "veryfast",
        17,
        ["-x264-params", "ref=3:rc-lookahead=40:trellis=1"],
    ),
}


def _size(png: Path) -> tuple[int, int]:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
         "stream=width,height", "-of", "csv=p=0", str(png)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    w, h = out.strip().split(",")
    return int(w), int(h)


def _render_png(sample: str, work: Path) -> Path:
    project = work / sample
    subprocess.run(
        ["bash", str(SHARED / "bench" / "with-gsap.sh"), str(SHARED / "samples" / sample),
         str(project)],
        check=True, capture_output=True,
    )  # fmt: skip
    out = work / "png"
    env = dict(os.environ, HYPERFRAMES_RENDER_CACHE="off")
    subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "render", str(project), "--format",
         "png-sequence", "--quality", "standard", "-o", str(out)],
        check=True, env=env, cwd=REPO,
    )  # fmt: skip
    return out


def _timed(cmd: list[str]) -> tuple[float, float]:
    """(CPU-seconds, wall seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(cmd, check=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def _command(raw: Path, size: tuple[int, int], variant: str, out: Path) -> list[str]:
    preset, crf, extra = VARIANTS[variant]
    cmd = encode_command("ffmpeg", *size, Fraction(30), FORMATS["mp4"], "standard", out)
    cmd[cmd.index("pipe:0")] = str(raw)
    cmd[cmd.index("-preset") + 1] = preset
    cmd[cmd.index("-crf") + 1] = f"{crf:g}"
    at = cmd.index("-profile:v")
    return cmd[:at] + extra + cmd[at:]


def _quality(mp4: Path, ref: Path, size: tuple[int, int]) -> dict[str, float]:
    graph = "[0:v]split[a][b];[1:v]split[c][d];[a][c]psnr;[b][d]ssim"
    err = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-i", str(mp4), "-f", "rawvideo", "-pix_fmt",
         "yuv420p", "-video_size", f"{size[0]}x{size[1]}", "-framerate", "30", "-i", str(ref),
         "-lavfi", graph, "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr  # fmt: skip
    psnr = re.search(r"PSNR y:([\d.]+) .*average:([\d.]+)", err)
    ssim = re.search(r"SSIM .*All:([\d.]+)", err)
    if not psnr or not ssim:
        raise SystemExit(f"no PSNR/SSIM in FFmpeg's output:\n{err[-2000:]}")
    return {"psnr_y": float(psnr[1]), "psnr_avg": float(psnr[2]), "ssim": float(ssim[1])}


#: The variants run when --variants is not given: HF's setting and the cross-sample candidates.
DEFAULT_VARIANTS = [
    "hf medium crf18",
    "fast crf18",
    "veryfast crf17",
    "medium subme5 me=dia crf18",
    "veryfast la40 crf16.5",
    "veryfast ref3 la40 trellis1 crf17",
    "veryfast animation la40 crf15",
]


def _bench_sample(png: Path, names: list[str], runs: int, work: Path, shm: Path) -> None:
    first = sorted(png.glob("*.png"))
    frames = len(first)
    size = _size(first[0])
    raw, ref = shm / "frames.bgra", shm / "ref.yuv"
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-framerate", "30",
         "-i", str(png / "frame_%06d.png"), "-f", "rawvideo", "-pix_fmt", "bgra", "-y",
         str(raw)],
        check=True,
    )  # fmt: skip
    # The reference: the encoder's own conversion, written losslessly.
    conv = _command(raw, size, "hf medium crf18", ref)
    vf = conv[conv.index("-vf") + 1]
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "rawvideo",
         "-pix_fmt", "bgra", "-video_size", f"{size[0]}x{size[1]}", "-framerate", "30",
         "-i", str(raw), "-vf", vf, "-pix_fmt", "yuv420p", "-f", "rawvideo", "-y",
         str(ref)],
        check=True,
    )  # fmt: skip
    cpu: dict[str, list[float]] = {n: [] for n in names}
    wall: dict[str, list[float]] = {n: [] for n in names}
    print(f"{frames} frames {size[0]}x{size[1]}, load {os.getloadavg()[0]:.1f}", flush=True)
    for run in range(runs):
        for name in names:
            c, w = _timed(_command(raw, size, name, work / f"{name}.mp4"))
            cpu[name].append(c)
            wall[name].append(w)
            print(f"run {run + 1} {name}: cpu {c:.2f} s wall {w:.2f} s", flush=True)
    print(f"load at the end {os.getloadavg()[0]:.1f}")
    rows = []
    for name in names:
        mp4 = work / f"{name}.mp4"  # the last run's output
        q = _quality(mp4, ref, size)
        rows.append((name, statistics.median(cpu[name]), min(cpu[name]), max(cpu[name]),
                     statistics.median(wall[name]), mp4.stat().st_size, q))  # fmt: skip
    base = next((r for r in rows if r[0] == "hf medium crf18"), rows[0])
    print("\n| variant | CPU s (min–max) | CPU ms/frame | CPU ÷ HF | wall s | size kB |"
          " size ÷ HF | PSNR Y dB | PSNR avg dB | SSIM |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, c, lo, hi, w, sz, q in rows:
        print(
            f"| {name} | {c:.2f} ({lo:.2f}–{hi:.2f}) | {1000 * c / frames:.1f} | "
            f"{c / base[1]:.2f} | {w:.2f} | {sz / 1024:.0f} | {sz / base[5]:.3f} | "
            f"{q['psnr_y']:.2f} | {q['psnr_avg']:.2f} | {q['ssim']:.5f} |"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", default="nested,kinetic-css,lower-third")
    ap.add_argument("--png", type=Path, help="a PNG sequence to use instead of rendering")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--variants", help="comma-separated names (default: the shortlist)")
    args = ap.parse_args()
    names = args.variants.split(",") if args.variants else DEFAULT_VARIANTS
    shm_root = "/dev/shm" if Path("/dev/shm").is_dir() else None
    for sample in args.samples.split(","):
        with (
            tempfile.TemporaryDirectory(prefix="enc-bench-") as tmp,
            tempfile.TemporaryDirectory(prefix="enc-bench-", dir=shm_root) as ram,
        ):
            work = Path(tmp)
            print(f"== {sample}", flush=True)
            png = args.png or _render_png(sample, work)
            _bench_sample(png, names, args.runs, work, Path(ram))


if __name__ == "__main__":
    main()
