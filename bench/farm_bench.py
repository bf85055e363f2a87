#!/usr/bin/env python3
"""Render-farm benchmark on a loopback Dask cluster (issue 11, "Benchmark").

    .venv/bin/python bench/farm_bench.py [--sample nested] [--quality standard] [--runs 2]
                                         [--chunk-sizes 10,25,50,75] [--json]

What it measures, on the shared 1080p sample (GSAP added by ../shared/bench/with-gsap.sh):

1. **Serial parts** (on the client, once per render): the Plan (compile, video extract, audio
   mix, bundle), the bundle transfer to a worker that has nothing cached yet, and the
   Assemble (stream-copy concat, sound mux, faststart), from a farm render's own stages.
2. **Per-chunk costs against chunk size** on a one-worker cluster (the worker has the
   machine to itself, as a farm node would): the chunk phase for several chunk sizes, fitted
   to ``chunk time = fixed + frames × per_frame`` (least squares).
3. **Speed-up model** for 2, 4, 8 and 16 workers: Amdahl's law with the measured serial
   fraction ``s = serial / (serial + parallel work on one worker)``, and the same with the
   per-chunk fixed cost of the default chunk size for that many workers added.
4. **Overhead budget**: a 2-worker loopback farm (both workers share this machine's 2 cores
   with the client) against a local render of the same sample; target ≤ 1.25× the local
   time. Local and farm runs alternate and the best of ``--runs`` of each is compared.

The machine load (``os.getloadavg``) is printed with the figures: other work on the machine
slows both sides, but not necessarily equally.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
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
sys.path.insert(0, str(REPO / "tests"))  # the loopback cluster helper the tests use

from support.farm import farm_processes, start_cluster, wait_for_workers  # noqa: E402
from support.projects import SAMPLES  # noqa: E402

from hyperframes_desktop.render import RenderOptions  # noqa: E402
from hyperframes_desktop.render.backends import LocalBackend  # noqa: E402
from hyperframes_desktop.render.farm import FarmBackend, FarmSettings  # noqa: E402
from hyperframes_desktop.render.farm.backend import connect  # noqa: E402
from hyperframes_desktop.render.farm.chunk_costs import ChunkCost, chunk_frames_for  # noqa: E402
from hyperframes_desktop.render.farm.chunks import default_chunk_frames  # noqa: E402
from hyperframes_desktop.render.farm.plan import make_plan  # noqa: E402
from hyperframes_desktop.render.farm.transfer import send_bundle  # noqa: E402
from hyperframes_desktop.render.output import remove_partial  # noqa: E402

os.environ.setdefault("HYPERFRAMES_RENDER_CACHE", "off")  # a cache hit is not a render

WORKER_COUNTS = (2, 4, 8, 16)
#: Farm workers as they run in production: each keeps a spare chunk host, its capture
#: processes up before any render (``--no-spare``: workers without one)
SPARE_ON = {"HYPERFRAMES_FARM_SPARE_HOST": "1"}
_PLAN_STAGES = ("compileMs", "videoExtractMs", "audioProcessMs", "bundleMs")
BUDGET = 1.25


def prepare(sample: str, work: Path) -> Path:
    dest = work / sample
    script = SAMPLES.parent / "bench" / "with-gsap.sh"
    subprocess.run(
        ["bash", str(script), str(SAMPLES / sample), str(dest)],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return dest


def spares_settled(cluster, expected: int, timeout: float = 60.0) -> None:
    """Wait until each worker's spare capture processes are up and idle, so a spare booting
    after a farm render never competes with the next (local) render's CPU."""
    import psutil

    deadline = time.monotonic() + timeout
    last = -1.0
    while time.monotonic() < deadline:
        standby = [
            p for p in farm_processes(cluster) if "--standby" in (p.info.get("cmdline") or [])
        ]
        cpu = 0.0
        for proc in standby:
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                cpu += times.user + times.system
        if len(standby) >= expected and abs(cpu - last) < 0.02:
            return
        last = cpu
        time.sleep(0.5)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min)"


def local_render(project: Path, out: Path, quality: str) -> dict:
    t0 = time.monotonic()
    result = LocalBackend().render(RenderOptions(project=project, output=out, quality=quality))
    return {"wall_s": time.monotonic() - t0, "stages": result.perf.stages}


