#!/usr/bin/env python3
"""Where a warm farm chunk's time goes, and what the segment encoder's settings do to it.

    .venv/bin/python bench/farm_chunk_phases.py [--sample nested] [--chunk 25] [--rounds 3]

One warm capture crew (as a farm worker's warm host keeps it) runs chunks of ``--chunk``
frames of the shared 1080p sample in this process, through the chunk runner's own ``run``
(no Dask: the phases inside a chunk, not the farm's round trips). The chunks alternate
between the segment encoder's settings (``segments.SEGMENT_X264_PARAMS``) and x264's
defaults with closed GOPs only (what segments used before), round after round; the first
round warms up and is not counted. Per setting: the median ms of each phase (``ready``:
until every capture process is at its first frame; ``frames``: the capture; ``drain``: the
encoder finishing after the last frame) and of the whole chunk, and the segment's size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from support.projects import SAMPLES  # noqa: E402

from hyperframes_desktop.render import RenderOptions  # noqa: E402
from hyperframes_desktop.render.capture_stage import WarmCapture  # noqa: E402
from hyperframes_desktop.render.farm import chunk_runner, segments  # noqa: E402
from hyperframes_desktop.render.farm.plan import make_plan  # noqa: E402

SETTINGS = {
    "segments now": segments.SEGMENT_X264_PARAMS,
    "x264 defaults (closed GOP)": "open-gop=0",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", default="nested")
    parser.add_argument("--chunk", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    chunk_runner._say = lambda *_args, **_fields: None  # the runner's JSON lines to its host
    work = Path(tempfile.mkdtemp(prefix="hf-chunk-phases-"))
    load_before = os.getloadavg()
    results: dict[str, list[dict]] = {name: [] for name in SETTINGS}
    warm = WarmCapture()
    try:
        project = work / args.sample
        script = SAMPLES.parent / "bench" / "with-gsap.sh"
        subprocess.run(["bash", str(script), str(SAMPLES / args.sample), str(project)],
                       check=True, stderr=subprocess.DEVNULL)  # fmt: skip
        scratch = work / "plan"
        scratch.mkdir()
        options = RenderOptions(project=project, output=work / "unused.mp4")
        plan = make_plan(options, scratch, threading.Event(), lambda _stage: None)
        html = next(scratch.rglob("composition.html"))
        total = plan.frames.stop
        n = 0
        for round_no in range(args.rounds + 1):
            for name, params in SETTINGS.items():
                segments.SEGMENT_X264_PARAMS = params
                start = (n * args.chunk) % max(1, total - args.chunk)
                n += 1
                folder = work / f"chunk-{n}"
                (folder / "scratch").mkdir(parents=True)
                job = {**plan.page_fields(), "html_path": str(html), "format": "mp4",
                       "quality": options.quality, "start": start,
                       "end": start + args.chunk - 1, "output": str(folder / "segment.ts"),
                       "scratch": str(folder / "scratch"), "workers": None}  # fmt: skip
                began = time.time()
                cost = chunk_runner.run(job, threading.Event(), warm, began)
                row = {**cost["phases"], "chunk": (time.time() - began) * 1000.0,
                       "kib": (folder / "segment.ts").stat().st_size / 1024}  # fmt: skip
                print(f"round {round_no} {name}: {row}", file=sys.stderr, flush=True)
                if round_no > 0:
                    results[name].append(row)
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        warm.stop()
        shutil.rmtree(work, ignore_errors=True)
    load_after = os.getloadavg()
    print(f"load {load_before[0]:.1f} → {load_after[0]:.1f} (1 min); {args.sample}, "
          f"{args.chunk}-frame chunks, {args.rounds} rounds")  # fmt: skip
    print("| segment encoder | ready ms | frames ms | drain ms | chunk ms | segment KiB |")
    print("|---|---|---|---|---|---|")
    for name, rows in results.items():
        med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
        print(f"| {name} | {med['ready']:.0f} | {med['frames']:.0f} | {med['drain']:.0f} | "
              f"{med['chunk']:.0f} | {med['kib']:.0f} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
