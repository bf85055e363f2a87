"""What can be wrong with a ``<video>`` clip's input or the frame cache, in words a user can
act on: the clip and file a message names, the checks on the file before FFmpeg sees it, and
the errors this stage raises (MediaInputError / RenderError with stage ``video_extract``)."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.render.compile import PlacedMedia
from hyperframes_desktop.render.media_errors import MediaInputError, describe_clip, shown_file
from hyperframes_desktop.render.options import RenderError

STAGE = "video_extract"


@dataclass(frozen=True)
class Clip:
    """A clip with the words messages use for it (``who``) and for its file (``shown``)."""

    placed: PlacedMedia
    who: str
    shown: str


def describe(placed: PlacedMedia, project_root: Path | None) -> Clip:
    return Clip(placed, describe_clip(placed), shown_file(placed, project_root))


def input_error(message: str, clip: Clip) -> MediaInputError:
    return MediaInputError(message, clip=clip.who, file=clip.shown, stage=STAGE)


def unreadable(clip: Clip, reason: str) -> MediaInputError:
    return input_error(
        f"The {clip.who} uses {clip.shown}, which FFmpeg cannot read as video (the file is "
        f"damaged or not a video file{': ' + reason if reason else ''}). Fix: replace it with "
        "a working file (e.g. re-export it as MP4 (H.264) or WebM).",
        clip,
    )


def check_source(clip: Clip) -> Path:
    """The clip's file, checked before ffprobe so the common mistakes get plain words."""
    element = clip.placed.element
    if element.path is None:
        if not element.src.strip():
            raise input_error(
                f"The {clip.who} has no src, so there are no frames to show. "
                "Fix: set src to a video file in the project folder.",
                clip,
            )
        raise input_error(
            f'The {clip.who} plays "{element.src}", a URL; the renderer uses only files in the '
            "project folder. Fix: download the video into the project folder and point src at "
            "it.",
            clip,
        )
    path = element.path
    if not path.exists():
        raise input_error(
            f"The {clip.who} uses {clip.shown}, which does not exist. Fix: put the file there "
            "or correct src (paths are relative to the project folder).",
            clip,
        )
    if not path.is_file():
        raise input_error(
            f"The {clip.who} uses {clip.shown}, which is a folder, not a video file. "
            "Fix: point src at a video file.",
            clip,
        )
    if not os.access(path, os.R_OK):
        raise input_error(
            f"The {clip.who} uses {clip.shown}, which cannot be read (permission denied). "
            "Fix: make the file readable.",
            clip,
        )
    return path


def cache_error(root: Path, exc: OSError) -> RenderError:
    """The cache folder cannot be written (full disk, permissions)."""
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
