"""How a chunk encodes its self-contained segment, per output format.

- MP4: H.264 in MPEG-TS; a fresh encoder starts on an IDR frame and x264's GOPs are closed,
  so the stream-copy concat needs no re-encode at a join.
- WebM: VP9 without alt-ref frames (``-auto-alt-ref 0``), so no frame refers across a join.
- MOV: ProRes is intra-only.
- GIF: lossless FFV1 segments; the one palette pass runs on the joined video.
- PNG sequence: files named by absolute frame number, moved into the output folder.

A chunk's encoder also holds back only a few frames. With x264's default look-ahead (40
frames at ``medium``) a 25-frame chunk is not encoded at all until its last frame is
captured, and the whole encode then follows the capture: that drain was a warm chunk's entire
"fixed cost" (2.4–5.3 s at 1080p, measured per phase, bench/RESULTS.md). A 5-frame look-ahead
and sliced threads (no frame-thread delay) let the encoder keep pace with the capture, so the
drain after the last frame is a few frames' encode. VP9 likewise gets no lag
(``-lag-in-frames 0``). The local render keeps the defaults: its one encoder overlaps the
whole capture.
"""

from __future__ import annotations

from dataclasses import dataclass

from hyperframes_desktop.render.formats import FORMATS, FormatSpec

#: closed GOPs (a join needs none of its neighbours), a short look-ahead, no frame-thread delay
SEGMENT_X264_PARAMS = "open-gop=0:rc-lookahead=5:sync-lookahead=0:sliced-threads=1"

_SEGMENT_EXTENSIONS = {
    "mp4": ".ts",
    "webm": ".webm",
    "mov": ".mov",
    "gif": ".mkv",
    "png-sequence": "",
}


@dataclass(frozen=True)
class SegmentSpec(FormatSpec):
    """A FormatSpec for one chunk's segment: no sound (mixed in once at assembly)."""

    @property
    def extension(self) -> str:
        return _SEGMENT_EXTENSIONS[self.name]

    @property
    def needs_palette_pass(self) -> bool:
        return False  # GIF segments stay lossless; the palette pass follows the join

    def codec_args(self, quality: str, rate: list[str] | None = None) -> list[str]:
        args = super().codec_args(quality, rate)
        if self.name == "mp4":
            args += ["-x264-params", SEGMENT_X264_PARAMS]
        elif self.name == "webm":
            args += ["-lag-in-frames", "0"]
        return args

    def muxer_args(self) -> list[str]:
        if self.name == "mp4":
            return ["-f", "mpegts", "-muxdelay", "0", "-muxpreload", "0"]
        if self.name == "mov":
            return ["-f", "mov"]
        return super().muxer_args()


def segment_spec(fmt: str) -> SegmentSpec:
    base = FORMATS[fmt]
    return SegmentSpec(base.name, base.alpha, None)


def segment_name(fmt: str) -> str:
    """The segment's file name in the chunk's folder (a folder for PNG sequences)."""
    ext = _SEGMENT_EXTENSIONS[fmt]
    return f"segment{ext}" if ext else "frames"
