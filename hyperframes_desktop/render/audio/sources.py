"""A clip's source file: checked before FFmpeg sees it, probed, and turned into its part in
the mix; every problem found is a MediaInputError naming the clip and the file."""

from __future__ import annotations

import contextlib
import json
import math
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.audio.plan import ClipPlan
from hyperframes_desktop.render.audio.runner import raise_if_cancelled
from hyperframes_desktop.render.compile import PlacedMedia
from hyperframes_desktop.render.media_errors import (
    MediaInputError,
    describe_clip,
    ffmpeg_complaint,
    seconds_text,
    shown_file,
)

STAGE = "audio"
_PROBE_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class SourceInfo:
    """What ffprobe says about a source file."""

    has_audio: bool
    duration: float | None  # seconds; None when the container does not say
    channels: int = 0


def _float(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def probe_source(path: Path, who: str, shown: str) -> SourceInfo:
    """ffprobe a source; MediaInputError when FFmpeg cannot read it as media."""
    args = [
        "-v", "error",
        "-show_entries", "stream=index,codec_type,codec_name,channels,duration:format=duration",
        "-of", "json",
        f"file:{path}",
    ]  # fmt: skip
    result = tools.run_tool("ffprobe", args, timeout=_PROBE_TIMEOUT_S)
    data: dict = {}
    if result.returncode == 0:
        with contextlib.suppress(ValueError):
            data = json.loads(result.stdout or "{}")
    streams = data.get("streams") if isinstance(data, dict) else None
    if result.returncode != 0 or not isinstance(streams, list) or not streams:
        reason = ffmpeg_complaint(result.stderr, path)
        raise MediaInputError(
            f"The {who} uses {shown}, which FFmpeg cannot read as audio or video "
            f"(the file is damaged or not a media file{': ' + reason if reason else ''}). "
            "Fix: replace it with a working file (e.g. re-export it as MP3, WAV, M4A or MP4).",
            clip=who,
            file=shown,
            stage=STAGE,
        )
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if audio is None:
        return SourceInfo(has_audio=False, duration=_float(data.get("format", {}).get("duration")))
    if not audio.get("codec_name"):
        raise MediaInputError(
            f"The {who} uses {shown}, whose audio is in a format FFmpeg cannot decode. "
            "Fix: re-export the file as MP3, WAV, AAC/M4A or Opus.",
            clip=who,
            file=shown,
            stage=STAGE,
        )
    duration = _float(audio.get("duration")) or _float(data.get("format", {}).get("duration"))
    channels = int(_float(audio.get("channels")) or 0)
    return SourceInfo(has_audio=True, duration=duration, channels=channels)


def check_source(placed: PlacedMedia, project_root: Path | None) -> Path:
    """The clip's file, checked before ffprobe so the common mistakes get plain words."""
    element = placed.element
    who = describe_clip(placed)
    shown = shown_file(placed, project_root)
    if element.path is None:
        if not element.src.strip():
            raise MediaInputError(
                f"The {who} has no src, so there is no sound to mix. "
                "Fix: set src to an audio or video file in the project folder.",
                clip=who,
                stage=STAGE,
            )
        raise MediaInputError(
            f'The {who} plays "{element.src}", a URL; the renderer mixes only files in the '
            "project folder. Fix: download the file into the project folder and point src "
            "at it.",
            clip=who,
            file=shown,
            stage=STAGE,
        )
    path = element.path
    if not path.exists():
        raise MediaInputError(
            f"The {who} uses {shown}, which does not exist. Fix: put the file there or "
            "correct src (paths are relative to the project folder).",
            clip=who,
            file=shown,
            stage=STAGE,
        )
    if not path.is_file():
        raise MediaInputError(
            f"The {who} uses {shown}, which is a folder, not a media file. "
            "Fix: point src at an audio or video file.",
            clip=who,
            file=shown,
            stage=STAGE,
        )
    if not os.access(path, os.R_OK):
        raise MediaInputError(
            f"The {who} uses {shown}, which cannot be read (permission denied). "
            "Fix: make the file readable.",
            clip=who,
            file=shown,
            stage=STAGE,
        )
    return path


def build_plan(
    placed: PlacedMedia,
    start: float,
    length: float,
    skipped: float,
    project_root: Path | None,
    cancel: threading.Event | None,
) -> ClipPlan | None:
    """Probe the clip's source and turn its window into source offsets (None: nothing left)."""
    path = check_source(placed, project_root)
    element = placed.element
    who = describe_clip(placed)
    shown = shown_file(placed, project_root)
    raise_if_cancelled(cancel)
    info = probe_source(path, who, shown)
    if not info.has_audio:
        if element.tag == "audio":
            fix = "point src at a file with sound, or show it as a <video> instead"
        else:
            fix = 'remove data-has-audio="true" from the video, or use a file with sound'
        raise MediaInputError(
            f"The {who} uses {shown}, which has no audio track. Fix: {fix}.",
            clip=who,
            file=shown,
            stage=STAGE,
        )
    if info.duration is not None and element.media_start >= info.duration:
        raise MediaInputError(
            f"The {who} starts at {seconds_text(element.media_start)} into {shown} "
            f"(data-media-start), but the file is only {seconds_text(info.duration)} long. "
            f"Fix: set data-media-start below {round(info.duration, 3):g}.",
            clip=who,
            file=shown,
            stage=STAGE,
        )
    rate = element.playback_rate
    source_start = element.media_start + skipped * rate
    if info.duration is not None and source_start >= info.duration:
        return None  # only the part before the render's start had sound
    return ClipPlan(
        placed=placed,
        path=path,
        timeline_start=start,
        length=length,
        source_start=source_start,
        rate=rate,
        volume=max(0.0, element.volume),
        mono=info.channels == 1,
    )
