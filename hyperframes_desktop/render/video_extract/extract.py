"""One clip's frames out of its source: one ffprobe ("resolve": which source frames are
needed) and one ffmpeg run ("extract"): an accurate input seek to just before the first
needed frame, a ``select`` of exactly the needed frames by timestamp (the filter graph goes
through a script file), each written once (JPEG q2, or PNG with alpha when the source has an
alpha channel) however many output frames show it. Anamorphic sources are scaled to their
display size, as a browser shows them. The frames are published as one cache entry.
"""

from __future__ import annotations

import contextlib
import errno
import shutil
import threading
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.media_errors import ffmpeg_complaint, seconds_text
from hyperframes_desktop.render.perf import VideoExtractBreakdown
from hyperframes_desktop.render.video_extract.cache import CACHE_VERSION, new_partial, publish
from hyperframes_desktop.render.video_extract.errors import Clip, input_error, unreadable
from hyperframes_desktop.render.video_extract.probe import SourceFrames, probe_source
from hyperframes_desktop.render.video_extract.runner import filter_file_option, has_decoder, run
from hyperframes_desktop.render.video_extract.timing import (
    FramePlan,
    exact,
    pick_source_frames,
    pts_slack,
)

_ALPHA_DECODERS = {"vp9": "libvpx-vp9", "vp8": "libvpx"}


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
        # JPEG is read as BT.601 full range: convert from whatever matrix the source is in;
        # a source that names none is BT.709, as Chrome reads it (and the MP4 we write is
        # BT.709, so its pixels come out as they went in, as in HyperFrames' renders)
        matrix = "auto" if info.matrix_tagged else "bt709"
        chain += [
            f"scale={size}in_color_matrix={matrix}:out_color_matrix=bt601:out_range=full",
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


def extract_clip(
    clip: Clip,
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
        raise input_error(
            f"The {clip.who} starts {seconds_text(media_start)} into {clip.shown} "
            f"(data-media-start), but that video is only {seconds_text(info.duration)} long. "
            f"Fix: set data-media-start below {seconds_text(info.duration)}.",
            clip,
        )
    if not info.pts:
        raise unreadable(clip, "no video frames could be read")
    if info.duration is None and media_start > info.pts[-1]:
        raise input_error(
            f"The {clip.who} starts {seconds_text(media_start)} into {clip.shown} "
            "(data-media-start), past the video's last frame. Fix: lower data-media-start.",
            clip,
        )
    picked = pick_source_frames(times, info.pts, pts_slack(info.time_base))
    needed = sorted(set(picked))
    file_of = {k: i for i, k in enumerate(needed)}
    alpha_decoder = None
    if info.alpha and info.codec in _ALPHA_DECODERS:
        candidate = _ALPHA_DECODERS[info.codec]
        if has_decoder(tools.find_tool("ffmpeg"), candidate):
            alpha_decoder = candidate
    breakdown.resolveMs += (time.monotonic() - t0) * 1000.0

    t1 = time.monotonic()
    partial = new_partial(cache_root)
    try:
        script = partial / "filters.txt"
        option = filter_file_option(tools.find_tool("ffmpeg"))
        args, graph = extract_command(source, info, needed, partial, script, alpha_decoder, option)
        script.write_text(graph, encoding="utf-8")
        result = run("ffmpeg", args, cancel)
        script.unlink()
        ext = "png" if info.alpha else "jpg"
        files = sorted(p.name for p in partial.glob(f"*.{ext}"))
        if "No space left on device" in result.stderr:
            raise OSError(errno.ENOSPC, "No space left on device")
        if result.returncode != 0 or len(files) != len(needed):
            reason = ffmpeg_complaint(result.stderr, source)
            if result.returncode == 0:
                reason = f"only {len(files)} of the {len(needed)} frames needed could be decoded"
            raise input_error(
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
        entry = publish(partial, cache_root / key, entry)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    breakdown.extractMs += (time.monotonic() - t1) * 1000.0
    breakdown.framesExtracted += len(needed)
    return entry
