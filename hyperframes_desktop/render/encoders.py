"""FFmpeg argument lists for each step (kept apart from process handling)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from hyperframes_desktop.render.formats import PNG_PATTERN, FormatSpec
from hyperframes_desktop.render.rate_control import rate_args


def rate(fps: Fraction) -> str:
    return f"{fps.numerator}/{fps.denominator}"


def _seconds(frames: int, fps: Fraction) -> str:
    return f"{frames * fps.denominator / fps.numerator:.6f}"


def _base(ffmpeg: str) -> list[str]:
    return [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin"]


def encode_command(
    ffmpeg: str,
    width: int,
    height: int,
    fps: Fraction,
    spec: FormatSpec,
    quality: str,
    out: Path,
    audio: Path | None = None,
    *,
    first_frame: int = 0,
    frames: int | None = None,
    crf: int | None = None,
    video_bitrate: str | None = None,
    threads: int | None = None,
) -> list[str]:
    """Raw BGRA frames on stdin (+ the mixed sound) → the output, or its lossless
    intermediate for GIF, or PNG files in a folder.

    A frame-range render passes its ``first_frame`` and its number of ``frames``: the sound is
    the mix's slice [first/fps, (first+frames)/fps), as long as the video, and PNG files keep
    their absolute frame numbers. ``threads`` sets the H.264 encoder's thread count (None:
    x264's own choice; see render.encoder_threads)."""
    cmd = [
        *_base(ffmpeg),
        "-f", "rawvideo", "-pix_fmt", "bgra", "-video_size", f"{width}x{height}",
        "-framerate", rate(fps), "-i", "pipe:0",
    ]  # fmt: skip
    with_audio = audio is not None and spec.audio_args is not None
    if with_audio:
        if first_frame:
            cmd += ["-ss", _seconds(first_frame, fps)]
        if frames is not None:
            cmd += ["-t", _seconds(frames, fps)]
        cmd += ["-i", str(audio), "-map", "0:v:0", "-map", "1:a:0"]
    filters = []
    if spec.name in ("mp4", "webm") and (width % 2 or height % 2):
        filters.append("pad=ceil(iw/2)*2:ceil(ih/2)*2")  # 4:2:0 needs even sizes
    if spec.name == "mp4":
        # The page's sRGB pixels in BT.709 limited range, tagged so: what players assume for
        # HD video and what HyperFrames writes (FFmpeg's default matrix would be BT.601;
        # accurate_rnd rounds each value to nearest, as an exact conversion would).
        filters.append("scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd")
    if filters:
        cmd += ["-vf", ",".join(filters)]
    cmd += spec.codec_args(quality, rate_args(spec.name, crf, video_bitrate))
    if threads is not None and spec.name == "mp4":
        cmd += ["-threads", str(threads)]
    if spec.name == "mp4":
        cmd += BT709_TAGS
    if with_audio:
        cmd += list(spec.audio_args or ())
    if spec.is_folder:
        return [
            *cmd, "-start_number", str(first_frame), *spec.muxer_args(), "-y",
            str(out / PNG_PATTERN),
        ]  # fmt: skip
    return [*cmd, *spec.muxer_args(), "-y", str(out)]


#: Colour tags of an H.264 output: BT.709 primaries, transfer and matrix, limited range.
BT709_TAGS = [
    "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
    "-color_range", "tv",
]  # fmt: skip


def gif_args(intermediate: Path, out: Path, gif_loop: int = 0) -> list[str]:
    """FFmpeg arguments of the palette pass: one palette for the whole video, then every
    frame mapped to it."""
    return [
        "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(intermediate),
        "-filter_complex",
        "[0:v]split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=sierra2_4a",
        "-loop", str(gif_loop), "-f", "gif", "-y", str(out),
    ]  # fmt: skip
