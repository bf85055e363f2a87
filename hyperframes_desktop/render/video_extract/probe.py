"""ffprobe of a source video: its display size, alpha, codec, duration and the timestamps of
its frames (packet timestamps around the range a clip needs)."""

from __future__ import annotations

import contextlib
import json
import re
import threading
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from hyperframes_desktop.render.media_errors import ffmpeg_complaint
from hyperframes_desktop.render.video_extract.errors import Clip, input_error, unreadable
from hyperframes_desktop.render.video_extract.runner import run

_PROBE_MARGIN_S = 1
_ALPHA_PIX_FMT = re.compile(r"^(yuva|gbrap|ya\d|rgba|bgra|argb|abgr)")


@dataclass(frozen=True)
class SourceFrames:
    """The probed source: display size, alpha, and frame timestamps (seconds from start)."""

    width: int
    height: int
    alpha: bool
    codec: str
    anamorphic: bool
    duration: Fraction | None
    pts: tuple[Fraction, ...]
    time_base: Fraction
    #: the stream names its YUV matrix (else it is read as BT.709, as Chrome reads it)
    matrix_tagged: bool = False


def _fraction(value: object) -> Fraction | None:
    if value in (None, "", "N/A"):
        return None
    try:
        number = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None
    return number


def _display_size(width: int, height: int, sar: Fraction | None) -> tuple[int, int, bool]:
    """A browser's natural size for a video: the pixel aspect stretches one side."""
    if sar is None or sar <= 0 or sar == 1:
        return width, height, False
    if sar > 1:
        return round(width * sar), height, True
    return width, round(height / sar), True


def _probe_command(path: Path, packets: bool, interval: str | None) -> list[str]:
    entries = (
        "stream=codec_name,width,height,pix_fmt,sample_aspect_ratio,time_base,duration,color_space"
        ":stream_tags=alpha_mode:format=start_time,duration"
    )
    if packets:
        entries += ":packet=pts,flags"
    args = ["-v", "error", "-select_streams", "v:0", "-show_entries", entries]
    if interval:
        args += ["-read_intervals", interval]
    return [*args, "-of", "json", f"file:{path}"]


def probe_source(
    path: Path, clip: Clip, lo: Fraction, hi: Fraction, cancel: threading.Event | None
) -> SourceFrames:
    """The source's size, alpha and the timestamps of its frames around ``[lo, hi]`` seconds
    (of the whole file when the range starts near its beginning)."""
    near_start = lo <= _PROBE_MARGIN_S
    data = _probe_json(path, clip, cancel, packets=near_start)
    stream = data["streams"][0]
    start = _fraction(data["format"].get("start_time")) or Fraction(0)
    time_base = _fraction(stream.get("time_base")) or Fraction(1, 1000)
    if near_start:
        pts = _packet_times(data, time_base, start)
    else:
        # -read_intervals takes timestamps; it seeks to the keyframe before the range start
        interval = (
            f"{float(start + lo - _PROBE_MARGIN_S):.6f}%{float(start + hi + _PROBE_MARGIN_S):.6f}"
        )
        pts = _packet_times(
            _probe_json(path, clip, cancel, packets=True, interval=interval), time_base, start
        )
        if not pts or pts[0] > lo:  # the demuxer's seek overshot: list every packet
            pts = _packet_times(_probe_json(path, clip, cancel, packets=True), time_base, start)
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    if width <= 0 or height <= 0:
        raise unreadable(clip, "the video stream has no picture size")
    sar = _fraction((stream.get("sample_aspect_ratio") or "").replace(":", "/"))
    shown_w, shown_h, anamorphic = _display_size(width, height, sar)
    tags = stream.get("tags") or {}
    alpha_mode = str(tags.get("alpha_mode", tags.get("ALPHA_MODE", ""))).strip()
    alpha = bool(_ALPHA_PIX_FMT.match(stream.get("pix_fmt") or "")) or alpha_mode == "1"
    duration = _fraction(stream.get("duration")) or _fraction(data["format"].get("duration"))
    return SourceFrames(
        width=shown_w,
        height=shown_h,
        alpha=alpha,
        codec=str(stream.get("codec_name") or ""),
        anamorphic=anamorphic,
        duration=duration,
        pts=pts,
        time_base=time_base,
        matrix_tagged=str(stream.get("color_space") or "unknown") not in ("unknown", "reserved"),
    )


def _probe_json(
    path: Path,
    clip: Clip,
    cancel: threading.Event | None,
    *,
    packets: bool,
    interval: str | None = None,
) -> dict[str, Any]:
    result = run("ffprobe", _probe_command(path, packets, interval), cancel)
    data: Any = {}
    if result.returncode == 0:
        with contextlib.suppress(ValueError):
            data = json.loads(result.stdout or "{}")
    if result.returncode != 0 or not isinstance(data, dict) or "format" not in data:
        raise unreadable(clip, ffmpeg_complaint(result.stderr, path))
    streams = data.get("streams")
    if not isinstance(streams, list) or not streams:
        raise input_error(
            f"The {clip.who} uses {clip.shown}, which has no video stream (is it a sound "
            "file?). Fix: point src at a video file, or play sound with an <audio> clip.",
            clip,
        )
    return data


def _packet_times(
    data: dict[str, Any], time_base: Fraction, start: Fraction
) -> tuple[Fraction, ...]:
    times = set()
    for packet in data.get("packets") or []:
        pts = packet.get("pts")
        if pts is None or "D" in str(packet.get("flags", "")):
            continue  # no timestamp, or dropped by the demuxer's edit list
        with contextlib.suppress(ValueError, TypeError):
            times.add(int(pts) * time_base - start)
    return tuple(sorted(times))
