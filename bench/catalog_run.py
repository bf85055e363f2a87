"""Render HyperFrames' public catalog, unmodified, with our CLI, and say which items fail and why.

Usage::

    python bench/catalog_run.py HF_CHECKOUT [--only examples|blocks|components] [--limit N]
        [--skip N] [--names A,B] [--frames 6] [--scale 0.25] [--clean-cache] [--markdown OUT.md]

``HF_CHECKOUT`` is a checkout of HyperFrames' repository (fetched by hand, never committed);
its ``registry/`` holds the examples, blocks and components. An example becomes a project the
way a user makes one, ``init --example NAME --video clip.mp4`` (the registry served from the
checkout on 127.0.0.1, the clip a 6 s test pattern made with FFmpeg); a block or component is
copied to a scratch folder exactly as it is. Each is rendered (a few frames at a reduced size,
so the whole catalog fits in minutes on two cores) and saved as a still at 1 s. An item counts
as rendered when both exit 0 and the still is not one flat colour. Remote libraries, fonts
and data come through the resource resolver, so the npm registry must be reachable for a
clean-cache run.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# Timings and comparisons are of fresh renders: a render-cache hit would skip the capture.
os.environ.setdefault("HYPERFRAMES_RENDER_CACHE", "off")

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "hyperframes_desktop.cli"]


@dataclass
class Outcome:
    name: str
    kind: str
    ok: bool
    seconds: float
    reason: str = ""


def _items(registry: Path, only: str | None) -> list[tuple[str, str, Path, str]]:
    """(name, kind, folder, composition file) for every item with an HTML composition."""
    found: list[tuple[str, str, Path, str]] = []
    for kind in ("examples", "blocks", "components"):
        if only and kind != only:
            continue
        base = registry / kind
        if not base.is_dir():
            continue
        for folder in sorted(p for p in base.iterdir() if p.is_dir()):
            item = folder / "registry-item.json"
            if not item.is_file():
                continue
            if (folder / "index.html").is_file():
                found.append((folder.name, kind, folder, "index.html"))
                continue
            data = json.loads(item.read_text(encoding="utf-8"))
            comps = [
                f["path"]
                for f in data.get("files", [])
                if f.get("type") == "hyperframes:composition" and f["path"].endswith(".html")
            ]
            if comps:
                found.append((folder.name, kind, folder, comps[0]))
    return found


def _size(project: Path, comp: str, scale: float) -> str | None:
    text = (project / comp).read_text(encoding="utf-8", errors="replace")
    import re

    w = re.search(r'data-width="(\d+)"', text)
    h = re.search(r'data-height="(\d+)"', text)
    if not (w and h):
        return None
    width = max(2, round(int(w.group(1)) * scale) // 2 * 2)
    height = max(2, round(int(h.group(1)) * scale) // 2 * 2)
    return f"{width}x{height}"


def _flat(png: Path) -> bool:
    """True when the image is one colour (decoded by FFmpeg: min == max per channel)."""
    out = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(png),
            "-vf",
            "signalstats,metadata=print:file=-",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    stats = dict(line.split("=", 1) for line in out.splitlines() if "lavfi.signalstats." in line)
    get = lambda k: float(stats.get(f"lavfi.signalstats.{k}", "0"))  # noqa: E731
    return get("YMIN") == get("YMAX") and get("UMIN") == get("UMAX") and get("VMIN") == get("VMAX")


def _first_line(text: str) -> str:
    """The CLI's own sentence (``hyperframes-desktop: …``), else the last line printed."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("hyperframes-desktop:"):
            return line.removeprefix("hyperframes-desktop:").strip()[:200]
    return lines[-1][:200] if lines else ""


