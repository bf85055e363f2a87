"""The video-extract stage: for every ``<video>`` clip, the cached or freshly extracted frame
each output frame shows, gathered into the manifest the capture needs."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.compile import PlacedMedia
from hyperframes_desktop.render.options import RenderError
from hyperframes_desktop.render.perf import VideoExtractBreakdown
from hyperframes_desktop.render.video_extract.cache import (
    DEFAULT_CACHE_LIMIT_BYTES,
    cache_key,
    clean_partials,
    default_cache_root,
    discard,
    enforce_cache_limit,
    entry_complete,
    read_entry,
    touch,
)
from hyperframes_desktop.render.video_extract.errors import (
    STAGE,
    cache_error,
    check_source,
    describe,
)
from hyperframes_desktop.render.video_extract.extract import extract_clip
from hyperframes_desktop.render.video_extract.runner import check_cancel
from hyperframes_desktop.render.video_extract.timing import FramePlan, frame_plan


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
            check_cancel(cancel)
            key = _one_clip(placed, Fraction(fps), frame_count, root, frames, cancel, project_root)
            if key is not None:
                used.add(key)
        with contextlib.suppress(OSError):
            enforce_cache_limit(root, cache_limit_bytes, keep=used)
    except tools.ToolMissing as exc:
        raise RenderError(str(exc), stage=STAGE) from None
    except OSError as exc:
        raise cache_error(root, exc) from exc
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
    clip = describe(placed, project_root)
    source = check_source(clip)
    key = cache_key(source, placed, fps, plan)
    folder = root / key
    entry = read_entry(folder)
    breakdown.resolveMs += (time.monotonic() - t_resolve) * 1000.0
    if entry is not None and entry_complete(folder, entry, plan):
        breakdown.cacheHits += 1
        touch(folder)
    else:
        if folder.exists():
            discard(folder)  # damaged (files deleted by hand): extract anew
        breakdown.cacheMisses += 1
        entry = extract_clip(clip, source, plan, root, key, breakdown, cancel)
    frames.manifest[placed.key] = _manifest_entry(plan, folder, entry)
    return key


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
