"""A picture of each template for the New Project dialog, made by our own ``still``.

Made on first show and kept in the user cache folder under a name that hashes the template's
files, so an updated template gets a new picture and an unchanged one is never re-rendered.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

import platformdirs

from hyperframes_desktop import APP_NAME, __version__
from hyperframes_desktop.render.still import StillOptions, render_still

from .init import InitOptions, init_project
from .resolutions import parse_resolution
from .templates import Template

#: The longer side of a thumbnail, in pixels.
THUMB_SIDE = 320
#: The moment pictured: late enough that every template has its first elements in.
THUMB_TIME = 1.5


def thumbnail_cache_dir() -> Path:
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "template-thumbnails"


def _key(template: Template) -> str:
    digest = hashlib.sha256(f"{__version__}|{THUMB_SIDE}|{THUMB_TIME}".encode())
    for rel in template.files():
        digest.update(rel.as_posix().encode() + b"\0")
        digest.update((template.folder / rel).read_bytes())
    return digest.hexdigest()[:16]


def thumbnail_size(template: Template) -> tuple[int, int]:
    width, height = parse_resolution(template.resolution)
    scale = THUMB_SIDE / max(width, height)
    return round(width * scale / 2) * 2, round(height * scale / 2) * 2


def cached_thumbnail(template: Template, cache_dir: Path | None = None) -> Path | None:
    """The picture if it was made before, else None (nothing is rendered)."""
    path = (cache_dir or thumbnail_cache_dir()) / f"{template.name}-{_key(template)}.png"
    return path if path.is_file() else None


def template_thumbnail(
    template: Template, cache_dir: Path | None = None, cancel: threading.Event | None = None
) -> Path:
    """The template's picture, rendered now if it is not in the cache. Raises what
    ``render_still`` raises (a sentence) when it cannot be made, RenderCancelled on
    ``cancel``."""
    folder = cache_dir or thumbnail_cache_dir()
    target = folder / f"{template.name}-{_key(template)}.png"
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    width, height = thumbnail_size(template)
    scratch = Path(tempfile.mkdtemp(prefix="hf-thumb-"))
    try:
        project = scratch / template.name
        init_project(InitOptions(project, template.name, resolution=f"{width}x{height}"))
        shot = scratch / "thumb.png"
        render_still(StillOptions(project=project, time=THUMB_TIME, output=shot), cancel)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".thumb-", suffix=".png")
        os.close(fd)
        shutil.copyfile(shot, tmp)
        os.replace(tmp, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for stale in folder.glob(f"{template.name}-*.png"):
        if stale != target and stale.stem.rsplit("-", 1)[0] == template.name:
            stale.unlink(missing_ok=True)
    return target
