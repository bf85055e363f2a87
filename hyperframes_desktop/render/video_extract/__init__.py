"""The video-extract stage: the exact source frame of every ``<video>`` clip for every output
frame, pulled with FFmpeg into a reusable cache, and the page script that shows them.

- :mod:`.timing`: which source frame each output frame shows (the browser's rule).
- :mod:`.probe`: ffprobe of a source (size, alpha, frame timestamps).
- :mod:`.extract`: one clip's ffmpeg run (seek, ``select`` by timestamp, filter script).
- :mod:`.cache`: cache keys, partial folders, publishing, the LRU size cap.
- :mod:`.stage`: :func:`extract_video_frames`, the stage itself, and its :class:`VideoFrames`.
- :mod:`.injection`: :func:`page_injection`, the style and script the page gets.
- :mod:`.errors` and :mod:`.runner`: the stage's messages and its FFmpeg runs.

A ``data-media-start`` at or past the source's end is an error (MediaInputError, stage
``video_extract``); a time past the source's last frame shows the last frame.
"""

from hyperframes_desktop.render.media_errors import MediaInputError, describe_clip
from hyperframes_desktop.render.video_extract.cache import (
    CACHE_VERSION,
    DEFAULT_CACHE_LIMIT_BYTES,
    ENTRY_FILE,
    PARTIAL_PREFIX,
    TRASH_PREFIX,
    cache_key,
    clean_partials,
    default_cache_root,
    enforce_cache_limit,
)
from hyperframes_desktop.render.video_extract.errors import STAGE
from hyperframes_desktop.render.video_extract.extract import extract_command, select_expression
from hyperframes_desktop.render.video_extract.injection import frames_script_source, page_injection
from hyperframes_desktop.render.video_extract.probe import SourceFrames, probe_source
from hyperframes_desktop.render.video_extract.runner import filter_file_option
from hyperframes_desktop.render.video_extract.stage import VideoFrames, extract_video_frames
from hyperframes_desktop.render.video_extract.timing import (
    FramePlan,
    exact,
    frame_plan,
    pick_source_frames,
    pts_slack,
)

__all__ = [
    "CACHE_VERSION",
    "DEFAULT_CACHE_LIMIT_BYTES",
    "ENTRY_FILE",
    "PARTIAL_PREFIX",
    "STAGE",
    "TRASH_PREFIX",
    "FramePlan",
    "MediaInputError",
    "SourceFrames",
    "VideoFrames",
    "cache_key",
    "clean_partials",
    "default_cache_root",
    "describe_clip",
    "enforce_cache_limit",
    "exact",
    "extract_command",
    "extract_video_frames",
    "filter_file_option",
    "frame_plan",
    "frames_script_source",
    "page_injection",
    "pick_source_frames",
    "probe_source",
    "pts_slack",
    "select_expression",
]
