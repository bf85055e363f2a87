"""How a chunk encodes its self-contained segment, per output format.

- MP4: H.264 in MPEG-TS; a fresh encoder starts on an IDR frame and x264's GOPs are closed,
  so the stream-copy concat needs no re-encode at a join.
- WebM: VP9 without alt-ref frames (``-auto-alt-ref 0``), so no frame refers across a join.
- MOV: ProRes is intra-only.
- GIF: lossless FFV1 segments; the one palette pass runs on the joined video.
- PNG sequence: files named by absolute frame number, moved into the output folder.
"""

from __future__ import annotations

from dataclasses import dataclass

from hyperframes_desktop.render.formats import FORMATS, FormatSpec

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
            args += ["-x264-params", "open-gop=0"]
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
