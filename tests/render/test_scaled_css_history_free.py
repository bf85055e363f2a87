"""A scaled render (``--resolution`` below the composition's size) is history-free too.

The kinetic-css sample (1280x720) rendered at 320x180 (zoom 0.25): with two capture views in
one worker process, one view drew the turning square's edges differently from the other (up
to 180 levels), so which view captured a frame decided its pixels: two renders differed, and
a still (one view) differed from the render's frame on every other frame.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import copy_sample, frame_md5s

from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

#: Four frames of the square's turn: with two views, each view captures two of them.
FIRST, LAST = 0, 13


def test_a_quarter_scale_render_s_frames_equal_its_stills(tmp_path: Path) -> None:
    project = copy_sample("kinetic-css", tmp_path / "kinetic-css", with_gsap=False)
    render = RenderJob(
        RenderOptions(
            project=project, output=tmp_path / "seq", format="png-sequence",
            resolution="320x180", workers=1, frames=(FIRST, LAST),
        )
    ).run()  # fmt: skip
    differing = []
    for frame in range(FIRST, LAST + 1):
        still = render_still(
            StillOptions(
                project, frame=frame, output=tmp_path / f"{frame}.png", resolution="320x180"
            )
        )
        if frame_md5s(still.output)[0] != frame_md5s(render.output / f"frame_{frame:06d}.png")[0]:
            differing.append(frame)
    assert not differing, f"at 320x180 the stills of frames {differing} differ from the render's"