def farm_render(address: str, project: Path, out: Path, quality: str, chunk: int | None) -> dict:
    t0 = time.monotonic()
    backend = FarmBackend(FarmSettings(address, chunk_frames=chunk))
    result = backend.render(RenderOptions(project=project, output=out, quality=quality))
    perf = result.perf
    seen: set[str] = set()
    first, later, phases, frame_s, client_extra = [], [], [], [], []
    for cost in backend.chunk_costs:  # in the order chunks were collected
        if {"client_ms", "fixed_ms", "frame_ms", "frames"} <= cost.keys():
            # what the client saw beyond the runner's own time: Dask's round trips, the
            # progress relay, the segment fetch
            runner_ms = cost["fixed_ms"] + cost["frame_ms"] * cost["frames"]
            client_extra.append(max(0.0, cost["client_ms"] - runner_ms) / 1000.0)
        (later if cost["worker"] in seen else first).append(cost["fixed_ms"] / 1000.0)
        if cost["worker"] in seen and cost.get("phases"):
            phases.append(cost["phases"])
        if "frame_ms" in cost:
            frame_s.append(cost["frame_ms"] / 1000.0)
        seen.add(cost["worker"])
    return {
        "fixed_first_s": first,
        "first_phases": [c.get("phases") for c in backend.chunk_costs if not c.get("warm")],
        "fixed_later_s": later,
        "phases_later": phases,
        "frame_s": frame_s,
        "client_extra_s": client_extra,
        "submit_s": [c["submit_ms"] / 1000.0 for c in backend.chunk_costs if "submit_ms" in c],
        "collect_s": [c["collect_ms"] / 1000.0 for c in backend.chunk_costs if "collect_ms" in c],
        "wall_s": time.monotonic() - t0,
        "stages": perf.stages,
        "chunks": perf.farmChunks,
        "workers": perf.farmWorkers,
        "frames": perf.totalFrames,
    }


def plan_and_transfer(address: str, project: Path, work: Path, quality: str) -> dict:
    """The Plan alone, then the bundle sent to every worker (their caches are empty)."""
    cancel = threading.Event()
    scratch = Path(tempfile.mkdtemp(prefix="plan-", dir=work))
    options = RenderOptions(project=project, output=work / "plan-only.mp4", quality=quality)
    t0 = time.monotonic()
    plan = make_plan(options, scratch, cancel, lambda _stage: None)
    plan_s = time.monotonic() - t0
    client = connect(FarmSettings(address))
    try:
        transfers = []
        for worker in sorted(client.nthreads()):
            t0 = time.monotonic()
            sent = send_bundle(client, worker, plan.bundle, cancel)
            transfers.append({"seconds": time.monotonic() - t0, "bytes": sent})
        t0 = time.monotonic()
        again = send_bundle(client, sorted(client.nthreads())[0], plan.bundle, cancel)
        cached_s = time.monotonic() - t0
    finally:
        client.close()
        remove_partial(plan.partial)
        shutil.rmtree(scratch, ignore_errors=True)
    return {
        "plan_s": plan_s,
        "plan_stages": {k: round(v, 1) for k, v in plan.stages.items()},
        "bundle_bytes": plan.bundle.size,
        "transfer_s": transfers[0]["seconds"],
        "transfers": transfers,
        "cached_transfer_s": cached_s,
        "cached_bytes_sent": again,
    }


