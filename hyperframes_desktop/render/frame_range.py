"""Frame ranges: render only frames START..END (0-based, inclusive, as HyperFrames and
Remotion count) of a composition.

The range is absolute: frame N of a range render has exactly the pixels of frame N of a full
render, and the sound is the full mix's ``[START/fps, (END+1)/fps)`` slice, so the audio is as
long as the video. ``RenderOptions.frames`` carries the range; the farm renders its chunks the
same way.
"""

from __future__ import annotations

import re

from hyperframes_desktop.render.options import RenderInputError

_RANGE = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?")


def parse_frame_range(text: str) -> tuple[int, int]:
    """``"30-59"`` → (30, 59); ``"12"`` → (12, 12). Raises RenderInputError with a sentence."""
    match = _RANGE.fullmatch(text or "")
    if match is None:
        raise RenderInputError(
            f'--frames "{text}" is not a frame range. Fix: write START-END with 0-based, '
            "inclusive frame numbers, e.g. --frames 30-59 (or one number for a single frame)."
        )
    start = int(match.group(1))
    end = int(match.group(2)) if match.group(2) is not None else start
    if start > end:
        raise RenderInputError(
            f"--frames {start}-{end} starts after it ends. Fix: put the smaller frame first, "
            f"e.g. --frames {end}-{start}."
        )
    return start, end


def resolve_frames(frames: tuple[int, int] | None, total: int) -> range:
    """The absolute frames to render out of a composition of ``total`` frames."""
    if frames is None:
        return range(total)
    start, end = int(frames[0]), int(frames[1])
    if start < 0 or end < 0:
        raise RenderInputError(
            f"The frame range {start}-{end} has a negative frame number. Fix: frames count "
            f"from 0; this composition has frames 0-{total - 1}."
        )
    if start > end:
        raise RenderInputError(
            f"The frame range {start}-{end} starts after it ends. Fix: put the smaller frame first."
        )
    if end >= total:
        raise RenderInputError(
            f"The frame range {start}-{end} is outside the composition, which has {total} "
            f"frames (0-{total - 1}). Fix: choose frames between 0 and {total - 1}."
        )
    return range(start, end + 1)
