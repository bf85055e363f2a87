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

Alternating mode (--runs N > 1, --before REV): whole-process runs only, taken in turn
(ours, before, peer, ours, before, peer...) so every side sees the same machine load, each
with its wall time and the CPU-seconds of its whole process tree (this process is the
tree's subreaper: every descendant, orphans included, is reaped here and counted in
RUSAGE_CHILDREN), and the tree's system CPU-seconds and minor page faults (counts that
barely move with the machine's load). --before REV[,REV...] renders with the code of each
git revision too (git archive'd into a temporary folder and put first on PYTHONPATH, every
side run from the work folder; the bundled fonts are linked from this checkout). Prints
every run, then medians, spreads and ratios.

    .venv/bin/python bench/render_bench.py --samples kinetic-css --quality standard \
        --runs 5 --before main --peer
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Timings and comparisons are of fresh renders: a render-cache hit would skip the capture.
os.environ.setdefault("HYPERFRAMES_RENDER_CACHE", "off")

REPO = Path(__file__).resolve().parents[1]
#: ../shared beside the checkout (main), or two levels up (a worktree in wt/NAME)
SHARED = next(
    (p / "shared" for p in (REPO.parent, REPO.parent.parent) if (p / "shared").is_dir()),
    REPO.parent / "shared",
)
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


def become_subreaper() -> None:
    """Orphans of a measured tree are re-parented to this process, so their CPU is counted."""
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def reap_orphans(timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.02)


def children_cpu() -> float:
    t = os.times()
    return t.children_user + t.children_system


def children_kernel() -> tuple[float, int]:
    """System CPU-seconds and minor page faults of every reaped descendant so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_stime, usage.ru_minflt


def measured(
    cmd: list[str], env: dict[str, str], cwd: Path | None = None
) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run ``cmd`` (in ``cwd``); its wall seconds and the CPU-seconds of its whole process
    tree."""
    before = children_cpu()
    t0 = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd)
    wall = time.monotonic() - t0
    reap_orphans()
    return proc, wall, children_cpu() - before


def ours(
    project: Path, quality: str, work: Path, code: Path | None = None
) -> tuple[float, dict, float]:
    """Wall seconds, perf summary and tree CPU-seconds of one CLI render (``code``: run
    that checkout's package instead of this one). It runs in ``work``: ``python -m`` puts
    the current folder first on sys.path, so from this repository's root every side would
    import this checkout's package, whatever PYTHONPATH says (sessions 6-7 measured
    ``--before`` that way)."""
    env = {**os.environ, "HYPERFRAMES_NO_TELEMETRY": "1"}
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code), env.get("PYTHONPATH", "")]).rstrip(":")
    proc, wall, cpu = measured(
        [sys.executable, "-m", "hyperframes_desktop.cli", "render", str(project), "-o",
         str(work / "ours.mp4"), "--quality", quality, "--json"],
        env,
        cwd=work,
    )  # fmt: skip
    if proc.returncode != 0:
        raise SystemExit(f"render failed: {proc.stderr[-800:]}")
    return wall, json.loads(proc.stdout.strip().splitlines()[-1]), cpu


def peer_measured(sample: str, quality: str, work: Path) -> tuple[float, float] | None:
    """The HyperFrames CLI's wall seconds (its own timing) and its tree's CPU-seconds."""
    script = SHARED / "bench" / "peer-render.sh"
    proc, _, cpu = measured(
        ["bash", str(script), str(SHARED / "samples" / sample), str(work / "peer.mp4"),
         "--quality", quality, "--workers", "1"],
        {**os.environ, "PEER_ISOLATED_HOME": "1"},
    )  # fmt: skip
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("peer_wall_s="):
            return (float(line.split("=", 1)[1]), cpu) if proc.returncode == 0 else None
    return None


def peer(sample: str, quality: str, work: Path) -> float | None:
    result = peer_measured(sample, quality, work)
    return result[0] if result else None


def checkout(rev: str, work: Path) -> Path:
    """The package as it was at git revision ``rev``, in a temporary folder."""
    dest = work / f"code-{rev.replace('/', '_')}"
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "hyperframes_desktop", "resources"],
        capture_output=True, check=True,
    )  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    fonts = REPO / "resources" / "fonts" / "npm"
    if fonts.is_dir() and not (dest / "resources" / "fonts" / "npm").exists():
        (dest / "resources" / "fonts" / "npm").symlink_to(fonts)
    return dest


