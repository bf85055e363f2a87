"""Facts the Assets panel shows about a media file: its length and a poster frame, asked of
FFmpeg through the one launching helper; posters are kept in the user cache folder."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

from hyperframes_desktop import APP_NAME
from hyperframes_desktop.catalog.errors import CatalogError
from hyperframes_desktop.catalog.media_length import media_duration
from hyperframes_desktop.render.tools import ToolMissing, run_tool

POSTER_WIDTH = 160


def poster_cache_dir() -> Path:
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "asset-posters"


def duration_of(path: Path) -> float | None:
    """Seconds of a video or sound file; None when FFmpeg cannot tell."""
    try:
        return media_duration(path)
    except CatalogError:
        return None


def video_poster(path: Path, cache_dir: Path | None = None) -> Path | None:
    """A PNG of the video's frame at 10 % of its length (cached by path, size and time)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = hashlib.sha256(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    folder = cache_dir or poster_cache_dir()
    target = folder / f"{key.hexdigest()[:20]}.png"
    if target.is_file():
        return target
    seconds = duration_of(path) or 0.0
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{target.stem}.{os.getpid()}.partial.png"
    args = [
        "-v", "error", "-nostdin", "-y", "-ss", f"{seconds * 0.1:.3f}", "-i", f"file:{path}",
        "-frames:v", "1", "-vf", f"scale={POSTER_WIDTH}:-2", "-f", "image2", str(partial),
    ]  # fmt: skip
    try:
        result = run_tool("ffmpeg", args, timeout=60)
    except ToolMissing:
        return None
    if result.returncode != 0 or not partial.is_file():
        partial.unlink(missing_ok=True)
        return None
    os.replace(partial, target)
    return target