def _serve(folder: Path) -> tuple[str, http.server.ThreadingHTTPServer]:
    """The registry folder over HTTP on 127.0.0.1 (a random port)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _test_clip(folder: Path) -> Path:
    clip = folder / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=6",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=6", "-shortest",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-y", str(clip)],
        check=True,
    )  # fmt: skip
    return clip


def _make_project(
    name: str, kind: str, folder: Path, tmp: Path, registry_url: str, clip: Path
) -> tuple[Path | None, str]:
    """The project to render, or None and why it could not be made."""
    project = tmp / name
    if kind != "examples":
        shutil.copytree(folder, project)
        return project, ""
    made = subprocess.run(
        [*CLI, "init", str(project), "--example", name, "--registry", registry_url,
         "--video", str(clip), "--non-interactive"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if made.returncode != 0:
        return None, "init --example: " + _first_line(made.stderr)
    return project, ""


def run_item(
    name: str, kind: str, folder: Path, comp: str, args: argparse.Namespace, registry_url: str,
    clip: Path,
) -> Outcome:  # fmt: skip
    started = time.monotonic()
    frames, scale = args.frames, args.scale
    with tempfile.TemporaryDirectory(prefix="hf-catalog-") as tmp_name:
        tmp = Path(tmp_name)
        project, why = _make_project(name, kind, folder, tmp, registry_url, clip)
        if project is None:
            return Outcome(name, kind, False, time.monotonic() - started, why)
        size = _size(project, comp, scale)
        common = ["-c", comp] + (["--resolution", size] if size else [])
        render = subprocess.run(
            [*CLI, "render", str(project), *common, "--quality", "draft",
             "--frames", f"0-{frames - 1}", "-o", str(tmp / "out.mp4")],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        if render.returncode != 0:
            return Outcome(
                name, kind, False, time.monotonic() - started, _first_line(render.stderr)
            )
        still = tmp / "still.png"
        shot = subprocess.run(
            [*CLI, "still", str(project), *common, "--time", "1", "-o", str(still)],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        if shot.returncode != 0:
            return Outcome(
                name, kind, False, time.monotonic() - started, "still: " + _first_line(shot.stderr)
            )
        if _flat(still):
            return Outcome(
                name, kind, False, time.monotonic() - started, "the frame at 1 s is one flat colour"
            )
        return Outcome(name, kind, True, time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout", type=Path)
    parser.add_argument("--only", choices=("examples", "blocks", "components"))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--skip", type=int, default=0, help="leave out the first N items")
    parser.add_argument("--names", default="", help="only these items (comma-separated)")
    parser.add_argument("--frames", type=int, default=6)
    parser.add_argument("--scale", type=float, default=0.25)
    parser.add_argument("--markdown", type=Path)
    parser.add_argument(
        "--clean-cache",
        action="store_true",
        help="clear the resource cache first (doctor --clear-cache)",
    )
    args = parser.parse_args(argv)
    registry = args.checkout / "registry"
    if not registry.is_dir():
        parser.error(f"{registry} is not a folder: give a checkout of HyperFrames' repository")
    if args.clean_cache:
        subprocess.run([*CLI, "doctor", "--clear-cache"], check=False, capture_output=True)
    items = _items(registry, args.only)
    if args.names:
        wanted = set(args.names.split(","))
        items = [item for item in items if item[0] in wanted]
    items = items[args.skip :]
    if args.limit:
        items = items[: args.limit]
    outcomes: list[Outcome] = []
    registry_url, server = _serve(registry)
    clip_dir = Path(tempfile.mkdtemp(prefix="hf-catalog-clip-"))
    clip = _test_clip(clip_dir)
    for name, kind, folder, comp in items:
        try:
            outcome = run_item(name, kind, folder, comp, args, registry_url, clip)
        except subprocess.TimeoutExpired:
            outcome = Outcome(name, kind, False, 300.0, "timed out after 300 s")
        outcomes.append(outcome)
        mark = "ok  " if outcome.ok else "FAIL"
        print(f"{mark} {kind:<10} {name:<40} {outcome.seconds:6.1f}s {outcome.reason}", flush=True)
    server.shutdown()
    shutil.rmtree(clip_dir, ignore_errors=True)
    passed = sum(o.ok for o in outcomes)
    lines = [f"{passed}/{len(outcomes)} catalog items render (a non-flat frame at 1 s).", ""]
    lines += ["| item | kind | result | why |", "|---|---|---|---|"]
    lines += [
        f"| {o.name} | {o.kind} | {'ok' if o.ok else 'fails'} | {o.reason.replace('|', '/')} |"
        for o in outcomes
        if not o.ok
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
