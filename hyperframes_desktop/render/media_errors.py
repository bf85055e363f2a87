"""A clip's media file is unusable: the error both media stages raise, and the words their
messages use to name the clip, its file and FFmpeg's complaint."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from hyperframes_desktop.project.errors import display_name
from hyperframes_desktop.render.options import RenderError

if TYPE_CHECKING:
    from hyperframes_desktop.render.compile import PlacedMedia


class MediaInputError(RenderError):
    """A media file a clip refers to is missing, unreadable, corrupt or has no sound.

    A problem with the user's project, not with the engine (the CLI exits with code 2).
    ``clip`` is the element id (or a description when it has none), ``file`` the file as shown
    to the user (relative to the project folder), ``stage`` the stage that found the problem
    (``"audio"`` or ``"video_extract"``; ``"audio"`` when not given, as before it was shared).
    """

    def __init__(self, message: str, clip: str = "", file: str = "", stage: str = "audio") -> None:
        super().__init__(message, stage=stage)
        self.clip = clip
        self.file = file


def describe_clip(placed: PlacedMedia) -> str:
    """'audio clip "vo"' (or the src when the element has no id), for messages."""
    element = placed.element
    kind = "audio clip" if element.tag == "audio" else "video clip"
    if element.element_id:
        return f'{kind} "{element.element_id}"'
    return f'{kind} #{placed.key} (src "{element.src}", no id)'


def shown_file(placed: PlacedMedia, project_root: Path | None) -> str:
    """The clip's file as messages name it: relative to the project, else its src."""
    path = placed.element.path
    if path is None:
        return placed.element.src
    src = placed.element.src.strip()
    if src.lower().startswith(("https://", "//")):  # a remote clip, played from the cache
        return src
    return display_name(path, project_root)


def seconds_text(value: float) -> str:
    """``1.5 s``: a duration for messages, to the millisecond."""
    return f"{round(float(value), 3):g} s"


def ffmpeg_complaint(stderr: str, path: Path | str) -> str:
    """FFmpeg's last complaint, without the absolute path (messages name files relatively)."""
    lines = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
    if not lines:
        return ""
    text = str(path)
    return lines[-1].replace(f"file:{text}", "").replace(text, "").strip(" :")


__all__ = ["MediaInputError", "describe_clip", "ffmpeg_complaint", "seconds_text", "shown_file"]
