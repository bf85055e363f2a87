"""Cost of a CDN library with a warm cache: the same GSAP composition rendered with
``<script src="gsap.min.js">`` (a local copy) and with the jsDelivr URL, resolved through the
fake npm registry (tests/support/npm_registry.py, real GSAP tarball) into a cache warmed by
one render first. Renders alternate, median of N each; whole-render wall time.

    python bench/resources_bench.py [--runs 7]

Target (issue 20): the CDN render costs < 50 ms more than the local one.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

CDN = "https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="hf-res-bench-"))
    os.environ["HYPERFRAMES_NO_TELEMETRY"] = "1"
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["HYPERFRAMES_RESOURCE_CACHE"] = str(home / "cache")
    from support.compositions import gsap_html
    from support.npm_registry import FakeNpmRegistry
    from support.projects import gsap_js

    from hyperframes_desktop.render import RenderJob, RenderOptions

    registry = FakeNpmRegistry.start(home / "registry")
    try:
        registry.add_real("gsap", "3.14.2")
        os.environ["NPM_CONFIG_REGISTRY"] = registry.url
        local = home / "local"
        local.mkdir()
        (local / "index.html").write_text(gsap_html(), encoding="utf-8")
        shutil.copyfile(gsap_js(), local / "gsap.min.js")
        cdn = home / "cdn"
        cdn.mkdir()
        html = gsap_html().replace('<script src="gsap.min.js">', f'<script src="{CDN}">')
        (cdn / "index.html").write_text(html, encoding="utf-8")

        def render(project: Path, n: int) -> float:
            t0 = time.monotonic()
            RenderJob(RenderOptions(project=project, output=home / f"{project.name}-{n}.mp4")).run()
            return time.monotonic() - t0

        render(cdn, -1)  # warms the cache (and Chromium's own first start)
        render(local, -1)
        before = len(registry.requests())
        times: dict[str, list[float]] = {"local": [], "cdn": []}
        for n in range(args.runs):
            times["local"].append(render(local, n))
            times["cdn"].append(render(cdn, n))
        assert len(registry.requests()) == before, "a warm cache asked the registry"
    finally:
        registry.stop()
        shutil.rmtree(home, ignore_errors=True)
    local_s, cdn_s = statistics.median(times["local"]), statistics.median(times["cdn"])
    print(f"runs: {args.runs} each, 640x360, 20 frames, GSAP 3.14.2")
    print(f"local gsap.min.js  median {local_s * 1000:.0f} ms  ({_spread(times['local'])})")
    print(f"CDN, warm cache    median {cdn_s * 1000:.0f} ms  ({_spread(times['cdn'])})")
    print(f"difference         {(cdn_s - local_s) * 1000:+.0f} ms (target < +50 ms)")
    return 0


def _spread(values: list[float]) -> str:
    return f"min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f} ms"


if __name__ == "__main__":
    raise SystemExit(main())
