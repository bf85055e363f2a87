#!/usr/bin/env python3
"""What a capture worker's frame loop costs a frame, thread by thread: the seek, Blink's paint,
raster, Chromium's display compositor (Viz) and the grab, without the render around them.

    .venv/bin/python bench/view_cost.py [--sample kinetic-css] [--reps 2] [--runs 3]
                                        [--views 2] [--before REV[,REV...]]

Each run is a fresh process that loads the sample's compiled page in `--views` capture views
(the worker's own views, Chromium flags and page delivery, whole-tile raster as the render
decides it), runs the worker's frame loop over frames 0..N-1 `--reps` times (the frames are
thrown away: no encoder) and reads the CPU time of its own threads from /proc. With
`--before`, the runs alternate with the same measurement on each named git revision's code.
Steadier than a whole render's figures on a busy machine; Viz's cost follows the area a frame
changes (its damage rectangle), so this is where the frame strip's size shows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))


def _thread_cpu() -> dict[str, float]:
    """CPU seconds of this process's threads, numbered names (ThreadPoolForegr...) merged."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[str, float] = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            raw = Path(f"/proc/self/task/{tid}/stat").read_bytes()
        except OSError:
            continue
        name = raw[raw.index(b"(") + 1 : raw.rindex(b")")].decode(errors="replace")
        fields = raw.rsplit(b")", 1)[1].split()
        key = name.rstrip("0123456789").rstrip("-_ ") or name
        out[key] = out.get(key, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return out


def child(project: Path, reps: int, views: int) -> dict:
    """One measurement in this process (run with the code under test first on the path)."""
    from hyperframes_desktop.project import load_composition
    from hyperframes_desktop.render.compile import compile_page

    with tempfile.TemporaryDirectory(prefix="hf-view-cost-") as tmp:
        page = compile_page(load_composition(project), Path(tmp) / "page")
        from hyperframes_desktop.render.worker.__main__ import _configure

        _configure(page.whole_tile_raster)
        from PySide6.QtCore import QEventLoop, QTimer
        from PySide6.QtWidgets import QApplication

        from hyperframes_desktop.page_delivery import register_page_scheme

        register_page_scheme()
        app = QApplication(["hf-view-cost"])
        from hyperframes_desktop.render.worker import capture_loop
        from hyperframes_desktop.render.worker.protocol import CaptureJob

        job = CaptureJob(
            html_path=str(page.html_path), width=page.width, height=page.height,
            page_height=page.page_height, first_frame=0, end_frame=page.frame_count,
            fps_num=page.fps.numerator, fps_den=page.fps.denominator, out_fd=-1, views=views,
            no_timeline=page.no_timeline, root_id=page.composition_id,
        )  # fmt: skip
        loop = QEventLoop()
        heartbeat = QTimer()
        heartbeat.setInterval(10)
        heartbeat.start()
        delivery = capture_loop._delivery(job)
        frames = range(page.frame_count)
        loaded = capture_loop._load_views(job, loop, frames, delivery)
        errors, _, transitions = capture_loop._page_facts(
            job, loop, loaded, delivery, lambda *_a, **_k: None
        )
        before, t0 = _thread_cpu(), time.monotonic()
        for _ in range(reps):  # the worker's own frame loop; frames go nowhere
            capture_loop._capture_frames(
                job, loop, loaded, frames, lambda *_a, **_k: None, lambda _fd, _data: None,
                errors, delivery.problems, transitions,
            )  # fmt: skip
        wall, after = time.monotonic() - t0, _thread_cpu()
        frames_done = reps * page.frame_count
        del loaded, app
    threads = {k: (after[k] - before.get(k, 0.0)) * 1000 / frames_done for k in after}
    return {"frames": frames_done, "wall_ms": wall * 1000 / frames_done, "threads": threads}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample", default="kinetic-css")
    parser.add_argument("--reps", type=int, default=2, help="passes over the frames per run")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs per side")
    parser.add_argument("--views", type=int, default=2, help="capture views (a worker's: 2)")
    parser.add_argument("--before", help="git revisions to alternate with")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child), args.reps, args.views)))
        return 0
    from render_bench import checkout, prepare

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HYPERFRAMES_NO_TELEMETRY": "1"}
    with tempfile.TemporaryDirectory(prefix="hf-view-cost-") as tmp:
        work = Path(tmp)
        project = prepare(args.sample, work / "projects")
        sides: list[tuple[str, Path | None]] = [("ours", None)]
        revisions = [rev for rev in (args.before or "").split(",") if rev]
        sides += [(f"before ({rev})", checkout(rev, work)) for rev in revisions]
        results: dict[str, list[dict]] = {}
        for run in range(args.runs):
            for side, code in sides if run % 2 == 0 else sides[::-1]:
                side_env = dict(env)
                if code is not None:
                    side_env["PYTHONPATH"] = str(code)
                proc = subprocess.run(
                    [sys.executable, __file__, "--child", str(project), "--reps", str(args.reps),
                     "--views", str(args.views)],
                    env=side_env, capture_output=True, text=True, check=False,
                )  # fmt: skip
                if proc.returncode != 0:
                    raise SystemExit(f"{side} failed: {proc.stderr[-800:]}")
                got = json.loads(proc.stdout.strip().splitlines()[-1])
                results.setdefault(side, []).append(got)
                top = sorted(got["threads"].items(), key=lambda kv: -kv[1])[:5]
                print(f"{side} run {run + 1}: " + ", ".join(f"{k} {v:.1f}" for k, v in top)
                      + f" ms/frame; load {os.getloadavg()[0]:.1f}", flush=True)  # fmt: skip
        print(f"\n{args.sample}, {args.views} view(s), CPU ms a frame, median (min-max) of "
              f"{args.runs}:")  # fmt: skip
        names = sorted({k for runs in results.values() for r in runs for k in r["threads"]})
        for side, runs in results.items():
            total = [sum(r["threads"].values()) for r in runs]
            parts = []
            for name in names:
                values = [r["threads"].get(name, 0.0) for r in runs]
                if statistics.median(values) >= 0.5:
                    parts.append(f"{name} {statistics.median(values):.1f}")
            print(f"  {side}: total {statistics.median(total):.1f} ({min(total):.1f}-"
                  f"{max(total):.1f}); " + ", ".join(parts))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
