"""FFmpeg argument lists for each step (kept apart from process handling)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from hyperframes_desktop.render.formats import PNG_PATTERN, FormatSpec


def rate(fps: Fraction) -> str:
    return f"{fps.numerator}/{fps.denominator}"


def _base(ffmpeg: str) -> list[str]:
    return [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin"]


def encode_chunk_command(
    ffmpeg: str,
    width: int,
    height: int,
    fps: Fraction,
    spec: FormatSpec,
    quality: str,
    out: Path,
    first_frame: int = 0,
) -> list[str]:
    """Raw BGRA frames on stdin → one chunk of the output (or PNG files in a folder)."""
    cmd = [
        *_base(ffmpeg),
        "-f", "rawvideo", "-pix_fmt", "bgra", "-video_size", f"{width}x{height}",
        "-framerate", rate(fps), "-i", "pipe:0",
    ]  # fmt: skip
    if spec.name in ("mp4", "webm") and (width % 2 or height % 2):
        cmd += ["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2"]  # 4:2:0 needs even sizes
    cmd += spec.chunk_codec_args(quality)
    if spec.is_folder:
        return [*cmd, "-start_number", str(first_frame), *spec.chunk_muxer_args(), "-y",
                str(out / PNG_PATTERN)]  # fmt: skip
    return [*cmd, *spec.chunk_muxer_args(), "-y", str(out)]


def assemble_command(
    ffmpeg: str,
    spec: FormatSpec,
    list_file: Path,
    out: Path,
    audio: Path | None = None,
    gif_loop: int = 0,
) -> list[str]:
    """Join the chunks listed in ``list_file`` (and mux ``audio``) into ``out``."""
    cmd = [*_base(ffmpeg), "-f", "concat", "-safe", "0", "-i", str(list_file)]
    if spec.join == "gif":
        return [
            *cmd,
            "-filter_complex",
            "[0:v]split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=sierra2_4a",
            "-loop", str(gif_loop), "-f", "gif", "-y", str(out),
        ]  # fmt: skip
    if audio is not None and spec.audio_args:
        cmd += ["-i", str(audio), "-map", "0:v:0", "-map", "1:a:0", *spec.audio_args]
    cmd += ["-c:v", "copy"]
    if spec.name in ("mp4", "mov"):
        cmd += ["-movflags", "+faststart"]
    return [*cmd, "-f", spec.chunk_muxer_args()[-1], "-y", str(out)]


def concat_list(chunks: list[Path]) -> str:
    lines = []
    for chunk in chunks:
        escaped = str(chunk).replace("'", "'\\''")
        lines.append(f"file '{escaped}'")
    return "\n".join(lines) + "\n"
