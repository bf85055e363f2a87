"""The studio preview's sound: the audio stage's own mix, cached by content.

The preview plays exactly the WAV a render would mux (same :func:`mix_audio`, same length:
``frame_count / fps``), so what you hear while timing is what renders. Mixing takes FFmpeg a
moment, so each mix is kept under ``<user cache dir>/hyperframes-desktop/preview-audio/``,
named by a hash of everything that decides it: the composition's length and, for every
audible clip, its window, source offset, rate, volume and the source file's identity (path,
size, modification time). Re-opening or re-loading an unchanged composition reuses the file;
changing a clip's volume, timing or file makes a new one. Old mixes go least recently used
first once the folder passes :data:`DEFAULT_LIMIT_BYTES`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import platformdirs

from hyperframes_desktop import APP_NAME
from hyperframes_desktop.project import Composition
from hyperframes_desktop.render.audio.graph import CHANNELS, SAMPLE_RATE
from hyperframes_desktop.render.audio.mix import mix_audio
from hyperframes_desktop.render.audio.plan import plan_clips
from hyperframes_desktop.render.compile import PlacedMedia, frame_count, place_media

#: Bump when the mix's meaning changes (a new filter, another format): old files are unused.
CACHE_VERSION = 1
DEFAULT_LIMIT_BYTES = 1024**3
_PARTIAL_PREFIX = ".partial-"


def default_cache_root() -> Path:
    """``<user cache dir>/hyperframes-desktop/preview-audio`` (honours XDG_CACHE_HOME)."""
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "preview-audio"


def mix_duration(comp: Composition) -> float:
    """The render's audio length: as long as the video exactly (frames / fps)."""
    return frame_count(comp.duration, comp.fps) / float(comp.fps)


def has_sound(comp: Composition) -> bool:
    """Whether any clip is heard inside the composition (no files are opened)."""
    duration = mix_duration(comp)
    return duration > 0 and bool(plan_clips(place_media(comp), duration))


def _identity(path: Path | None, src: str) -> dict[str, object]:
    if path is None:
        return {"src": src}
    try:
        stat = path.stat()
    except OSError:
        return {"path": str(path), "missing": True}
    return {"path": str(path), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def mix_key(media: list[PlacedMedia], duration: float) -> str | None:
    """Hash of the mix plan and its sources' identities; None when nothing is heard."""
    windows = plan_clips(media, duration) if duration > 0 else []
    if not windows:
        return None
    clips = []
    for placed, start, length, skipped in windows:
        element = placed.element
        clips.append(
            {
                "tag": element.tag,
                "source": _identity(element.path, element.src),
                "start": repr(start),
                "length": repr(length),
                "skipped": repr(skipped),
                "media_start": repr(element.media_start),
                "rate": repr(element.playback_rate),
                "volume": repr(element.volume),
            }
        )
    plan = {
        "v": CACHE_VERSION,
        "rate": SAMPLE_RATE,
        "channels": CHANNELS,
        "duration": repr(duration),
        "clips": clips,
    }
    text = json.dumps(plan, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def preview_mix(
    comp: Composition,
    cache_root: Path | None = None,
    cancel: threading.Event | None = None,
    *,
    limit_bytes: int = DEFAULT_LIMIT_BYTES,
    silenced: frozenset[str] = frozenset(),
    localize: Callable[[list[PlacedMedia]], list[PlacedMedia]] | None = None,
) -> Path | None:
    """The composition's mixed sound as a WAV in the cache (mixed now unless already there).

    ``silenced``: ids of media elements left out (the studio's muted timeline tracks; a
    preview-only choice, renders never get it). None when nothing is heard. Raises what
    :func:`mix_audio` raises (MediaInputError for a bad source, RenderError,
    RenderCancelled); a failed or cancelled mix leaves no file. ``localize`` points remote
    clips at local copies (the studio's resolver, see render.resources.remote_media).
    """
    root = cache_root or default_cache_root()
    media = [m for m in place_media(comp) if m.element.element_id not in silenced]
    if localize is not None:
        media = localize(media)
    duration = mix_duration(comp)
    key = mix_key(media, duration)
    if key is None:
        return None
    final = root / f"{key}.wav"
    if final.is_file() and final.stat().st_size > 0:
        with contextlib.suppress(OSError):
            os.utime(final)  # recently used: evicted last
        return final
    root.mkdir(parents=True, exist_ok=True)
    partial = root / f"{_PARTIAL_PREFIX}{uuid.uuid4().hex}.wav"
    try:
        result = mix_audio(media, duration, partial, cancel, project_root=comp.project_root)
        if result is None:  # every audible clip lay past its source's end
            return None
        os.replace(partial, final)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    _evict(root, limit_bytes, keep=final)
    return final


def _evict(root: Path, limit_bytes: int, keep: Path) -> None:
    """Remove least recently used mixes until the folder fits ``limit_bytes``."""
    entries = []
    for path in root.glob("*.wav"):
        if path.name.startswith(_PARTIAL_PREFIX) or path == keep:
            continue
        with contextlib.suppress(OSError):
            stat = path.stat()
            entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    with contextlib.suppress(OSError):
        total += keep.stat().st_size
    for _, size, path in sorted(entries):
        if total <= limit_bytes:
            break
        with contextlib.suppress(OSError):
            path.unlink()
            total -= size
