"""Explicit rate control: ``--crf N`` or ``--video-bitrate RATE`` instead of the quality
preset's own rate control, for the formats where it means something (H.264 MP4, VP9 WebM).

ProRes (MOV) has no CRF or bitrate target, GIF is palette-based and PNG is lossless: asking
for either there is refused with a sentence rather than silently ignored.
"""

from __future__ import annotations

import re

from hyperframes_desktop.render.options import RenderInputError, RenderOptions

#: Valid CRF values per format (x264: 0-51, libvpx-vp9: 0-63).
CRF_RANGE = {"mp4": (0, 51), "webm": (0, 63)}
_CODEC = {"mp4": "H.264", "webm": "VP9", "mov": "ProRes", "gif": "GIF", "png-sequence": "PNG"}
#: Sane video bitrates: below this nothing is recognisable, above it no player keeps up.
MIN_BITRATE, MAX_BITRATE = 50_000, 500_000_000
_RATE = re.compile(r"(\d+(?:\.\d+)?)\s*([kKmMgG]?)(?:bps|b/s|b)?")
_UNITS = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}


def parse_bitrate(text: str) -> int:
    """``"5M"`` → 5_000_000, ``"800k"`` → 800_000 (bits per second); a sentence if not."""
    match = _RATE.fullmatch(text.strip())
    if match is None:
        raise RenderInputError(
            f'--video-bitrate "{text}" is not a bitrate. Fix: write a number with an optional '
            "k or M, e.g. --video-bitrate 5M or --video-bitrate 800k."
        )
    bits = round(float(match.group(1)) * _UNITS[match.group(2).lower()])
    if not MIN_BITRATE <= bits <= MAX_BITRATE:
        raise RenderInputError(
            f"A video bitrate of {text} is out of range. Fix: choose between 50k and 500M "
            "(e.g. 8M for 1080p)."
        )
    return bits


def validate_rate_control(options: RenderOptions) -> None:
    crf, bitrate, fmt = options.crf, options.video_bitrate, options.format
    if crf is None and bitrate is None:
        return
    if crf is not None and bitrate is not None:
        raise RenderInputError(
            "--crf and --video-bitrate both set the video's rate control. Fix: give only one: "
            "--crf for constant quality, --video-bitrate for a target size."
        )
    flag = "--crf" if crf is not None else "--video-bitrate"
    if fmt not in CRF_RANGE:
        raise RenderInputError(
            f"The {fmt} format ({_CODEC.get(fmt, fmt)}) ignores {flag}: it has no such rate "
            f"control. Fix: leave {flag} out (use --quality), or render to mp4 or webm."
        )
    if crf is not None:
        low, high = CRF_RANGE[fmt]
        if not low <= crf <= high:
            raise RenderInputError(
                f"--crf {crf} is out of range for {_CODEC[fmt]} ({fmt}). Fix: choose {low} to "
                f"{high}; lower is better quality and a bigger file."
            )
    else:
        parse_bitrate(str(bitrate))


def rate_args(fmt: str, crf: int | None, video_bitrate: str | None) -> list[str] | None:
    """FFmpeg options that replace the preset's rate control, or None to keep the preset's."""
    if crf is not None:
        return ["-crf", str(crf)] + (["-b:v", "0"] if fmt == "webm" else [])
    if video_bitrate is not None:
        return ["-b:v", str(parse_bitrate(video_bitrate))]
    return None
