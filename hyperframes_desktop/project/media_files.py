"""Whether a file a composition refers to can be used, checked without decoding it.

The render's media stages refuse a missing, unreadable or non-media file; these rules find
the same problems up front (the checker reports them all at once, with file and line).
"""

from __future__ import annotations

from pathlib import Path

from .errors import Severity, display_name
from .files import is_remote
from .scanner import Element
from .values import Where

_SNIFF_BYTES = 512
_TEXT_BYTES = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D}


def file_trouble(path: Path, *, media: bool) -> str | None:
    """Why ``path`` cannot be used ("does not exist", "is a folder", ...), None when fine.

    With ``media``, an empty file and a plain-text file count as unusable too: every audio
    and video container starts with binary bytes.
    """
    if not path.exists():
        return "does not exist"
    if not path.is_file():
        return "is a folder, not a file"
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if not media:
        return None
    if not head:
        return "is empty"
    if all(byte in _TEXT_BYTES for byte in head):
        return "is a text file, not audio or video"
    return None


def _is_https(src: str) -> bool:
    src = src.strip().lower()
    return src.startswith(("https://", "//"))


def _is_heard(element: Element) -> bool:
    if element.tag == "audio":
        return "muted" not in element.attrs
    return (element.attrs.get("data-has-audio") or "").strip().lower() == "true"


def check_media_file(
    element: Element, src: str, path: Path | None, root: Path, where: Where
) -> None:
    """Record a problem when a ``<video>``/``<audio>`` cannot be used by the render.

    Every video is turned into frames, so any trouble is an error; an ``<audio>`` that is
    muted is never mixed, so its trouble is only a warning.
    """
    severity: Severity = "error" if element.tag == "video" or _is_heard(element) else "warning"
    kind = "video" if element.tag == "video" else "audio"
    element_id = element.attrs.get("id")
    who = f'{kind} clip "{element_id}"' if element_id else f"<{element.tag}>"
    if not src.strip():
        where.note(
            severity,
            f"the {who} has no src, so it has no {kind} to play",
            f"set src to a {kind} file in the project folder",
            "src",
            element,
        )
        return
    if path is None and _is_https(src):
        return  # fetched through the resolver by the render (lint lists it as remote)
    if path is None or is_remote(src):
        where.note(
            severity,
            f'the {who} plays "{src}", a URL that is not https; renders play only project '
            "files and https URLs",
            "download the file into the project folder and point src at it, or use its https URL",
            "src",
            element,
        )
        return
    trouble = file_trouble(path, media=True)
    if trouble is None:
        return
    fix = (
        "put the file there or correct src (paths are relative to the project folder)"
        if trouble == "does not exist"
        else f"point src at a working {kind} file (e.g. MP4, WebM, MP3 or WAV)"
    )
    shown = display_name(path, root)
    where.note(severity, f"the {who} uses {shown}, which {trouble}", fix, "src", element)
