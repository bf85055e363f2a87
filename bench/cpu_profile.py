#!/usr/bin/env python3
"""Where a render's CPU-seconds go: every process and thread of one render, by name.

    .venv/bin/python bench/cpu_profile.py [--sample nested] [--quality standard] [--runs 1]

Runs `hyperframes-desktop render` (a fresh CLI process) on a shared sample and, every
50 ms, reads utime + stime of every thread of every process in its tree from /proc (the
last reading of a thread is its total, so short-lived threads are counted up to their last
sample). Prints CPU seconds and milliseconds per frame grouped by process kind (the CLI,
capture workers, FFmpeg) and thread name (Chromium's compositor, raster workers, the
capture loop on the worker's main thread...). The whole tree's CPU-seconds are also taken
from the kernel (this process is the tree's subreaper, so every process is reaped here and
counted in RUSAGE_CHILDREN), which checks that the sampling missed little.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from render_bench import become_subreaper, children_cpu, prepare, reap_orphans  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            parents[int(fields[1])].append(int(entry))
        except (OSError, IndexError):
            continue
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, []))
    return out


def _kind(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    text = b" ".join(cmd).decode(errors="replace")
    if "render.worker" in text:
        return "capture worker"
    if "ffmpeg" in (cmd[0].decode(errors="replace") if cmd else ""):
        return "ffmpeg"
    if "hyperframes_desktop.cli" in text:
        return "cli"
    return Path(cmd[0].decode(errors="replace")).name if cmd and cmd[0] else "?"


def thread_cpu(pid: int) -> dict[int, tuple[str, float]]:
    """Each thread of ``pid``: its name and CPU-seconds (user + system) so far; {} once gone."""
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return {}
    found: dict[int, tuple[str, float]] = {}
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", "rb") as fh:
                raw = fh.read()
        except OSError:
            continue
        name = raw[raw.index(b"(") + 1 : raw.rindex(b")")].decode(errors="replace")
        fields = raw.rsplit(b")", 1)[1].split()
        found[int(tid)] = (name, (int(fields[11]) + int(fields[12])) / TICK)
    return found


def sample(root: int, totals: dict, kinds: dict[int, str]) -> None:
    for pid in _tree(root):
        # a child seen between fork and exec still shows the CLI's command line: ask again
        if pid not in kinds or (pid != root and kinds[pid] == "cli"):
            kinds[pid] = _kind(pid)
        for tid, seen in thread_cpu(pid).items():
            totals[(pid, tid)] = seen


def thread_group(name: str) -> str:
    """Collapse numbered thread names (ThreadPoolForegr, CompositorTileW...) into one row."""
    return name.rstrip("0123456789").rstrip("-_ ") or name


def profile(project: Path, quality: str, work: Path) -> tuple[dict, float, float, int]:
    cmd = [sys.executable, "-m", "hyperframes_desktop.cli", "render", str(project), "-o",
           str(work / "out.mp4"), "--quality", quality, "--json"]  # fmt: skip
    env = {**os.environ, "HYPERFRAMES_NO_TELEMETRY": "1"}
    before = children_cpu()
    t0 = time.monotonic()
    # in ``work``: from this repository's root ``python -m`` would import its package first,
    # whatever PYTHONPATH names (a --before comparison through PYTHONPATH needs this)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=work)
    totals: dict = {}
    kinds: dict[int, str] = {}
    while proc.poll() is None:
        sample(proc.pid, totals, kinds)
        time.sleep(0.05)
    out, err = proc.communicate()
    wall = time.monotonic() - t0
    reap_orphans()
    kernel_cpu = children_cpu() - before
    if proc.returncode != 0:
        raise SystemExit(f"render failed: {err.decode()[-800:]}")
    import json

    perf = json.loads(out.decode().strip().splitlines()[-1])
    groups: dict[tuple[str, str], float] = defaultdict(float)
    for (pid, _tid), (name, cpu) in totals.items():
        groups[(kinds.get(pid, "?"), thread_group(name))] += cpu
    return groups, wall, kernel_cpu, int(perf["totalFrames"])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample", default="nested")
    parser.add_argument("--quality", default="standard")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    become_subreaper()
    with tempfile.TemporaryDirectory(prefix="hf-cpu-") as tmp:
        work = Path(tmp)
        project = prepare(args.sample, work / "projects")
        for run in range(args.runs):
            groups, wall, kernel_cpu, frames = profile(project, args.quality, work)
            sampled = sum(groups.values())
            per_frame = kernel_cpu / frames * 1000
            print(f"\nrun {run + 1}: {args.sample} {args.quality}, {frames} frames, wall "
                  f"{wall:.2f} s, CPU {kernel_cpu:.2f} s (kernel) / {sampled:.2f} s (sampled), "
                  f"{per_frame:.1f} ms/frame, load {os.getloadavg()[0]:.1f}")  # fmt: skip
            print("process | thread | CPU s | ms/frame | share")
            for (kind, name), cpu in sorted(groups.items(), key=lambda kv: -kv[1]):
                if cpu < 0.05:
                    continue
                print(f"{kind} | {name} | {cpu:.2f} | {cpu / frames * 1000:.1f} | "
                      f"{cpu / sampled * 100:.0f} %")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
