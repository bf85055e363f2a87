"""Adjacent changed chunks captured with one encoder: a run.

An edit that crosses a chunk boundary changes two neighbouring chunks. Captured one by one,
each paid its own encoder start, its capture processes' ramp-up and the encoder's drain after
its last frame. A run captures their frames in one pass into one FFmpeg, which cuts the
output into one segment per chunk with the segment muxer: a keyframe is forced on every
chunk's first frame (an IDR, GOPs closed: no frame refers across it) and the muxer starts a
new file there, timestamps reset. Each segment is then what a chunk's own encoder writes:
it decodes alone, the cache keeps it as that chunk's, and the stream-copy join of any mix of
such segments is exact (tests/render/test_render_cache.py).

Formats: MP4 (H.264 in MPEG-TS) and MOV (ProRes, intra-only). WebM, GIF and PNG sequences
capture chunk by chunk as before.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from hyperframes_desktop.render.farm.chunks import Chunk
from hyperframes_desktop.render.farm.segments import SegmentSpec
from hyperframes_desktop.render.formats import FORMATS
from hyperframes_desktop.render.options import RenderError

#: the segment muxer's format for each format a run can share one encoder in
_SEGMENT_FORMATS = {"mp4": "mpegts", "mov": "mov"}
#: the parts' list (name, start and end time of each), written by the segment muxer
PARTS_LIST = "parts.csv"


def shares_encoder(fmt: str) -> bool:
    return fmt in _SEGMENT_FORMATS


@dataclass(frozen=True)
class RunSpec(SegmentSpec):
    """A SegmentSpec whose output is cut into parts: ``cuts`` are the frames (counted from
    the run's first) where a chunk, and so a part, starts."""

    cuts: tuple[int, ...] = ()
    parts_list: str = ""

    def codec_args(self, quality: str, rate: list[str] | None = None) -> list[str]:
        args = super().codec_args(quality, rate)
        if self.name == "mp4":  # ProRes frames are all keyframes
            forced = "+".join(f"eq(n,{cut})" for cut in self.cuts)
            args += ["-force_key_frames", f"expr:{forced}", "-forced-idr", "1"]
        return args

    def muxer_args(self) -> list[str]:
        args = ["-f", "segment", "-segment_format", _SEGMENT_FORMATS[self.name]]
        args += ["-segment_frames", ",".join(str(cut) for cut in self.cuts)]
        args += ["-segment_list", self.parts_list, "-segment_list_type", "csv"]
        args += ["-reset_timestamps", "1"]
        if self.name == "mp4":
            args += ["-muxdelay", "0", "-muxpreload", "0"]
        return args


def run_spec(fmt: str, run: list[Chunk], folder: Path) -> RunSpec:
    base = FORMATS[fmt]
    cuts = tuple(chunk.start - run[0].start for chunk in run[1:])
    return RunSpec(base.name, base.alpha, None, cuts, str(folder / PARTS_LIST))


def part_pattern(fmt: str, folder: Path) -> Path:
    ext = ".ts" if fmt == "mp4" else f".{fmt}"
    return folder / f"part-%03d{ext}"


def checked_parts(folder: Path, run: list[Chunk], fps: Fraction) -> list[Path]:
    """The run's parts in order, after checking from the muxer's list that there is one per
    chunk and that each starts on its chunk's first frame (a part holding another chunk's
    frames would be kept in the cache under the wrong fingerprints). The list gives each
    part's first and end presentation time; in MPEG-TS those of every part but the first
    are late by the encoder's B-frame delay, which must be the same for all."""
    try:
        with (folder / PARTS_LIST).open(encoding="utf-8", newline="") as listing:
            rows = [row for row in csv.reader(listing) if row]
    except OSError:
        rows = []
    ok = len(rows) == len(run) > 1
    if ok:
        starts = [Fraction(row[1]) for row in rows]
        end = Fraction(rows[-1][2])
        frame = 1 / fps
        delay = starts[1] - (run[1].start - run[0].start) * frame
        expected = [(chunk.start - run[0].start) * frame + delay for chunk in run[1:]]
        expected.append((run[-1].end + 1 - run[0].start) * frame + delay)
        got = [*starts[1:], end]
        ok = 0 <= delay <= 4 * frame and all(
            abs(a - b) < frame / 2 for a, b in zip(got, expected, strict=True)
        )
    parts = [folder / row[0] for row in rows]
    if not ok or not all(part.is_file() for part in parts):
        frames = f"{run[0].start}-{run[-1].end}"
        raise RenderError(
            f"FFmpeg did not cut frames {frames} into {len(run)} chunk segments as asked; this "
            "is a bug in the renderer. Render again with --no-cache.",
            stage="encode",
        )
    return parts
