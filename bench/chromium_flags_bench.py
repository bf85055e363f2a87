#!/usr/bin/env python3
"""Chromium switches against the capture's CPU, frame by frame pixels kept or not.

    .venv/bin/python bench/chromium_flags_bench.py [--sample nested] [--transparent]
        [--runs 2] [--sets "base=;r1=--num-raster-threads=1"]

One capture process with one view (so each frame's history is the same in every run: two
views split the frames by timing) captures every frame of the sample's compiled page into a
raw file in RAM, with the render's own flags plus a set's extra switches
(``QTWEBENGINE_CHROMIUM_FLAGS``). Sets alternate run by run. Per set: the process's CPU
milliseconds per frame (all threads; Chromium's display compositor alone; its raster, which
runs on the thread pool's foreground workers; read from /proc), and how many frames are
byte-identical to the first set's frames of the same run. ``--transparent`` renders the page
without backgrounds (html, body and the root transparent, the job's alpha on), as a WebM or
MOV render does.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from cpu_profile import thread_cpu, thread_group  # noqa: E402
from render_bench import children_cpu, prepare  # noqa: E402

from hyperframes_desktop.project import load_composition  # noqa: E402
from hyperframes_desktop.render import tools  # noqa: E402
from hyperframes_desktop.render.compile import compile_page  # noqa: E402
from hyperframes_desktop.render.worker.protocol import CaptureJob  # noqa: E402

CLEAR = "<style>html,body,[data-composition-id]{background:transparent!important}</style>"


def capture(page, extra: str, work: Path, transparent: bool) -> tuple[list[str], dict, float]:
    """Frame MD5s, CPU-seconds per thread group, and the whole process's CPU-seconds."""
    ram = Path("/dev/shm") if Path("/dev/shm").is_dir() else work
    raw = ram / f"hf-flags-{os.getpid()}.raw"
    fd = os.open(raw, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    job = CaptureJob(
        html_path=str(page.html_path), width=page.width, height=page.height,
        page_height=page.page_height, first_frame=0, end_frame=page.frame_count,
        fps_num=page.fps.numerator, fps_den=page.fps.denominator, out_fd=fd, views=1,
        no_timeline=page.no_timeline, root_id=page.composition_id, transparent=transparent,
        whole_tile_raster=page.whole_tile_raster,
    )  # fmt: skip
    job_file = work / "job.json"
    job_file.write_text(job.to_json())
    flags = " ".join(f for f in (os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", ""), extra) if f)
    before = children_cpu()
    totals: dict[int, tuple[str, float]] = {}
    md5s = []
    try:  # the raw frames (1.2 GB at 1080p) never stay in RAM, whatever happens
        proc = tools.launch(
            tools.worker_command(job_file), env={"QTWEBENGINE_CHROMIUM_FLAGS": flags},
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, pass_fds=(fd,),
        )  # fmt: skip
        os.close(fd)
        while proc.poll() is None:
            totals.update(thread_cpu(proc.pid))
            time.sleep(0.05)
        out = proc.stdout.read() if proc.stdout else b""
        cpu = children_cpu() - before
        if b'"done"' not in out:
            print(f"    capture failed ({extra}): {out.decode()[-300:]}")
        size = page.width * page.height * 4
        with open(raw, "rb") as fh:
            while frame := fh.read(size):
                md5s.append(hashlib.md5(frame).hexdigest())
    finally:
        raw.unlink(missing_ok=True)
    groups: dict[str, float] = defaultdict(float)
    for name, thread_cpu_s in totals.values():
        groups[thread_group(name)] += thread_cpu_s
    return md5s, groups, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", default="nested")
    ap.add_argument("--transparent", action="store_true")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--sets", default="base=;raster1=--num-raster-threads=1")
    args = ap.parse_args()
    sets = dict(part.split("=", 1) for part in args.sets.split(";"))
    with tempfile.TemporaryDirectory(prefix="hf-flags-") as tmp:
        work = Path(tmp)
        project = prepare(args.sample, work / "projects")
        if args.transparent:
            index = project / "index.html"
            index.write_text(index.read_text().replace("</head>", CLEAR + "</head>", 1))
        page = compile_page(load_composition(project), work / "page")
        frames = page.frame_count
        cpu: dict[str, list[float]] = {n: [] for n in sets}
        viz: dict[str, list[float]] = {n: [] for n in sets}
        raster: dict[str, list[float]] = {n: [] for n in sets}
        same: dict[str, list[int]] = {n: [] for n in sets}
        first: list[str] | None = None
        print(f"{args.sample} {page.width}x{page.height}, {frames} frames, whole-tile raster "
              f"{page.whole_tile_raster}, load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
        for run in range(args.runs):
            base: list[str] | None = None
            for name, extra in sets.items():
                md5s, groups, total = capture(page, extra, work, args.transparent)
                base = md5s if base is None else base
                first = md5s if first is None else first
                equal = sum(a == b for a, b in zip(md5s, base, strict=False))
                cpu[name].append(1000 * total / frames)
                viz[name].append(1000 * groups.get("VizCompositorTh", 0.0) / frames)
                raster[name].append(1000 * groups.get("ThreadPoolForeg", 0.0) / frames)
                same[name].append(equal)
                top = sorted(groups.items(), key=lambda kv: -kv[1])[:8]
                print("   ", ", ".join(f"{n} {1000 * c / frames:.1f}" for n, c in top))
                print(f"run {run + 1} {name}: process {cpu[name][-1]:.1f} ms/frame, viz "
                      f"{viz[name][-1]:.1f}, raster {raster[name][-1]:.1f}, frames equal to "
                      f"this run's first set {equal}/{frames}, to run 1's first set "
                      f"{sum(a == b for a, b in zip(md5s, first, strict=False))}/{frames} "
                      f"({len(md5s)} written), "
                      f"load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
        print("\n| set | switches | process ms/frame | Viz ms/frame | raster ms/frame | "
              "frames byte-equal |")  # fmt: skip
        print("|---|---|---|---|---|---|")
        for name, extra in sets.items():
            print(f"| {name} | `{extra or '(none)'}` | {statistics.median(cpu[name]):.1f} | "
                  f"{statistics.median(viz[name]):.1f} | {statistics.median(raster[name]):.1f} "
                  f"| {min(same[name])}/{frames} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
