"""A video that names no YUV matrix is read as BT.709, as Chrome reads it (so its pixels
also come out of a BT.709 MP4 as they went in, as in HyperFrames' renders)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_rgb, write_project
from support.media import pixel

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

MAGENTA = (255, 0, 255)
#: H.264 colour description: matrix, primaries and transfer "unspecified" (2)
UNSPECIFIED = "h264_metadata=matrix_coefficients=2:colour_primaries=2:transfer_characteristics=2"


def _untagged_bt709_video(path: Path) -> None:
    """Magenta encoded with the BT.709 matrix, its colour description set to unspecified."""
    proc = tools.run_tool(
        "ffmpeg",
        ["-v", "error", "-nostdin", "-f", "lavfi",
         "-i", "color=c=0xff00ff:s=64x36:d=1:r=10",
         "-vf", "scale=out_color_matrix=bt709:out_range=tv,format=yuv420p",
         "-c:v", "libx264", "-qp", "0",
         "-bsf:v", UNSPECIFIED,
         "-y", str(path)],
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


def test_an_untagged_video_is_read_as_bt709(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "p",
        '<!doctype html><html><body style="margin:0"><div data-composition-id="v" '
        'data-width="64" data-height="36" data-duration="1" data-no-timeline>'
        '<video src="clip.mp4" muted data-start="0" data-duration="1" '
        'style="position:absolute;left:0;top:0;width:64px;height:36px"></video>'
        "</div></body></html>",
    )
    _untagged_bt709_video(project / "clip.mp4")
    out = render_still(StillOptions(project, time="0.5", output=tmp_path / "f.png")).output
    got = pixel(frame_rgb(out, 0), 32, 18)
    assert all(abs(a - b) <= 6 for a, b in zip(got, MAGENTA, strict=True)), got
