"""MP4 colour as HyperFrames writes it: the page's sRGB pixels converted with the BT.709 matrix
into limited range, each value rounded to nearest, and the stream tagged BT.709 / tv (what
players assume for HD video; FFmpeg's untagged default would be BT.601)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support import write_project

from hyperframes_desktop.render import RenderJob, RenderOptions

pytestmark = pytest.mark.slow

#: Pale colours whose BT.709 chroma sits near a half step: a truncating conversion is off by
#: one there, and a BT.601 one by one or two.
COLOURS = [(248, 251, 255), (255, 253, 250), (30, 60, 200), (40, 200, 90)]
W, H, BLOCK = 320, 180, 80


def _bt709_limited(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    r, g, b = rgb
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    scale = 224 / 255
    return (
        round(16 + y * 219 / 255),
        round(128 + (b - y) / 1.8556 * scale),
        round(128 + (r - y) / 1.5748 * scale),
    )


def _html() -> str:
    blocks = "".join(
        f'<div style="position:absolute;left:{i * BLOCK}px;top:0;width:{BLOCK}px;height:{H}px;'
        f'background:rgb{c}"></div>'
        for i, c in enumerate(COLOURS)
    )
    return (
        "<!doctype html><html><head><style>html,body{margin:0}</style></head><body>"
        f'<div data-composition-id="colour" data-width="{W}" data-height="{H}" data-duration="0.2"'
        f' data-fps="10" data-no-timeline style="position:relative">{blocks}</div></body></html>'
    )


def test_mp4_is_bt709_limited_range_rounded_and_tagged(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", _html())
    out = RenderJob(RenderOptions(project=project, output=tmp_path / "o.mp4")).run().output
    tags = json.loads(
        subprocess.run(
            ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
             "stream=pix_fmt,color_range,color_space,color_transfer,color_primaries",
             "-of", "json", str(out)],
            capture_output=True, text=True, check=True, timeout=60,
        ).stdout
    )["streams"][0]  # fmt: skip
    assert tags["pix_fmt"] == "yuv420p"
    assert (tags["color_range"], tags["color_space"]) == ("tv", "bt709"), tags
    assert (tags["color_transfer"], tags["color_primaries"]) == ("bt709", "bt709"), tags
    planes = subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-i", str(out), "-frames:v", "1",
         "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"],
        capture_output=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    cw = W // 2
    u_plane, v_plane = W * H, W * H + cw * (H // 2)
    for i, colour in enumerate(COLOURS):
        x, y = i * BLOCK + BLOCK // 2, H // 2
        got = (
            planes[y * W + x],
            planes[u_plane + (y // 2) * cw + x // 2],
            planes[v_plane + (y // 2) * cw + x // 2],
        )
        assert got == _bt709_limited(colour), (colour, got, _bt709_limited(colour))
