"""The frame strip (the per-frame colour below the stage that says a seek is on screen) is a
corner, not a row: Chromium redraws one rectangle around everything a seek changed, so a
strip as wide as the stage made every frame redraw the whole width from the moving elements
down to the bottom edge. It must still be readable where the capture view probes it, at
every scale down to the smallest (0.25x)."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from support import frame_rgb, write_project
from support.media import pixel
from support.projects import REPO_ROOT
from support.rendering import cli_env

from hyperframes_desktop.render.compile import STRIP_HEIGHT, STRIP_WIDTH
from hyperframes_desktop.render.worker.pages import strip_colour

pytestmark = pytest.mark.slow

PAGE = """<!doctype html><html><head><style>
html, body { margin: 0; width: 640px; height: 360px; background: #fff; }
@keyframes slide { from { transform: translateX(0); } to { transform: translateX(400px); } }
#box { position: absolute; left: 20px; top: 300px; width: 60px; height: 60px;
       background: #000; animation: slide 1s linear both; }
</style></head><body>
<div id="root" data-composition-id="strip" data-width="640" data-height="360"
     data-duration="1" data-fps="10" data-no-timeline><div id="box"></div></div></body></html>"""

FRAMES = [3, 7]


@pytest.mark.parametrize("scale", [1.0, 0.25])
def test_the_frame_strip_is_a_corner_readable_at_every_scale(tmp_path: Path, scale: float) -> None:
    project = write_project(tmp_path / "p", PAGE)
    out = tmp_path / "grabs"
    proc = subprocess.run(
        [sys.executable, str(REPO_ROOT / "tests" / "support" / "scrub.py"), "--scale", str(scale),
         "--whole", str(project), str(out), *map(str, FRAMES)],
        env=cli_env(tmp_path), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    stage_rows = round(360 * scale)
    corner = math.ceil(STRIP_WIDTH * scale)
    for frame in FRAMES:
        grab = frame_rgb(out / f"frame_{frame:06d}.png", 0)
        assert (grab.width, grab.height) == (round(640 * scale), stage_rows + STRIP_HEIGHT)
        for y in range(stage_rows + 1, stage_rows + STRIP_HEIGHT):
            # the column the capture view probes (x = 2) carries this frame's colour...
            assert pixel(grab, 2, y) == strip_colour(frame), f"frame {frame}, row {y}"
            # ...and past the corner the rows below the stage are the page's, unchanged
            outside = [x for x in range(corner + 1, grab.width) if pixel(grab, x, y) != (255,) * 3]
            assert not outside, (
                f"frame {frame}, row {y}: the strip reaches x={max(outside)} "
                f"(a corner of {corner} device columns expected)"
            )
