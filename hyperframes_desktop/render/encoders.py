"""FFmpeg argument lists for each step (kept apart from process handling)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from hyperframes_desktop.render.options import QUALITY_PRESETS


def rate(fps: Fraction) -> str:
    return f"{fps.numerator}/{fps.denominator}"


def raw_input_args(width: int, height: int, fps: Fraction, pix_fmt: str = "bgra") -> list[str]:
    return [
        "-f", "rawvideo",
        "-pix_fmt", pix_fmt,
        "-video_size", f"{width}x{height}",
        "-framerate", rate(fps),
        "-i", "pipe:0",
    ]  # fmt: skip


def h264_args(quality: str) -> list[str]:
    preset, crf = QUALITY_PRESETS[quality]
    return [
        "-c:v", "libx264",
        "-preset", preset,
        "-crf", str(crf),
        "-pix_fmt", "yuv420p",
        "-profile:v", "high",
    ]  # fmt: skip


def encode_chunk_command(
    ffmpeg: str, width: int, height: int, fps: Fraction, quality: str, out: Path
) -> list[str]:
    """Raw BGRA frames on stdin → one H.264 MP4 chunk (or the whole video)."""
    return [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin",
        *raw_input_args(width, height, fps),
        *h264_args(quality),
        "-movflags", "+faststart",
        "-f", "mp4",
        "-y", str(out),
    ]  # fmt: skip


def concat_command(ffmpeg: str, list_file: Path, out: Path) -> list[str]:
    """Join chunks without re-encoding, moov atom first (+faststart)."""
    return [
        ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin",
        "-f", "concat", "-safe", "0", "-i", str(list_file),
        "-c", "copy",
        "-movflags", "+faststart",
        "-f", "mp4",
        "-y", str(out),
    ]  # fmt: skip


def concat_list(chunks: list[Path]) -> str:
    lines = []
    for chunk in chunks:
        escaped = str(chunk).replace("'", "'\\''")
        lines.append(f"file '{escaped}'")
    return "\n".join(lines) + "\n"
