"""A picture of a catalog block rendered by our own engine (not HyperFrames' hosted
previews): the block is laid out alone in the user cache folder and one frame is captured."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import platformdirs

from hyperframes_desktop import APP_NAME, __version__
from hyperframes_desktop.render.still import StillOptions, render_still

from .alone import stage_alone
from .client import RegistryClient
from .items import RegistryItem

PREVIEW_SIDE = 480


def preview_cache_dir() -> Path:
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "block-previews"


def preview_time(item: RegistryItem) -> float:
    """The moment shown: 40 % into the block (its elements are in by then)."""
    return round((item.duration or 1.0) * 0.4, 3)


def block_preview(
    client: RegistryClient,
    item: RegistryItem,
    cache_dir: Path | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """The PNG preview of ``item`` (rendered once, then from the cache). Raises the engine's
    sentences (ProjectError, RenderError, …) or CatalogError when it cannot be made."""
    key = hashlib.sha256(
        f"{__version__}|{client.base}|{json.dumps(item.raw, sort_keys=True)}".encode()
    ).hexdigest()[:16]
    folder = (cache_dir or preview_cache_dir()) / f"{item.name}-{key}"
    picture = folder / "preview.png"
    if picture.is_file():
        return picture
    page = stage_alone(client, item, folder / "block")
    resolution = None
    if item.dimensions:
        width, height = item.dimensions
        scale = min(1.0, PREVIEW_SIDE / max(width, height))
        resolution = f"{round(width * scale / 2) * 2}x{round(height * scale / 2) * 2}"
    render_still(
        StillOptions(
            project=page.parent,
            composition=page.name,
            time=preview_time(item),
            output=picture,
            resolution=resolution,
        ),
        cancel,
    )
    return picture