def take_ins_at_once(address: str, work: Path, count: int, size: int, runs: int = 3) -> dict:
    """What taking in ``count`` chunks that ended together costs the client, against one
    alone: ``count`` finished tasks, each naming a ``size``-byte segment on the worker as a
    chunk does, taken in by the render's own loop (``ChunkRun._check``: result, the segment
    written from the answer or fetched, fsync, commit). On a 16-worker render the last
    round's chunks end at about the same time; the model counts each extra take-in at
    ``(all − one) / (count − 1)``. One worker serves
    every fetch here (16 machines would serve theirs in parallel): not flattering."""
    from distributed import Client

    from hyperframes_desktop.render.farm import chunk_task, store
    from hyperframes_desktop.render.farm.bundle import Bundle
    from hyperframes_desktop.render.farm.chunks import split_frames
    from hyperframes_desktop.render.farm.resume import SegmentStore
    from hyperframes_desktop.render.farm.scheduler import Attempt, ChunkRun

    bundle = Bundle()
    payloads = [os.urandom(size) for _ in range(count)]
    for index, payload in enumerate(payloads):
        bundle.add_bytes(f"project/segment{index}.ts", payload)
    timings: dict[int, list[float]] = {1: [], count: []}
    with Client(address, timeout=30) as client:
        worker = sorted(client.nthreads())[0]
        send_bundle(client, worker, bundle, threading.Event())
        there = Path(client.run(store.bundle_dir, bundle.digest, workers=[worker])[worker])
        for attempt_no in range(runs):
            for n in (1, count):
                segments = SegmentStore(f"take-in-{n}-{attempt_no}", root=work / "take-ins")
                run = ChunkRun(client, render_id=f"takein{n}x{attempt_no}", job={}, chunks=[],
                               store=segments, settings=FarmSettings(address),
                               cancel=threading.Event(), prepare=lambda _w: True,
                               emit=lambda _p: None, elapsed=lambda: 0.0, total_frames=n * 10,
                               reused=0, reused_frames=0, chunks_total=n)  # fmt: skip
                for chunk in split_frames(0, n * 10 - 1, 10):
                    key = f"hf-chunk-takein{n}x{attempt_no}-{chunk.index}-1"
                    path = there / "project" / f"segment{chunk.index}.ts"
                    result = {"worker": worker, "files": [(str(path), "segment.ts", size)],
                              "folder": str(work / "none"), "cost": {}}  # fmt: skip
                    if size <= getattr(chunk_task, "INLINE_BYTES", -1):
                        # as a chunk answers: a small segment comes with the answer
                        result["data"] = [payloads[chunk.index]]
                    future = client.submit(dict, result, key=key, workers=[worker], pure=False)
                    run.running[key] = Attempt(chunk, key, future, f"hf-x-{key}", [worker])
                for attempt in run.running.values():
                    attempt.future.result(timeout=30)
                t0 = time.monotonic()
                while run.running:
                    for attempt in list(run.running.values()):
                        run._check(attempt, client.nthreads())
                    if run.running:
                        run._wake.wait(0.1)
                        run._wake.clear()
                timings[n].append(time.monotonic() - t0)
                run.wait_released()
                segments.discard()
    one = statistics.median(timings[1])
    every = statistics.median(timings[count])
    return {
        "count": count,
        "segment_bytes": size,
        "one_s": one,
        "all_s": every,
        "per_extra_s": max(0.0, every - one) / max(1, count - 1),
    }


