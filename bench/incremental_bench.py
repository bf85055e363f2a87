#!/usr/bin/env python3
"""Incremental re-render with the render cache (issue 17, point 4).

    .venv/bin/python bench/incremental_bench.py [--runs 3] [--quality standard] [--offset 5]
                                                [--chunk-seconds 0.5] [--json]

1. **One-clip edit on the nested 1080p sample** (GSAP added by ../shared/bench/with-gsap.sh):
   the cache is filled by one render, then each round moves the ``#footnote`` clip 10 frames
   later with the timeline's own edit (project.timeline: ``move_clip`` + ``apply_edit``, the
   studio's write-back), re-renders with the cache, and renders the same state again without
   it. Rounds alternate edit and full renders in one run; the ratio is full / edit, per round,
   reported as median and spread (target ≥ 5×). Each round renders two pairs: a cold pair
   (both renders start their own capture processes, as the CLI does) and a warm pair (both
   borrow the warm capture processes the studio keeps between renders, WarmPool), so each
   ratio compares like with like; every render says which it was. Every pair's state is new
   (the clip moves on 10 more frames), so nothing is reused that a real edit could not reuse.
   The edit render's frames are compared with the full render's (FFmpeg PSNR: the x264
   encodes differ in GOP layout, so this is the encode's agreement, not the cache's;
   tests/render/test_render_cache checks the cache bit-exactly with an intra codec).
2. **Text change in one scene of a 3-scene composition** (written here: 1280x720, 30 fps,
   three 2 s scenes): after a cached render, the middle scene's title text is changed (an
   editor's save) and the re-render must capture only that scene's chunks (frames 60-119).

``--chunk-seconds`` sets the cache's longest chunk (``incremental.render.CHUNK_SECONDS``,
a third of a second by default) for the whole run, to weigh chunk length against file size.
The machine load (``os.getloadavg``) is printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from support.projects import SAMPLES  # noqa: E402

from hyperframes_desktop.project.timeline import apply_edit, build_timeline, move_clip  # noqa: E402
from hyperframes_desktop.render import tools  # noqa: E402
from hyperframes_desktop.render.incremental import CACHE_DIR_ENV  # noqa: E402
from hyperframes_desktop.render.incremental import render as cached_render  # noqa: E402
from hyperframes_desktop.render.incremental.warm_pool import WarmPool  # noqa: E402
from hyperframes_desktop.render.options import RenderOptions  # noqa: E402
from hyperframes_desktop.render.pipeline import RenderJob, RenderResult  # noqa: E402

TARGET = 5.0
SCENES_HTML = """<!doctype html><html><head><style>
  html, body { margin: 0; width: 1280px; height: 720px; overflow: hidden; background: #0d1b2a; }
  .scene { position: absolute; left: 0; top: 0; width: 1280px; height: 720px; }
  .scene h1 { position: absolute; left: 120px; top: 260px; margin: 0; color: #fff;
              font: 700 96px "DejaVu Sans", sans-serif; }
  .scene .bar { position: absolute; left: 120px; top: 420px; height: 24px; width: 1040px;
                transform-origin: 0 50%; animation: fill 2s linear both; }
  #s1 { background: #1b263b; } #s1 .bar { background: #e07a5f; }
  #s2 { background: #3d405b; } #s2 .bar { background: #81b29a; animation-delay: 2s; }
  #s3 { background: #22333b; } #s3 .bar { background: #f2cc8f; animation-delay: 4s; }
  @keyframes fill { from { width: 0; } to { width: 1040px; } }
</style></head><body>
<div data-composition-id="scenes" data-width="1280" data-height="720" data-duration="6"
     data-fps="30" data-no-timeline>
  <div id="s1" class="scene clip" data-start="0" data-duration="2" data-track-index="0">
    <h1>Scene one</h1><div class="bar"></div></div>
  <div id="s2" class="scene clip" data-start="2" data-duration="2" data-track-index="0">
    <h1>Scene two</h1><div class="bar"></div></div>
  <div id="s3" class="scene clip" data-start="4" data-duration="2" data-track-index="0">
    <h1>Scene three</h1><div class="bar"></div></div>
</div></body></html>
"""


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min)"


def render(
    project: Path, out: Path, quality: str, cache: bool, pool: WarmPool | None = None
) -> tuple[float, RenderResult, str]:
    """Render through the engine as the studio does (with ``pool``) or as the CLI does;
    returns the wall time, the result and what the capture processes were (cold/warm)."""
    before = (pool.reused, pool.started) if pool is not None else (0, 0)
    t0 = time.monotonic()
    result = RenderJob(
        RenderOptions(project=project, output=out, quality=quality, cache=cache),
        warm_pool=pool,
    ).run()
    took = time.monotonic() - t0
    if pool is None:
        processes = "cold"
    else:
        reused, started = pool.reused - before[0], pool.started - before[1]
        processes = "warm" if reused and not started else f"{reused} warm, {started} cold"
    return took, result, processes


def _span(frames: list[int]) -> str:
    return f"{frames[0]}-{frames[-1]}" if frames else "none"


def psnr(a: Path, b: Path) -> str:
    done = tools.launch(
        [tools.find_tool("ffmpeg"), "-hide_banner", "-nostdin", "-i", str(a), "-i", str(b),
         "-lavfi", "[0:v][1:v]psnr", "-f", "null", "-"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    _, err = done.communicate(timeout=600)
    found = re.search(rb"average:(\S+) min:(\S+)", err)
    return f"average {found[1].decode()} dB, min {found[2].decode()} dB" if found else "n/a"


def prepare_nested(work: Path) -> Path:
    dest = work / "nested"
    script = SAMPLES.parent / "bench" / "with-gsap.sh"
    subprocess.run(
        ["bash", str(script), str(SAMPLES / "nested"), str(dest)],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return dest


def _move_footnote(project: Path) -> None:
    timeline = build_timeline(project)
    clip = timeline.clip("footnote")
    assert clip is not None
    apply_edit(move_clip(timeline, "footnote", clip.start_frame + 10), timeline)


def _pair(project: Path, work: Path, name: str, quality: str, pool: WarmPool | None) -> dict:
    """Move the clip, re-render with the cache, then render the same state without it."""
    _move_footnote(project)
    edit_s, edit, edit_procs = render(project, work / f"{name}-edit.mp4", quality, True, pool)
    full_s, full, full_procs = render(project, work / f"{name}-full.mp4", quality, False, pool)
    assert edit.cache is not None
    return {
        "edit_s": round(edit_s, 2),
        "full_s": round(full_s, 2),
        "ratio": round(full_s / edit_s, 2),
        "processes": {"edit": edit_procs, "full": full_procs},
        "captured": edit.cache.captured,
        "passes": edit.cache.passes,
        "reused": edit.cache.reused,
        "captured_frames": [edit.cache.captured_frames[:1], edit.cache.captured_frames[-1:]],
        "fingerprint_s": round(edit.cache.fingerprint_ms / 1000, 2),
        "hash_s": round(edit.cache.hash_ms / 1000, 2),
        "edit_phases_s": _phases(edit, edit_s),
        "edit_bytes": edit.perf.outputBytes,
        "full_bytes": full.perf.outputBytes,
        "load": load(),
    }


def _phases(result: RenderResult, total_s: float) -> dict:
    """Where an edit re-render's wall time went (s): compile (and audio), the fingerprint
    pass (of which the page's hashing), capturing and encoding the changed chunks (with the
    cache look-ups), the stream-copy join (+faststart, sound), and the rest (scratch folder,
    publishing, the memory sampler's last reading)."""
    stages = {k: v / 1000 for k, v in result.perf.stages.items()}
    fingerprint = stages.get("fingerprintMs", 0.0)
    phases = {
        "compile": stages.get("compileMs", 0.0) + stages.get("audioProcessMs", 0.0),
        "fingerprint": fingerprint,
        "of_which_hashing": (result.cache.hash_ms / 1000) if result.cache else 0.0,
        "capture_changed_chunks": stages.get("captureMs", 0.0),
        "join": stages.get("assembleMs", 0.0),
    }
    counted = sum(v for k, v in phases.items() if k != "of_which_hashing")
    phases["other"] = max(0.0, total_s - counted)
    return {k: round(v, 2) for k, v in phases.items()}


def _summary(rounds: list[dict]) -> dict:
    ratios = [r["ratio"] for r in rounds]
    return {
        "ratio_median": round(statistics.median(ratios), 2),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "edit_s_median": round(statistics.median(r["edit_s"] for r in rounds), 2),
        "full_s_median": round(statistics.median(r["full_s"] for r in rounds), 2),
        "met": statistics.median(ratios) >= TARGET,
    }


def one_clip_edit(work: Path, runs: int, quality: str, offset: int = 0) -> dict:
    """Each round: a cold pair (both renders start their capture processes, as the CLI
    does), then a warm pair (both borrow the studio's warm processes); each pair renders a
    new state, the edit with the cache and the same state without it. ``offset``: the clip
    starts this many frames later before the cache is filled (off the 10-frame grid counted
    from frame 0, where the other clips' pieces are cut: a fixed grid made every 10-frame
    move straddle two chunks; chunks cut at clip boundaries start at the clip)."""
    project = prepare_nested(work)
    if offset:
        timeline = build_timeline(project)
        clip = timeline.clip("footnote")
        assert clip is not None
        apply_edit(move_clip(timeline, "footnote", clip.start_frame + offset), timeline)
    pool = WarmPool()
    try:
        cold_s, cold, _ = render(project, work / "cold.mp4", quality, True, pool)  # fills both
        cold_rounds, warm_rounds = [], []
        for k in range(runs):
            cold_rounds.append(_pair(project, work, f"cold-{k}", quality, None))
            print(f"  round {k + 1} cold: {cold_rounds[-1]}", flush=True)
            warm_rounds.append(_pair(project, work, f"warm-{k}", quality, pool))
            print(f"  round {k + 1} warm: {warm_rounds[-1]}", flush=True)
    finally:
        pool.stop()
    last = runs - 1
    return {
        "cold_cached_s": round(cold_s, 2),
        "cold_report": cold.cache.sentence() if cold.cache else "",
        "cold_rounds": cold_rounds,
        "warm_rounds": warm_rounds,
        "cold": _summary(cold_rounds),
        "warm": _summary(warm_rounds),
        "target": TARGET,
        "psnr_edit_vs_full": psnr(work / f"warm-{last}-edit.mp4", work / f"warm-{last}-full.mp4"),
    }


def text_change(work: Path, quality: str) -> dict:
    project = work / "scenes"
    project.mkdir()
    (project / "index.html").write_text(SCENES_HTML, encoding="utf-8")
    first_s, first, _ = render(project, work / "scenes-1.mp4", quality, True)
    html = SCENES_HTML.replace("<h1>Scene two</h1>", "<h1>Scene two, edited</h1>")
    (project / "index.html").write_text(html, encoding="utf-8")
    again_s, again, _ = render(project, work / "scenes-2.mp4", quality, True)
    assert first.cache is not None and again.cache is not None
    captured = again.cache.captured_frames
    return {
        "first_s": round(first_s, 2),
        "again_s": round(again_s, 2),
        "report": again.cache.sentence(),
        "captured_frames": _span(captured),
        "only_scene_two": captured == list(range(60, 120)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quality", default="standard")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--offset",
        type=int,
        default=0,
        help="start the moved clip this many frames later first (off the 10-frame grid)",
    )
    parser.add_argument(
        "--chunk-seconds",
        type=float,
        default=None,
        help="the render cache's longest chunk in seconds (default: the renderer's own)",
    )
    args = parser.parse_args()
    if args.chunk_seconds is not None:
        cached_render.CHUNK_SECONDS = args.chunk_seconds
    print(f"chunks of at most {cached_render.chunk_frames_for(30.0)} frames at 30 fps", flush=True)
    with tempfile.TemporaryDirectory(prefix="hf-incremental-") as tmp:
        work = Path(tmp)
        os.environ[CACHE_DIR_ENV] = str(work / "render-cache")
        print(f"load before: {load()}", flush=True)
        print("1. one-clip edit on nested 1080p", flush=True)
        edit = one_clip_edit(work, args.runs, args.quality, args.offset)
        print("2. text change in one of three scenes", flush=True)
        scenes = text_change(work, args.quality)
    report = {"one_clip_edit": edit, "text_change": scenes, "load_after": load()}
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for kind, what in (
            ("cold", "cold processes, as the CLI"),
            ("warm", "warm processes, as the studio"),
        ):
            got = edit[kind]
            print(
                f"one-clip edit, {what}: {got['ratio_median']}x faster than a full render "
                f"(median of {args.runs}; {got['ratio_min']}-{got['ratio_max']}x; edit "
                f"{got['edit_s_median']} s, full {got['full_s_median']} s; target {TARGET}x: "
                f"{'met' if got['met'] else 'NOT met'})"
            )
        rounds = edit["cold_rounds"] + edit["warm_rounds"]
        print(
            f"sizes: cached MP4 {statistics.median(r['edit_bytes'] for r in rounds) / 1e6:.3f} MB, "
            f"--no-cache MP4 {statistics.median(r['full_bytes'] for r in rounds) / 1e6:.3f} MB; "
            f"frames captured per edit: {[r['captured_frames'] for r in rounds]}"
        )
        print(f"PSNR warm edit vs warm full: {edit['psnr_edit_vs_full']}")
        print(
            f"text change: captured frames {scenes['captured_frames']} "
            f"({'only scene two' if scenes['only_scene_two'] else 'NOT only scene two'}); "
            f"{scenes['report']} {scenes['again_s']} s vs {scenes['first_s']} s cold"
        )
    return 0 if edit["warm"]["met"] and scenes["only_scene_two"] else 1


if __name__ == "__main__":
    sys.exit(main())
