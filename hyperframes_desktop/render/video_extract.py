"""The video-extract stage: the exact source frame of every ``<video>`` clip for every output
frame, pulled with FFmpeg into a reusable cache, and the page script that shows them.

Frame choice. Output frame ``f`` is shown at ``t = f / fps`` (exact, as a Fraction). Inside
the clip's window ``[start, end)`` (the same test, with the same tolerance, as the seek
runtime's ``data-hf-start``/``data-hf-end`` visibility) the source time is
``media_start + (t - start) * playback_rate`` and the frame shown is the one a browser shows
for a paused video at that ``currentTime``: the last source frame whose timestamp is not
after it. A time past the source's last frame shows the last frame (a browser holds the last
frame of an ended video); a ``data-media-start`` at or past the source's end is an error.

Extraction. Each clip costs one ffprobe (the timestamps of the packets around the needed
range; "resolve") and one ffmpeg run ("extract"): an accurate input seek to just before the
first needed frame, a ``select`` of exactly the needed frames by timestamp, each written once
(JPEG q2, or PNG with alpha when the source has an alpha channel) however many output frames
show it. Anamorphic sources are scaled to their display size, as a browser shows them.

Cache. Entries live under ``cache_root/<key>/`` where the key hashes the source (absolute
path, size, mtime) and everything that decides the frames (media start, rate, fps, window,
frame range). An entry is written into ``cache_root/.partial-*`` and renamed into place only
when complete, so a crash never leaves a half entry; stale partial folders are removed on the
next run. Total size is capped: least recently used entries go first (the ones this render
uses, or another process used in the last minutes, are kept).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from bisect import bisect_right
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
import psutil

from hyperframes_desktop import APP_NAME
from hyperframes_desktop.project.errors import display_name
from hyperframes_desktop.render import tools
from hyperframes_desktop.render.audio import MediaInputError, describe_clip
from hyperframes_desktop.render.compile import PlacedMedia
from hyperframes_desktop.render.options import RenderCancelled, RenderError
from hyperframes_desktop.render.perf import VideoExtractBreakdown
from hyperframes_desktop.render.processes import kill_tree

STAGE = "video_extract"
#: Bump when the files an entry holds change meaning (invalidates every cached entry).
CACHE_VERSION = 1
DEFAULT_CACHE_LIMIT_BYTES = 2 * 1024**3
ENTRY_FILE = "entry.json"
PARTIAL_PREFIX = ".partial-"
TRASH_PREFIX = ".trash-"

#: Same tolerance as the seek runtime's clip-window test (EPS in seek_runtime.js).
_WINDOW_EPS = Fraction(1, 10**9)
#: A source frame counts as "at or before" a time up to half a tick of its stream's time base
#: after it (a stored timestamp is rounded to the tick: WebM's millisecond ticks store 2/30 s
#: as 0.067 s), but never more than this.
_MAX_PTS_SLACK = Fraction(1, 2000)
#: Entries another render used this recently are not evicted (it may still be reading them).
_IN_USE_GRACE_S = 300.0
#: A partial folder whose process is gone, or this old, is debris.
_STALE_PARTIAL_S = 24 * 3600.0
_PROBE_MARGIN_S = 1
_ALPHA_PIX_FMT = re.compile(r"^(yuva|gbrap|ya\d|rgba|bgra|argb|abgr)")
_ALPHA_DECODERS = {"vp9": "libvpx-vp9", "vp8": "libvpx"}


@dataclass
class VideoFrames:
    """What the capture needs (``manifest``, see :func:`page_injection`) and the perf facts.

    ``manifest[key]`` = ``{"start_frame": F, "paths": [file URL of output frame F, F+1, ...],
    "width": W, "height": H}`` (W×H: the source's display size, 0 when nothing was shown).
    """

    manifest: dict[str, dict[str, Any]] = field(default_factory=dict)
    breakdown: VideoExtractBreakdown = field(default_factory=VideoExtractBreakdown)
    elapsed_ms: float = 0.0

    @property
    def video_count(self) -> int:
        return len(self.manifest)


@dataclass(frozen=True)
class FramePlan:
    """Output frames ``[start_frame, start_frame + len(source_times))`` of one clip and the
    source time (seconds from the source's start) each one shows."""

    start_frame: int
    source_times: tuple[Fraction, ...]

    @property
    def end_frame(self) -> int:
        return self.start_frame + len(self.source_times)


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


# ---- frame-time mapping ---------------------------------------------------------------------


def exact(value: float | Fraction | int | str) -> Fraction:
    """A float from the page or the parser as the decimal it was written as (0.1 → 1/10),
    rounded as the compile stage writes it into ``data-hf-*`` attributes."""
    if isinstance(value, Fraction | int):
        return Fraction(value)
    return Fraction(repr(round(float(value), 9)))


def frame_plan(placed: PlacedMedia, fps: Fraction, frame_count: int) -> FramePlan:
    """Which output frames show this clip and which source time each one shows."""
    start = exact(placed.start)
    end = exact(placed.end) if placed.end is not None else None
    first = max(0, math.ceil((start - _WINDOW_EPS) * fps))
    last = frame_count if end is None else min(frame_count, math.ceil((end - _WINDOW_EPS) * fps))
    media_start = exact(placed.element.media_start)
    rate = exact(placed.element.playback_rate)
    if last <= first:
        return FramePlan(start_frame=max(0, min(first, frame_count)), source_times=())
    times = tuple(media_start + (Fraction(f) / fps - start) * rate for f in range(first, last))
    return FramePlan(start_frame=first, source_times=times)


def pts_slack(time_base: Fraction) -> Fraction:
    """How far after a time a stored timestamp may be and still count as at it."""
    return min(time_base / 2, _MAX_PTS_SLACK)


def pick_source_frames(
    source_times: tuple[Fraction, ...], pts: tuple[Fraction, ...], slack: Fraction = Fraction(0)
) -> list[int]:
    """Index (into sorted ``pts``) of the frame a paused browser video shows at each time:
    the last frame not after it (the first frame before the first timestamp, the last frame
    after the end); ``slack`` absorbs timestamp rounding (see :func:`pts_slack`)."""
    if not pts:
        raise ValueError("no source frames")
    picked = []
    for when in source_times:
        index = bisect_right(pts, when + slack) - 1
        picked.append(min(max(index, 0), len(pts) - 1))
    return picked


# ---- cache ----------------------------------------------------------------------------------


def default_cache_root() -> Path:
    """``<user cache dir>/hyperframes-desktop/video-frames`` (honours XDG_CACHE_HOME)."""
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "video-frames"


def cache_key(source: Path, placed: PlacedMedia, fps: Fraction, plan: FramePlan) -> str:
    """Hash of the source's identity and of everything that decides the extracted frames."""
    stat = source.stat()
    identity = {
        "v": CACHE_VERSION,
        "path": str(source),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "media_start": str(exact(placed.element.media_start)),
        "rate": str(exact(placed.element.playback_rate)),
        "fps": str(fps),
        "start": str(exact(placed.start)),
        "end": None if placed.end is None else str(exact(placed.end)),
        "frames": [plan.start_frame, plan.end_frame],
    }
    text = json.dumps(identity, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _read_entry(folder: Path) -> dict[str, Any] | None:
    try:
        entry = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("version") != CACHE_VERSION:
        return None
    return entry


def _touch(folder: Path) -> None:
    """Mark an entry as just used (its entry file's mtime is the LRU clock)."""
    with contextlib.suppress(OSError):
        os.utime(folder / ENTRY_FILE)


def _discard(folder: Path) -> None:
    """Remove a folder so that no reader ever sees it half-deleted: rename, then delete."""
    trash = folder.with_name(f"{TRASH_PREFIX}{uuid.uuid4().hex[:12]}")
    try:
        folder.rename(trash)
    except OSError:
        trash = folder
    shutil.rmtree(trash, ignore_errors=True)


def clean_partials(cache_root: Path) -> int:
    """Remove partial entries left by extractions that died (their process is gone, or they
    are a day old) and unfinished deletions. Returns how many folders were removed."""
    removed = 0
    if not cache_root.is_dir():
        return 0
    now = time.time()
    for child in cache_root.iterdir():
        name = child.name
        if name.startswith(TRASH_PREFIX):
            shutil.rmtree(child, ignore_errors=True)
            removed += 1
            continue
        if not name.startswith(PARTIAL_PREFIX):
            continue
        pid_text = name[len(PARTIAL_PREFIX) :].split("-", 1)[0]
        alive = pid_text.isdigit() and psutil.pid_exists(int(pid_text))
        try:
            old = now - child.stat().st_mtime > _STALE_PARTIAL_S
        except OSError:
            continue
        if not alive or old:
            shutil.rmtree(child, ignore_errors=True)
            removed += 1
    return removed


def enforce_cache_limit(
    cache_root: Path, limit_bytes: int, keep: set[str] | frozenset[str] = frozenset()
) -> list[str]:
    """Evict least recently used entries until the cache fits ``limit_bytes``.

    Entries named in ``keep`` (this render's) and entries used in the last few minutes
    (another render may be reading them) stay even if the cache is then still too big.
    Returns the evicted keys.
    """
    if not cache_root.is_dir():
        return []
    entries: list[tuple[float, int, Path]] = []
    total = 0
    for child in cache_root.iterdir():
        if child.name.startswith(".") or not child.is_dir():
            continue
        entry = _read_entry(child)
        if entry is None:
            continue
        try:
            used = (child / ENTRY_FILE).stat().st_mtime
        except OSError:
            continue
        size = int(entry.get("bytes", 0))
        total += size
        entries.append((used, size, child))
    evicted: list[str] = []
    now = time.time()
    for used, size, folder in sorted(entries, key=lambda item: item[0]):
        if total <= limit_bytes:
            break
        if folder.name in keep or now - used < _IN_USE_GRACE_S:
            continue
        _discard(folder)
        total -= size
        evicted.append(folder.name)
    return evicted


# ---- running FFmpeg -------------------------------------------------------------------------


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise RenderCancelled()


def _run(
    name: str, args: list[str], cancel: threading.Event | None
) -> subprocess.CompletedProcess[str]:
    """Run ffmpeg/ffprobe to the end, polling ``cancel`` (its whole tree is stopped then).

    Output goes through temporary files: a pipe nobody drains could stall the child.
    """
    try:
        binary = tools.find_tool(name)
    except tools.ToolMissing as exc:
        raise RenderError(str(exc), stage=STAGE) from None
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = tools.launch([binary, *args], stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        try:
            while True:
                try:
                    code = proc.wait(timeout=0.05)
                    break
                except subprocess.TimeoutExpired:
                    _check_cancel(cancel)
        except BaseException:
            kill_tree(proc)
            raise
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(
            proc.args,
            code,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )


@lru_cache(maxsize=8)
def _has_decoder(ffmpeg: str, decoder: str) -> bool:
    """Whether this build has ``decoder`` (``ffmpeg`` is the binary: part of the cache key)."""
    result = tools.run_tool("ffmpeg", ["-hide_banner", "-decoders"], timeout=30)
    return (
        result.returncode == 0
        and re.search(rf"\s{re.escape(decoder)}\s", result.stdout) is not None
    )


@lru_cache(maxsize=8)
def filter_file_option(ffmpeg: str) -> str:
    """The option that reads a stream's filter graph from a file: ``-/filter:v`` since
    FFmpeg 7 (the only one left in 8+), ``-filter_script:v`` before (5.1/6)."""
    with tempfile.TemporaryDirectory(prefix="hf-ffmpeg-") as folder:
        graph = Path(folder) / "graph.txt"
        graph.write_text("null", encoding="utf-8")
        probe = ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i",
                 "nullsrc=s=16x16:d=0.04", "-/filter:v", str(graph), "-f", "null", "-"]  # fmt: skip
        result = tools.run_tool("ffmpeg", probe, timeout=30)
    return "-/filter:v" if result.returncode == 0 else "-filter_script:v"


# ---- clip checks and messages ---------------------------------------------------------------


@dataclass(frozen=True)
class _Clip:
    placed: PlacedMedia
    who: str
    shown: str


def _describe(placed: PlacedMedia, project_root: Path | None) -> _Clip:
    element = placed.element
    shown = element.src if element.path is None else display_name(element.path, project_root)
    return _Clip(placed, describe_clip(placed), shown)


def _input_error(message: str, clip: _Clip) -> MediaInputError:
    error = MediaInputError(message, clip=clip.who, file=clip.shown)
    error.stage = STAGE
    return error


def _seconds(value: Fraction | float) -> str:
    return f"{round(float(value), 3):g} s"


def _last_line(stderr: str, path: Path) -> str:
    """FFmpeg's last complaint, without the absolute path (messages name files relatively)."""
    lines = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
    if not lines:
        return ""
    return lines[-1].replace(f"file:{path}", "").replace(str(path), "").strip(" :")


def _check_source(clip: _Clip) -> Path:
    element = clip.placed.element
    if element.path is None:
        if not element.src.strip():
            raise _input_error(
                f"The {clip.who} has no src, so there are no frames to show. "
                "Fix: set src to a video file in the project folder.",
                clip,
            )
        raise _input_error(
            f'The {clip.who} plays "{element.src}", a URL; the renderer uses only files in the '
            "project folder. Fix: download the video into the project folder and point src at "
            "it.",
            clip,
        )
    path = element.path
    if not path.exists():
        raise _input_error(
            f"The {clip.who} uses {clip.shown}, which does not exist. Fix: put the file there "
            "or correct src (paths are relative to the project folder).",
            clip,
        )
    if not path.is_file():
        raise _input_error(
            f"The {clip.who} uses {clip.shown}, which is a folder, not a video file. "
            "Fix: point src at a video file.",
            clip,
        )
    if not os.access(path, os.R_OK):
        raise _input_error(
            f"The {clip.who} uses {clip.shown}, which cannot be read (permission denied). "
            "Fix: make the file readable.",
            clip,
        )
    return path


def _unreadable(clip: _Clip, reason: str) -> MediaInputError:
    return _input_error(
        f"The {clip.who} uses {clip.shown}, which FFmpeg cannot read as video (the file is "
        f"damaged or not a video file{': ' + reason if reason else ''}). Fix: replace it with "
        "a working file (e.g. re-export it as MP4 (H.264) or WebM).",
        clip,
    )


# ---- probing --------------------------------------------------------------------------------


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
        "stream=codec_name,width,height,pix_fmt,sample_aspect_ratio,time_base,duration"
        ":stream_tags=alpha_mode:format=start_time,duration"
    )
    if packets:
        entries += ":packet=pts,flags"
    args = ["-v", "error", "-select_streams", "v:0", "-show_entries", entries]
    if interval:
        args += ["-read_intervals", interval]
    return [*args, "-of", "json", f"file:{path}"]


def probe_source(
    path: Path, clip: _Clip, lo: Fraction, hi: Fraction, cancel: threading.Event | None
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
        raise _unreadable(clip, "the video stream has no picture size")
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
    )


def _probe_json(
    path: Path,
    clip: _Clip,
    cancel: threading.Event | None,
    *,
    packets: bool,
    interval: str | None = None,
) -> dict[str, Any]:
    result = _run("ffprobe", _probe_command(path, packets, interval), cancel)
    data: Any = {}
    if result.returncode == 0:
        with contextlib.suppress(ValueError):
            data = json.loads(result.stdout or "{}")
    if result.returncode != 0 or not isinstance(data, dict) or "format" not in data:
        raise _unreadable(clip, _last_line(result.stderr, path))
    streams = data.get("streams")
    if not isinstance(streams, list) or not streams:
        raise _input_error(
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


# ---- extraction -----------------------------------------------------------------------------


def _num(value: Fraction) -> str:
    return f"{float(value):.9f}"


def select_expression(needed: list[int], pts: tuple[Fraction, ...], offset: Fraction) -> str:
    """A ``select`` expression true exactly for the frames ``needed`` (sorted indices into
    ``pts``), matched by timestamp: ``t`` is the frame time minus ``offset`` (the input seek).

    Each frame gets a window of a third of the gap to its neighbours, wide enough for any
    timestamp rounding and far from the next frame; consecutive frames share one window.
    """
    terms: list[str] = []

    def reach(index: int) -> Fraction:
        gaps = [pts[j + 1] - pts[j] for j in (index - 1, index) if 0 <= j < len(pts) - 1]
        return (min(gaps) if gaps else Fraction(1)) / 3

    run_start = previous = needed[0]
    for index in [*needed[1:], None]:
        if index is not None and index == previous + 1:
            previous = index
            continue
        lo = pts[run_start] - offset - reach(run_start)
        hi = pts[previous] - offset + reach(previous)
        terms.append(f"between(t\\,{_num(lo)}\\,{_num(hi)})")
        if index is not None:
            run_start = previous = index
    return "+".join(terms)


def extract_command(
    source: Path,
    info: SourceFrames,
    needed: list[int],
    out_dir: Path,
    script: Path,
    alpha_decoder: str | None,
    filter_option: str = "-filter_script:v",
) -> tuple[list[str], str]:
    """The ffmpeg arguments (without the binary) and the filter script that write the
    ``needed`` frames as ``out_dir/000000.<ext>``, ... in order."""
    first = needed[0]
    offset = (info.pts[first - 1] + info.pts[first]) / 2 if first > 0 else Fraction(0)
    chain = [f"select={select_expression(needed, info.pts, offset)}"]
    size = ""
    if info.anamorphic:
        size = f"w={info.width}:h={info.height}:"
    if info.alpha:
        if size:
            chain.append(f"scale={size.rstrip(':')}")
        chain += ["setsar=1", "format=rgba"]
        ext, codec = "png", ["-c:v", "png"]
    else:
        # JPEG is read as BT.601 full range: convert from whatever matrix the source is in
        chain += [
            f"scale={size}in_color_matrix=auto:out_color_matrix=bt601:out_range=full",
            "setsar=1",
            "format=yuvj420p",
        ]
        ext, codec = "jpg", ["-c:v", "mjpeg", "-q:v", "2"]
    args = ["-hide_banner", "-loglevel", "error", "-nostdin"]
    if offset > 0:
        args += ["-ss", f"{float(offset):.6f}"]
    if alpha_decoder:
        args += ["-c:v", alpha_decoder]
    args += [
        "-i", f"file:{source}",
        "-map", "0:v:0", "-an", "-sn", "-dn",
        filter_option, str(script),
        "-fps_mode", "passthrough",
        "-frames:v", str(len(needed)),
        *codec,
        "-start_number", "0",
        "-y", str(out_dir / f"%06d.{ext}"),
    ]  # fmt: skip
    return args, ",".join(chain)


def _image_size(path: Path) -> tuple[int, int] | None:
    """Width and height from a PNG or JPEG header (no image library needed)."""
    with contextlib.suppress(OSError), path.open("rb") as fh:
        head = fh.read(64 * 1024)
        if head[:8] == b"\x89PNG\r\n\x1a\n":
            return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        i = 2
        while i + 9 < len(head) and head[i] == 0xFF:
            marker = head[i + 1]
            length = int.from_bytes(head[i + 2 : i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height = int.from_bytes(head[i + 5 : i + 7], "big")
                return int.from_bytes(head[i + 7 : i + 9], "big"), height
            i += 2 + length
    return None


def _extract(
    clip: _Clip,
    source: Path,
    plan: FramePlan,
    cache_root: Path,
    key: str,
    breakdown: VideoExtractBreakdown,
    cancel: threading.Event | None,
) -> dict[str, Any]:
    """Probe, extract into a partial folder, publish it as ``cache_root/key``; the entry."""
    t0 = time.monotonic()
    times = plan.source_times
    info = probe_source(source, clip, min(times), max(times), cancel)
    media_start = exact(clip.placed.element.media_start)
    if info.duration is not None and media_start >= info.duration:
        raise _input_error(
            f"The {clip.who} starts {_seconds(media_start)} into {clip.shown} "
            f"(data-media-start), but that video is only {_seconds(info.duration)} long. "
            f"Fix: set data-media-start below {_seconds(info.duration)}.",
            clip,
        )
    if not info.pts:
        raise _unreadable(clip, "no video frames could be read")
    if info.duration is None and media_start > info.pts[-1]:
        raise _input_error(
            f"The {clip.who} starts {_seconds(media_start)} into {clip.shown} "
            "(data-media-start), past the video's last frame. Fix: lower data-media-start.",
            clip,
        )
    picked = pick_source_frames(times, info.pts, pts_slack(info.time_base))
    needed = sorted(set(picked))
    file_of = {k: i for i, k in enumerate(needed)}
    alpha_decoder = None
    if info.alpha and info.codec in _ALPHA_DECODERS:
        candidate = _ALPHA_DECODERS[info.codec]
        if _has_decoder(tools.find_tool("ffmpeg"), candidate):
            alpha_decoder = candidate
    breakdown.resolveMs += (time.monotonic() - t0) * 1000.0

    t1 = time.monotonic()
    cache_root.mkdir(parents=True, exist_ok=True)
    partial = cache_root / f"{PARTIAL_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:12]}"
    partial.mkdir()
    try:
        script = partial / "filters.txt"
        option = filter_file_option(tools.find_tool("ffmpeg"))
        args, graph = extract_command(source, info, needed, partial, script, alpha_decoder, option)
        script.write_text(graph, encoding="utf-8")
        result = _run("ffmpeg", args, cancel)
        script.unlink()
        ext = "png" if info.alpha else "jpg"
        files = sorted(p.name for p in partial.glob(f"*.{ext}"))
        if "No space left on device" in result.stderr:
            raise OSError(errno.ENOSPC, "No space left on device")
        if result.returncode != 0 or len(files) != len(needed):
            reason = _last_line(result.stderr, source)
            if result.returncode == 0:
                reason = f"only {len(files)} of the {len(needed)} frames needed could be decoded"
            raise _input_error(
                f"The {clip.who} uses {clip.shown}, whose frames FFmpeg could not decode"
                f"{' (' + reason + ')' if reason else ''}. Fix: replace it with a working "
                "file (e.g. re-export it as MP4 (H.264) or WebM).",
                clip,
            )
        size = _image_size(partial / files[0]) or (info.width, info.height)
        entry = {
            "version": CACHE_VERSION,
            "source": str(source),
            "files": files,
            "frames": [file_of[k] for k in picked],
            "width": size[0],
            "height": size[1],
            "bytes": sum((partial / name).stat().st_size for name in files),
        }
        (partial / ENTRY_FILE).write_text(json.dumps(entry), encoding="utf-8")
        target = cache_root / key
        try:
            partial.rename(target)
        except OSError:
            # another render published the same entry first: use theirs when it is whole
            if _read_entry(target) is None:
                raise
            shutil.rmtree(partial, ignore_errors=True)
            entry = _read_entry(target) or entry
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    breakdown.extractMs += (time.monotonic() - t1) * 1000.0
    breakdown.framesExtracted += len(needed)
    return entry


# ---- the stage ------------------------------------------------------------------------------


def extract_video_frames(
    media: list[PlacedMedia],
    fps: Fraction,
    frame_count: int,
    cache_root: Path | None = None,
    cancel: threading.Event | None = None,
    *,
    project_root: Path | None = None,
    cache_limit_bytes: int = DEFAULT_CACHE_LIMIT_BYTES,
) -> VideoFrames:
    """Extract (or find in the cache) the frames every ``<video>`` in ``media`` shows.

    ``cache_root`` defaults to :func:`default_cache_root`; ``project_root`` only shortens file
    names in messages. Raises MediaInputError (stage ``video_extract``) for a missing,
    unreadable or too short source, RenderError when FFmpeg is missing, RenderCancelled when
    ``cancel`` is set (FFmpeg stopped, no partial entry left).
    """
    t0 = time.monotonic()
    root = cache_root if cache_root is not None else default_cache_root()
    frames = VideoFrames()
    videos = [m for m in media if m.element.tag == "video"]
    if not videos:
        return frames
    try:
        clean_partials(root)
        used: set[str] = set()
        for placed in videos:
            _check_cancel(cancel)
            key = _one_clip(placed, Fraction(fps), frame_count, root, frames, cancel, project_root)
            if key is not None:
                used.add(key)
        with contextlib.suppress(OSError):
            enforce_cache_limit(root, cache_limit_bytes, keep=used)
    except tools.ToolMissing as exc:
        raise RenderError(str(exc), stage=STAGE) from None
    except OSError as exc:
        raise _cache_error(root, exc) from exc
    frames.elapsed_ms = (time.monotonic() - t0) * 1000.0
    frames.breakdown.resolveMs = round(frames.breakdown.resolveMs, 1)
    frames.breakdown.extractMs = round(frames.breakdown.extractMs, 1)
    return frames


def _one_clip(
    placed: PlacedMedia,
    fps: Fraction,
    frame_count: int,
    root: Path,
    frames: VideoFrames,
    cancel: threading.Event | None,
    project_root: Path | None,
) -> str | None:
    """Fill ``frames.manifest[placed.key]``; returns the cache key used (None: not shown)."""
    breakdown = frames.breakdown
    t_resolve = time.monotonic()
    plan = frame_plan(placed, fps, frame_count)
    if not plan.source_times:  # never visible in this render: its file does not matter
        frames.manifest[placed.key] = _manifest_entry(plan, None, None)
        return None
    clip = _describe(placed, project_root)
    source = _check_source(clip)
    key = cache_key(source, placed, fps, plan)
    folder = root / key
    entry = _read_entry(folder)
    breakdown.resolveMs += (time.monotonic() - t_resolve) * 1000.0
    if entry is not None and _entry_complete(folder, entry, plan):
        breakdown.cacheHits += 1
        _touch(folder)
    else:
        if folder.exists():
            _discard(folder)  # damaged (files deleted by hand): extract anew
        breakdown.cacheMisses += 1
        entry = _extract(clip, source, plan, root, key, breakdown, cancel)
    frames.manifest[placed.key] = _manifest_entry(plan, folder, entry)
    return key


def _cache_error(root: Path, exc: OSError) -> RenderError:
    if exc.errno == errno.ENOSPC:
        problem = "the disk is full"
        fix = "free some disk space"
    else:
        problem = exc.strerror or str(exc)
        fix = "make the folder writable, or set XDG_CACHE_HOME to a writable folder"
    return RenderError(
        f"Cannot write extracted video frames into the cache folder {root} ({problem}). "
        f"Fix: {fix}, then render again.",
        stage=STAGE,
    )


def _entry_complete(folder: Path, entry: dict[str, Any], plan: FramePlan) -> bool:
    files = entry.get("files")
    frames = entry.get("frames")
    if not isinstance(files, list) or not isinstance(frames, list):
        return False
    if len(frames) != len(plan.source_times) or not files:
        return False
    if any(not isinstance(i, int) or not 0 <= i < len(files) for i in frames):
        return False
    return all((folder / name).is_file() for name in files)


def _manifest_entry(
    plan: FramePlan, folder: Path | None, entry: dict[str, Any] | None
) -> dict[str, Any]:
    if folder is None or entry is None:
        return {"start_frame": plan.start_frame, "paths": [], "width": 0, "height": 0}
    urls = [(folder / name).as_uri() for name in entry["files"]]
    return {
        "start_frame": plan.start_frame,
        "paths": [urls[i] for i in entry["frames"]],
        "width": int(entry.get("width", 0)),
        "height": int(entry.get("height", 0)),
    }


# ---- the page side --------------------------------------------------------------------------


def frames_script_source() -> str:
    return (
        resources.files("hyperframes_desktop.render")
        .joinpath("js/video_frames.js")
        .read_text(encoding="utf-8")
    )


def _css_key(key: str) -> str:
    return key.replace("\\", "\\\\").replace('"', '\\"')


def page_injection(frames: VideoFrames) -> str:
    """``<style>`` + ``<script>`` for ``compile_page(extra_head=...)``: the manifest and the
    seek hook that shows the extracted frames in place of the videos.

    The style gives each (media-less) video the natural size of its source at zero
    specificity, so the page lays it out exactly as with the real video loaded.
    """
    rules = ["video[data-hf-covered]{visibility:hidden !important}"]
    for key, entry in frames.manifest.items():
        width, height = int(entry.get("width", 0)), int(entry.get("height", 0))
        if width > 0 and height > 0:
            rules.append(
                f':where(video[data-hf-media="{_css_key(key)}"]){{contain:size;'
                f"contain-intrinsic-size:{width}px {height}px;aspect-ratio:{width} / {height}}}"
            )
    manifest = json.dumps(frames.manifest, separators=(",", ":")).replace("</", "<\\/")
    style = "\n".join(rules).replace("</", "<\\/")
    return (
        f"<style>{style}</style>"
        f"<script>window.__HF_VIDEO_FRAMES={manifest};\n{frames_script_source()}</script>"
    )


__all__ = [
    "DEFAULT_CACHE_LIMIT_BYTES",
    "FramePlan",
    "MediaInputError",
    "SourceFrames",
    "VideoFrames",
    "cache_key",
    "clean_partials",
    "default_cache_root",
    "enforce_cache_limit",
    "extract_video_frames",
    "frame_plan",
    "page_injection",
    "pick_source_frames",
    "pts_slack",
    "select_expression",
]