def spread(values: list[float], fmt: str = ".2f", dash: str = "-") -> str:
    """``median (min-max)`` of ``values``, each in ``fmt`` (the benches' one way to say it)."""
    return f"{statistics.median(values):{fmt}} ({min(values):{fmt}}{dash}{max(values):{fmt}})"


def alternate(args: argparse.Namespace, work: Path) -> None:
    """Whole-process runs, the sides taken in turn; medians and ratios at the end."""
    befores = [(rev, checkout(rev, work)) for rev in (args.before or "").split(",") if rev]
    print(
        "sample | quality | side | run | wall s | tree CPU s | CPU ms/frame | "
        "seek-to-grab p50 ms | tree sys s | tree minor faults | load"
    )
    for sample in args.samples.split(","):
        project = prepare(sample, work / "projects")
        for quality in args.quality.split(","):
            results: dict[str, list[tuple[float, float]]] = {}
            kernel: dict[str, list[tuple[float, int]]] = {}
            frames = 0
            for run in range(args.runs):
                sides: list[tuple[str, Path | None]] = [("ours", None)]
                sides += [(f"before ({rev})", code) for rev, code in befores]
                if run % 2:
                    sides.reverse()
                for side, code in [*sides, *([("peer", None)] if args.peer else [])]:
                    sys0, faults0 = children_kernel()
                    if side == "peer":
                        got = peer_measured(sample, quality, work)
                        if got is None:
                            print(f"{sample} | {quality} | peer | {run + 1} | failed")
                            continue
                        wall, cpu = got
                        p50 = "-"
                    else:
                        wall, perf, cpu = ours(project, quality, work, code)
                        frames = int(perf["totalFrames"])
                        p50 = f"{perf['captureP50Ms']:.1f}"
                    sys1, faults1 = children_kernel()
                    results.setdefault(side, []).append((wall, cpu))
                    kernel.setdefault(side, []).append((sys1 - sys0, faults1 - faults0))
                    load = os.getloadavg()[0]
                    row = (sample, quality, side, run + 1, f"{wall:.2f}", f"{cpu:.2f}",
                           f"{cpu / frames * 1000:.1f}", p50, f"{sys1 - sys0:.2f}",
                           faults1 - faults0, f"{load:.1f}")  # fmt: skip
                    print(" | ".join(str(c) for c in row), flush=True)
            print(f"\n{sample} {quality}, {frames} frames, median (min-max) of {args.runs}:")
            walls = {k: [w for w, _ in v] for k, v in results.items()}
            cpus = {k: [c for _, c in v] for k, v in results.items()}
            for side in results:
                per_frame = statistics.median(cpus[side]) / frames * 1000
                sys_s = statistics.median(k[0] for k in kernel[side])
                faults = statistics.median(k[1] for k in kernel[side])
                print(f"  {side}: wall {spread(walls[side])} s, tree CPU {spread(cpus[side])} s, "
                      f"{per_frame:.1f} CPU ms/frame; sys {sys_s:.2f} s, "
                      f"{faults:.0f} minor faults")  # fmt: skip
            for side in results:
                if side == "ours":
                    continue
                w = statistics.median(walls["ours"]) / statistics.median(walls[side])
                c = statistics.median(cpus["ours"]) / statistics.median(cpus[side])
                print(f"  ours / {side}: wall {w:.3f}x, CPU {c:.3f}x")
            print(flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", default=",".join(DEFAULT_SAMPLES))
    parser.add_argument("--quality", default="draft,standard")
    parser.add_argument("--peer", action="store_true", help="also time the HyperFrames CLI")
    parser.add_argument("--runs", type=int, default=1, help="alternating runs per side")
    parser.add_argument("--before", help="git revisions to alternate with (e.g. main,abc123)")
    args = parser.parse_args()
    become_subreaper()
    if args.peer:
        subprocess.run(["bash", str(SHARED / "bench" / "peer-setup.sh")], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    if args.runs > 1 or args.before:
        with tempfile.TemporaryDirectory(prefix="hf-bench-") as tmp:
            alternate(args, Path(tmp))
        return 0
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
                    wall, perf, _ = ours(project, quality, work)
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
