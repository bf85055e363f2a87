"""What a viewer sees in a rendered file: ffprobe facts and decoded RGB pixels."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

RGB = tuple[int, int, int]


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed; the render tests need real FFmpeg")
    return found


def probe(path: Path) -> dict[str, Any]:
    """ffprobe's JSON (streams + format) with every frame decoded and counted
    (``nb_read_frames`` on the video stream, via -count_frames)."""
    result = subprocess.run(
        [
            _tool("ffprobe"),
            "-v",
            "error",
            "-count_frames",
            "-show_streams",
            "-show_format",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        raise AssertionError(f"ffprobe cannot read {path}: {result.stderr.strip()}")
    return json.loads(result.stdout)


@dataclass(frozen=True)
class VideoInfo:
    """The video stream's facts, typed."""

    codec: str
    pix_fmt: str
    width: int
    height: int
    frames: int  # decoded and counted, not the container's claim
    rate: Fraction  # r_frame_rate
    duration: float  # the container's duration in seconds
    stream_duration: float
    streams: int
    raw: dict[str, Any]


def video_info(path: Path) -> VideoInfo:
    info = probe(path)
    videos = [s for s in info["streams"] if s.get("codec_type") == "video"]
    assert len(videos) == 1, f"expected one video stream in {path}, got {info['streams']}"
    v = videos[0]
    return VideoInfo(
        codec=v["codec_name"],
        pix_fmt=v["pix_fmt"],
        width=int(v["width"]),
        height=int(v["height"]),
        frames=int(v["nb_read_frames"]),
        rate=Fraction(v["r_frame_rate"]),
        duration=float(info["format"]["duration"]),
        stream_duration=float(v.get("duration", "nan")),
        streams=len(info["streams"]),
        raw=info,
    )


class Frame(NamedTuple):
    """One decoded frame as packed rgb24 rows."""

    width: int
    height: int
    data: bytes


def _size(path: Path) -> tuple[int, int]:
    result = subprocess.run(
        [
            _tool("ffprobe"),
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=width,height",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    stream = json.loads(result.stdout)["streams"][0]
    return int(stream["width"]), int(stream["height"])


def frame_rgb(path: Path, index: int) -> Frame:
    """Frame number ``index`` (0-based, by decode order of presentation) as rgb24.

    Selected by index with the select filter: seeking by time before -i is inexact for
    some codecs.
    """
    width, height = _size(path)
    result = subprocess.run(
        [
            _tool("ffmpeg"),
            "-v",
            "error",
            "-nostdin",
            "-i",
            str(path),
            "-vf",
            f"select=eq(n\\,{index})",
            "-fps_mode",
            "passthrough",
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "pipe:1",
        ],
        capture_output=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        raise AssertionError(f"ffmpeg cannot decode frame {index} of {path}: {result.stderr!r}")
    expected = width * height * 3
    if len(result.stdout) != expected:
        raise AssertionError(
            f"frame {index} of {path}: got {len(result.stdout)} bytes, expected {expected} "
            "(is the index past the last frame?)"
        )
    return Frame(width, height, result.stdout)


def all_frames_rgb(path: Path) -> list[Frame]:
    """Every frame of a (short) video, decoded to rgb24 in one FFmpeg run."""
    width, height = _size(path)
    result = subprocess.run(
        [
            _tool("ffmpeg"),
            "-v",
            "error",
            "-nostdin",
            "-i",
            str(path),
            "-fps_mode",
            "passthrough",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "pipe:1",
        ],
        capture_output=True,
        check=True,
        timeout=300,
    )
    size = width * height * 3
    data = result.stdout
    assert len(data) % size == 0, f"decoded {len(data)} bytes, not a whole number of frames"
    return [Frame(width, height, data[i : i + size]) for i in range(0, len(data), size)]


def frame_md5s(path: Path) -> list[str]:
    """The MD5 of every decoded frame (FFmpeg's framemd5 muxer), in order."""
    result = subprocess.run(
        [_tool("ffmpeg"), "-v", "error", "-nostdin", "-i", str(path), "-f", "framemd5", "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    lines = [ln for ln in result.stdout.splitlines() if ln and not ln.startswith("#")]
    return [ln.rsplit(",", 1)[-1].strip() for ln in lines]


def pixel(frame: Frame, x: int, y: int) -> RGB:
    if not (0 <= x < frame.width and 0 <= y < frame.height):
        raise AssertionError(f"pixel ({x}, {y}) is outside the {frame.width}x{frame.height} frame")
    i = (y * frame.width + x) * 3
    r, g, b = frame.data[i : i + 3]
    return r, g, b


def colour_distance(a: RGB, b: RGB) -> int:
    """The largest per-channel difference."""
    return max(abs(p - q) for p, q in zip(a, b, strict=True))


def near(a: RGB, b: RGB, tol: int = 12) -> bool:
    return colour_distance(a, b) <= tol


def assert_colour(
    frame: Frame, x: int, y: int, expected: RGB, tol: int = 12, what: str = ""
) -> None:
    got = pixel(frame, x, y)
    assert near(got, expected, tol), (
        f"{what or 'pixel'} at ({x}, {y}): got rgb{got}, expected rgb{expected} (±{tol})"
    )


def span(frame: Frame, y: int, colour: RGB, tol: int = 40) -> tuple[int, int] | None:
    """(first x, last x) of the widest horizontal run of pixels near ``colour`` on row y,
    or None. Used to find where a flat box is, to within a pixel or two."""
    best: tuple[int, int] | None = None
    start: int | None = None
    for x in range(frame.width + 1):
        inside = x < frame.width and near(pixel(frame, x, y), colour, tol)
        if inside and start is None:
            start = x
        elif not inside and start is not None:
            if best is None or x - 1 - start > best[1] - best[0]:
                best = (start, x - 1)
            start = None
    return best


def moov_first(path: Path) -> bool:
    """+faststart: the index (moov) precedes the media data (mdat), so playback can start
    before the whole file has arrived."""
    data = path.read_bytes()
    return -1 < data.find(b"moov") < data.find(b"mdat")


def write_tone(path: Path, seconds: float, expr: str = "0.125*sin(2*PI*440*t)") -> Path:
    """A mono 8 kHz WAV of an aevalsrc expression (default: a 440 Hz tone at about -21 dBFS)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [_tool("ffmpeg"), "-v", "error", "-nostdin", "-f", "lavfi",
         "-i", f"aevalsrc='{expr}':s=8000:d={seconds}", "-c:a", "pcm_s16le", "-y", str(path)],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return path