def fit_line(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares ``y = a + b x``."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    b = sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
    return my - b * mx, b


def model(
    plan_assemble_s: float,
    transfer_s: float,
    frames: int,
    fixed_s: float,
    per_frame_s: float,
    first_extra_s: float = 0.0,
    gap_s: float = 0.0,
    submit_s: float = 0.0,
    collect_s: float = 0.0,
    assemble_per_segment_s: float = 0.0,
    assemble_segments: float = 0.0,
) -> list[dict]:
    """Speed-up over one worker for N workers: Amdahl with the measured serial fraction, and
    a finer model of what N workers pay (``modelled_time``): the serial client time, the
    first chunk's extra once per worker (all workers pay it at once), each round of chunks
    (fixed cost + frames), the gap between a worker's chunks from its second round on, and
    what the one client does one chunk after another: sending the first round's N tasks
    (``submit_s`` each) and taking in the last round's segments, which end at about the same
    time (``collect_s`` each, the first already in ``fixed_s``). The bundle goes to the N
    workers at once (the client prepares new workers in parallel; a bundle this small is
    latency-bound, a large one would be bound by the client's link instead). The join takes
    ``assemble_per_segment_s`` more for each segment beyond the ``assemble_segments`` of the
    runs whose join ``plan_assemble_s`` holds (FFmpeg opens and probes every segment)."""
    serial_s = plan_assemble_s + transfer_s
    cost = ChunkCost(fixed_s, per_frame_s)
    one_size = default_chunk_frames(frames, 1)

    def modelled_time(workers: int, size: int) -> float:
        chunks = math.ceil(frames / size)
        rounds = math.ceil(chunks / workers)
        first_round = min(workers, chunks)
        last_round = chunks - (rounds - 1) * workers
        return (
            serial_s
            + (chunks - assemble_segments) * assemble_per_segment_s
            + first_extra_s
            + rounds * cost.chunk_s(size)
            + (rounds - 1) * gap_s
            + (first_round - 1) * submit_s
            + (last_round - 1) * collect_s
        )

    t1 = modelled_time(1, one_size)
    s = serial_s / t1
    rows = []
    for n in WORKER_COUNTS:
        size = default_chunk_frames(frames, n)
        with_chunks = modelled_time(n, size)
        sized = chunk_frames_for(frames, n, cost)  # from the measured cost (issue 19)
        rows.append(
            {
                "workers": n,
                "serial_fraction": s,
                "amdahl": 1.0 / (s + (1.0 - s) / n),
                "amdahl_limit": 1.0 / s,
                "chunk_frames": size,
                "chunks": math.ceil(frames / size),
                "one_worker_s": t1,
                "modelled_s": with_chunks,
                "with_chunk_cost": t1 / with_chunks,
                "sized_chunk_frames": sized,
                "with_sized_chunks": t1 / modelled_time(n, sized),
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sample", default="nested")
    parser.add_argument("--quality", default="standard")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--chunk-sizes", default="10,25,50,75")
    parser.add_argument(
        "--chunk-runs", type=int, default=1, help="renders per chunk size (the fastest is kept)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument(
        "--no-spare", action="store_true", help="farm workers without a spare chunk host"
    )
    parser.add_argument(
        "--no-preload",
        action="store_true",
        help="the client does not have a worker's spare load the page before its first chunk",
    )
    args = parser.parse_args()
    sizes = [int(x) for x in args.chunk_sizes.split(",") if x]
    if args.no_preload:
        os.environ["HYPERFRAMES_FARM_PRELOAD"] = "0"
    work = Path(tempfile.mkdtemp(prefix="hf-farm-bench-"))
    os.environ.setdefault("HYPERFRAMES_FARM_SEGMENTS", str(work / "segments"))
    figures: dict = {"sample": args.sample, "quality": args.quality, "load_before": load()}
    try:
        project = prepare(args.sample, work)
        print(f"machine load before: {figures['load_before']}", file=sys.stderr)

        # 1 + 2: one worker alone on this machine: serial parts and per-chunk costs
        worker_env = None if args.no_spare else SPARE_ON
        figures["spare"] = not args.no_spare
        one = start_cluster(work / "cluster-1", workers=1, worker_env=worker_env)
        try:
            wait_for_workers(one, 1)
            figures["serial"] = plan_and_transfer(one.address, project, work, args.quality)
            print(f"plan + transfer: {figures['serial']}", file=sys.stderr)
            per_size = []
            fixed_reported: dict = {"first": [], "later": []}
            phases_later: list[dict] = []
            frame_s: list[float] = []
            client_extra: list[float] = []
            submit_s: list[float] = []
            collect_s: list[float] = []
            first_phases: list[dict] = []
            for size in sizes:
                runs = []
                for i in range(max(1, args.chunk_runs)):
                    if not args.no_spare:
                        spares_settled(one, 1)
                    out = work / f"c{size}-{i}.mp4"
                    runs.append(farm_render(one.address, project, out, args.quality, size))
                run = min(runs, key=lambda r: r["stages"]["captureMs"])
                fixed_reported["first"] += [round(x, 2) for x in run["fixed_first_s"]]
                fixed_reported["later"] += [round(x, 2) for x in run["fixed_later_s"]]
                phases_later += run["phases_later"]
                first_phases += [p for p in run["first_phases"] if p]
                frame_s += run["frame_s"]
                client_extra += run["client_extra_s"]
                submit_s += run["submit_s"]
                collect_s += run["collect_s"]
                stages = run["stages"]
                chunk_phase = stages["captureMs"] / 1000.0
                planned = sum(stages.get(k, 0.0) for k in _PLAN_STAGES) / 1000.0
                # the chunk phase beyond the chunks' own windows (start → fetched): until the
                # first chunk starts (workers prepared, its task dispatched; serial, once per
                # render) and the gaps between one worker's chunks (dispatch, polling)
                until_first = stages.get("firstChunkStartMs", 0.0) / 1000.0
                transfer = stages.get("transferMs", 0.0) / 1000.0
                in_chunks = stages.get("chunkSumMs", stages["captureMs"]) / 1000.0
                gaps = max(0.0, chunk_phase - until_first - in_chunks)
                per_size.append(
                    {
                        "chunk_frames": size,
                        "chunks": run["chunks"],
                        "chunk_phase_s": chunk_phase,
                        # each chunk's own time (start → segment fetched) when reported
                        "per_chunk_s": stages.get("chunkAvgMs", stages["captureMs"] / run["chunks"])
                        / 1000.0,
                        "assemble_s": run["stages"]["assembleMs"] / 1000.0,
                        "release_wait_s": stages.get("releaseMs", 0.0) / 1000.0,
                        "dispatch_s": max(0.0, until_first - transfer),
                        "gap_per_chunk_s": gaps / max(1, run["chunks"]),
                        "wall_s": run["wall_s"],
                        "frames": run["frames"],
                        # connect, version check, the warm hosts' release still running when
                        # the join is done, closing, scratch clean-up: what the stages miss
                        "other_s": run["wall_s"]
                        - planned
                        - chunk_phase
                        - stages["assembleMs"] / 1000.0,
                    }
                )
                print(f"one worker, chunk {size}: {per_size[-1]}", file=sys.stderr)
            # a 10-frame segment's bytes (a 16-worker render's chunks), from the last output
            ten_frames = max(1, out.stat().st_size * 10 // max(1, per_size[-1]["frames"]))
            figures["take_ins"] = take_ins_at_once(one.address, work, 15, ten_frames)
            print(f"take-ins of 15 chunks ended together: {figures['take_ins']}", file=sys.stderr)
        finally:
            one.stop()
        figures["per_chunk"] = per_size
        figures["fixed_reported"] = fixed_reported
        figures["first_phases_ms"] = first_phases
        figures["phases_later_ms"] = {
            k: round(statistics.median(p[k] for p in phases_later), 1)
            for k in ("start", "ready", "frames", "drain", "after")
            if phases_later
        }
        # A worker's first chunk starts its capture processes and loads the page; its later
        # chunks reuse them (warm). That extra is paid once per worker, not per chunk: take it
        # out of the per-chunk times before the fit, and model it once per worker.
        first_extra = 0.0
        if fixed_reported["first"] and fixed_reported["later"]:
            first_extra = max(
                0.0,
                statistics.median(fixed_reported["first"])
                - statistics.median(fixed_reported["later"]),
            )
        fixed, per_frame = fit_line(
            [
                (
                    r["chunk_frames"],
                    r["per_chunk_s"] + r["gap_per_chunk_s"] - first_extra / max(1, r["chunks"]),
                )
                for r in per_size
            ]
        )
        frames = per_size[0]["frames"]
        assemble_s = sum(r["assemble_s"] for r in per_size) / len(per_size)
        # the join's cost per segment (16 workers join 15 segments, the runs here 2 and 6):
        # never counted as negative when the runs' noise says so
        joined = sum(r["chunks"] for r in per_size) / len(per_size)
        per_segment = (
            max(0.0, fit_line([(r["chunks"], r["assemble_s"]) for r in per_size])[1])
            if len({r["chunks"] for r in per_size}) > 1
            else 0.0
        )
        figures["assemble_per_segment_s"] = per_segment
        # until the first chunk starts, beyond the transfer (counted on its own, cold)
        dispatch_s = sum(r["dispatch_s"] for r in per_size) / len(per_size)
        other_s = sum(r["other_s"] for r in per_size) / len(per_size) + dispatch_s
        gap_s = statistics.median(r["gap_per_chunk_s"] for r in per_size)
        serial_s = (
            figures["serial"]["plan_s"] + figures["serial"]["transfer_s"] + assemble_s + other_s
        )
        figures["fit"] = {
            "fixed_per_chunk_s": fixed,
            "per_frame_s": per_frame,
            "first_extra_s": first_extra,
        }
        figures["frames"] = frames
        figures["assemble_s"] = assemble_s
        figures["other_s"] = other_s
        figures["dispatch_s"] = dispatch_s
        figures["release_wait_s"] = [round(r["release_wait_s"], 3) for r in per_size]
        figures["gap_per_chunk_s"] = gap_s
        figures["client_extra_s"] = statistics.median(client_extra) if client_extra else 0.0
        figures["submit_s"] = statistics.median(submit_s) if submit_s else 0.0
        figures["collect_s"] = statistics.median(collect_s) if collect_s else 0.0
        figures["serial_s"] = serial_s
        figures["model"] = model(
            figures["serial"]["plan_s"] + assemble_s + other_s,
            figures["serial"]["transfer_s"],
            frames,
            fixed,
            per_frame,
            first_extra,
        )
        # The same model from what the chunks measured themselves (a warm chunk's fixed cost,
        # the capture's cost per frame): no fit across runs, so no load swing between them.
        # A chunk's fixed cost there is what its runner reports plus what only the client
        # sees per chunk (round trips, progress relay, fetch, the gap before the next chunk)
        if fixed_reported["later"] and frame_s:
            figures["chunk_model_inputs"] = {
                "runner_fixed_s": statistics.median(fixed_reported["later"]),
                "fixed_s": statistics.median(fixed_reported["later"]) + figures["client_extra_s"],
                "gap_s": gap_s,
                "per_frame_s": statistics.median(frame_s),
                "submit_s": figures["submit_s"],
                # an extra take-in when the last round's chunks end together (measured so)
                "collect_s": figures["take_ins"]["per_extra_s"],
                "collect_alone_s": figures["collect_s"],
            }
            inputs = figures["chunk_model_inputs"]
            figures["chunk_model"] = model(
                figures["serial"]["plan_s"] + assemble_s + other_s,
                figures["serial"]["transfer_s"],
                frames,
                inputs["fixed_s"],
                inputs["per_frame_s"],
                first_extra,
                gap_s=gap_s,
                submit_s=inputs["submit_s"],
                collect_s=inputs["collect_s"],
                assemble_per_segment_s=per_segment,
                assemble_segments=joined,
            )

        # 4: the overhead budget, 2 workers against this computer
        two = start_cluster(work / "cluster-2", workers=2, worker_env=worker_env)
        try:
            wait_for_workers(two, 2)
            local_runs, farm_runs = [], []
            for i in range(args.runs):
                if not args.no_spare:
                    spares_settled(two, 2)  # booted between renders, as on a farm
                local_runs.append(local_render(project, work / f"l{i}.mp4", args.quality))
                farm_runs.append(
                    farm_render(two.address, project, work / f"f{i}.mp4", args.quality, None)
                )
                print(
                    f"run {i + 1}: local {local_runs[-1]['wall_s']:.2f} s, "
                    f"farm {farm_runs[-1]['wall_s']:.2f} s "
                    f"({farm_runs[-1]['chunks']} chunks on {farm_runs[-1]['workers']} workers)",
                    file=sys.stderr,
                )
        finally:
            two.stop()
        best_local = min(r["wall_s"] for r in local_runs)
        best_farm = min(r["wall_s"] for r in farm_runs)
        pairs = [f["wall_s"] / lo["wall_s"] for lo, f in zip(local_runs, farm_runs, strict=True)]
        figures["budget"] = {
            "pair_ratios": [round(r, 3) for r in pairs],
            "median_pair_ratio": statistics.median(pairs),
            "local_s": [round(r["wall_s"], 2) for r in local_runs],
            "farm_s": [round(r["wall_s"], 2) for r in farm_runs],
            "farm_chunks": farm_runs[0]["chunks"],
            "farm_stages": farm_runs[0]["stages"],
            "farm_first_phases": [r["first_phases"] for r in farm_runs],
            "ratio": best_farm / best_local,
            "target": BUDGET,
            "met": best_farm / best_local <= BUDGET,
        }
        figures["load_after"] = load()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(report(figures))
    if args.json:
        print(json.dumps(figures, indent=2, default=str))
    return 0 if figures["budget"]["met"] else 1  # the overhead budget is the bench's check


def report(f: dict) -> str:
    s = f["serial"]
    lines = [
        f"## {f['sample']} ({f['frames']} frames, {f['quality']}), load {f['load_before']} "
        f"→ {f.get('load_after', '?')}",
        "",
        "Serial parts (client):",
        f"- plan {s['plan_s']:.2f} s (stages ms: {s['plan_stages']})",
        f"- bundle {s['bundle_bytes'] / 2**20:.1f} MiB, first transfer {s['transfer_s']:.2f} s, "
        f"again (cached by hash) {s['cached_transfer_s']:.3f} s / {s['cached_bytes_sent']} B",
        f"- assemble {f['assemble_s']:.2f} s (mean of the chunk-size runs; "
        f"{f.get('assemble_per_segment_s', 0.0) * 1000:.1f} ms more per segment, fitted)",
        f"- connect + version check + dispatch of the first chunk + release + clean-up "
        f"{f['other_s']:.2f} s (wall time minus stages; of it, until the first chunk started "
        f"beyond the transfer {f.get('dispatch_s', 0.0):.2f} s; warm hosts' release waited for "
        f"after the join {f.get('release_wait_s')} s)",
        f"- per chunk, seen only by the client: {f.get('client_extra_s', 0.0):.2f} s beyond the "
        f"runner's own time, {f.get('gap_per_chunk_s', 0.0):.2f} s between a worker's chunks",
        f"- serial total {f['serial_s']:.2f} s",
        "",
        "| chunk frames | chunks | chunk phase s | s per chunk |",
        "|---|---|---|---|",
    ]
    for r in f["per_chunk"]:
        lines.append(
            f"| {r['chunk_frames']} | {r['chunks']} | {r['chunk_phase_s']:.2f} | "
            f"{r['per_chunk_s']:.2f} |"
        )
    fit = f["fit"]
    lines += [
        "",
        f"Fit: chunk time = {fit['fixed_per_chunk_s']:.2f} s + frames × "
        f"{fit['per_frame_s'] * 1000:.1f} ms, plus {fit.get('first_extra_s', 0.0):.2f} s once "
        "per worker (its first chunk starts the capture processes the later ones reuse)",
        "",
        "| workers | Amdahl speed-up | with per-chunk cost | default chunk | chunks | modelled s "
        "| cost-sized chunk | speed-up with it |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in f["model"]:
        lines.append(
            f"| {r['workers']} | {r['amdahl']:.2f}x | {r['with_chunk_cost']:.2f}x | "
            f"{r['chunk_frames']} | {r['chunks']} | {r['modelled_s']:.2f} | "
            f"{r['sized_chunk_frames']} | {r['with_sized_chunks']:.2f}x |"
        )
    fixed = f.get("fixed_reported", {})
    if fixed:
        lines += [
            "",
            f"Fixed cost per chunk as the chunks report it (process start + capture set-up): "
            f"a worker's first chunk {fixed['first']}, its later chunks {fixed['later']}",
        ]
    if f.get("chunk_model"):
        inputs = f["chunk_model_inputs"]
        lines += [
            "",
            f"Model from the chunks' own costs (warm fixed {inputs['fixed_s']:.2f} s = runner "
            f"{inputs['runner_fixed_s']:.2f} s + client-side per chunk, "
            f"{inputs['per_frame_s'] * 1000:.0f} ms per frame, gap between a worker's chunks "
            f"{inputs.get('gap_s', 0.0) * 1000:.0f} ms, the client's own time per chunk: send "
            f"{inputs.get('submit_s', 0.0) * 1000:.1f} ms, take in "
            f"{inputs.get('collect_alone_s', 0.0) * 1000:.1f} ms alone, "
            f"{inputs.get('collect_s', 0.0) * 1000:.1f} ms more for each of 15 ending together "
            f"(measured: 1 in {f['take_ins']['one_s'] * 1000:.1f} ms, 15 in "
            f"{f['take_ins']['all_s'] * 1000:.1f} ms); one worker "
            f"{f['chunk_model'][0]['one_worker_s']:.2f} s, 16 workers "
            f"{f['chunk_model'][-1]['modelled_s']:.2f} s): "
            + ", ".join(
                f"{r['workers']} workers {r['with_chunk_cost']:.2f}x "
                f"(cost-sized chunks {r['with_sized_chunks']:.2f}x)"
                for r in f["chunk_model"]
            ),
        ]
    if f.get("first_phases_ms"):
        lines += ["", f"A worker's first chunk by phase (ms): {f['first_phases_ms']}"]
    if f.get("phases_later_ms"):
        lines += [
            "",
            "A later chunk's time by phase (median ms; start, ready at the first frame, frames, "
            f"encoder drain after the last frame, after): {f['phases_later_ms']}",
        ]
    b = f["budget"]
    lines += [
        "",
        f"Serial fraction {f['model'][0]['serial_fraction']:.3f}; Amdahl limit (infinitely "
        f"many workers): {f['model'][0]['amdahl_limit']:.2f}x",
        "",
        f"Overhead budget: local {b['local_s']} s, 2-worker loopback farm {b['farm_s']} s "
        f"({b['farm_chunks']} chunks): best farm / best local = {b['ratio']:.2f} "
        f"(target ≤ {b['target']}): {'MET' if b['met'] else 'NOT MET'}; run by run "
        f"(alternating) {b['pair_ratios']}, median {b['median_pair_ratio']:.2f}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
