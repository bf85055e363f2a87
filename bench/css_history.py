#!/usr/bin/env python3
"""Are kinetic-css frames history-free at full size? Two whole renders, a --frames chunk and
stills, compared pixel for pixel.

    .venv/bin/python bench/css_history.py [--sample kinetic-css] [--stills 20,40,41,70]

Renders the sample (1280x720, CSS animations only) twice as PNG sequences, then frames
38-43 alone, then a still of each frame named; prints every frame that differs from the
first render, with the largest difference in levels. Too slow for the test suite at this size
(tests/render/test_css_history_free.py pins the same at 320x180); the tile-patching half of
the problem (partial raster) showed only at full size.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from render_bench import SHARED  # noqa: E402

from hyperframes_desktop.render import RenderJob, RenderOptions, tools  # noqa: E402
from hyperframes_desktop.render.still import StillOptions, render_still  # noqa: E402


def pixels(path: Path) -> bytes:
    return subprocess.run(
        [tools.find_tool("ffmpeg"), "-v", "error", "-i", str(path), "-f", "rawvideo",
         "-pix_fmt", "rgba", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip


def worst(a: bytes, b: bytes) -> int:
    return max((abs(x - y) for x, y in zip(a, b, strict=True)), default=0)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sample", default="kinetic-css")
    parser.add_argument("--stills", default="20,40,41,70")
    args = parser.parse_args()
    project = SHARED / "samples" / args.sample
    differing = 0
    with tempfile.TemporaryDirectory(prefix="hf-css-history-") as tmp:
        out = Path(tmp)
        runs = []
        for name in ("first", "second"):
            t0 = time.monotonic()
            result = RenderJob(
                RenderOptions(project=project, output=out / name, format="png-sequence")
            ).run()
            runs.append({p.name: pixels(p) for p in sorted(result.output.iterdir())})
            print(f"render {name}: {len(runs[-1])} frames, {time.monotonic() - t0:.1f} s")
        first, second = runs
        for name in first:
            if first[name] != second[name]:
                differing += 1
                print(f"  second render differs at {name} by {worst(first[name], second[name])}")
        chunk = RenderJob(
            RenderOptions(project=project, output=out / "chunk", format="png-sequence",
                          frames=(38, 43))
        ).run()  # fmt: skip
        for png in sorted(chunk.output.iterdir()):
            if pixels(png) != first[png.name]:
                differing += 1
                print(
                    f"  chunk 38-43 differs at {png.name} by {worst(pixels(png), first[png.name])}"
                )
        for frame in (int(f) for f in args.stills.split(",") if f):
            still = render_still(StillOptions(project, frame=frame, output=out / f"{frame}.png"))
            mine, theirs = pixels(still.output), first[f"frame_{frame:06d}.png"]
            if mine != theirs:
                differing += 1
            print(
                f"  still {frame}: "
                + ("equal" if mine == theirs else f"differs by {worst(mine, theirs)}")
            )
    print("history-free" if not differing else f"{differing} frames differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
