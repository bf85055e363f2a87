"""What dropping a media file on the timeline inserts: a ``<video>``, ``<audio>`` or ``<img>``
clip at the drop time, on the dropped track (or the next free one above it), with a unique id.

Qt-free, so the rule is tested without a window; the studio's drop target calls it.
"""

from __future__ import annotations

import os
from pathlib import Path

from hyperframes_desktop.project.timeline import Timeline
from hyperframes_desktop.project.timeline.changes import EditRefused
from hyperframes_desktop.project.timeline.insertion import (
    Insertion,
    composition_host,
    free_track,
    media_clip,
    unique_id,
    used_ids,
)

from .assets import asset_kind

#: How long a dropped picture shows, in seconds (cut at the composition's end).
IMAGE_SECONDS = 3.0


def media_reference(timeline: Timeline, media: Path) -> str:
    """``media`` as the composition file names it: relative to the file's folder, POSIX."""
    return Path(os.path.relpath(media.resolve(), timeline.file.parent.resolve())).as_posix()


def plan_media_drop(
    timeline: Timeline,
    media: Path,
    *,
    start: float,
    track: int,
    media_seconds: float | None,
) -> Insertion:
    """The clip to insert for ``media`` dropped at ``start`` seconds on ``track``.

    ``media_seconds`` is the file's length (video/audio; None for a picture)."""
    kind = asset_kind(media)
    if kind not in ("video", "audio", "image"):
        raise EditRefused(
            f"{media.name} is not a video, sound or picture, so it cannot go on the timeline."
        )
    start = timeline.seconds(timeline.frame(max(0.0, start)))  # whole frames, as every edit
    if kind == "image":
        remaining = timeline.duration - start
        duration = min(IMAGE_SECONDS, remaining) if remaining > 0 else IMAGE_SECONDS
    else:
        if not media_seconds or media_seconds <= 0:
            raise EditRefused(f"The length of {media.name} could not be read; it was not added.")
        duration = media_seconds
    track = free_track(timeline, start, start + duration, wanted=track)
    clip_id = unique_id(media.stem, used_ids(timeline.sources.values()))
    element = media_clip(
        kind,
        media_reference(timeline, media),
        clip_id=clip_id,
        start=start,
        duration=duration,
        track=track,
    )
    return Insertion(timeline.file, timeline.composition_id, element, f"Add {media.name}", clip_id)


def plan_block_mount(
    timeline: Timeline,
    *,
    name: str,
    composition_id: str,
    src: str,
    start: float,
    duration: float | None,
    size: tuple[int, int] | None,
) -> Insertion:
    """The host element mounting an installed block at ``start`` seconds (on whole frames),
    on the lowest track free for its length, with a unique id."""
    start = timeline.seconds(timeline.frame(max(0.0, start)))
    length = duration or max(timeline.duration - start, 1 / float(timeline.fps))
    track = free_track(timeline, start, start + length, wanted=0)
    clip_id = unique_id(name, used_ids(timeline.sources.values()))
    element = composition_host(
        composition_id, src, clip_id=clip_id, start=start, duration=duration, track=track,
        size=size,
    )  # fmt: skip
    return Insertion(timeline.file, timeline.composition_id, element, f"Add {name}", clip_id)
