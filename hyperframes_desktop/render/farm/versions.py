"""What a machine renders with (app, Python, Qt/QtWebEngine, FFmpeg and its encoders), and
the check that every farm worker renders exactly like this computer.

Dask's own ``get_versions(check=True)`` only warns, so the farm refuses to send a chunk to a
cluster that would render differently.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import platformdirs

import hyperframes_desktop
from hyperframes_desktop import APP_NAME
from hyperframes_desktop.render import tools

#: The FFmpeg encoders each output format needs (video and sound).
FORMAT_ENCODERS = {
    "mp4": ("libx264", "aac"),
    "webm": ("libvpx-vp9", "libopus"),
    "mov": ("prores_ks", "aac"),
    "gif": ("ffv1", "gif"),
    "png-sequence": ("png",),
}
_ALL_ENCODERS = sorted({e for names in FORMAT_ENCODERS.values() for e in names})


def _dist_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


#: Where the FFmpeg facts of each binary are kept between processes (a CLI render, a new
#: farm worker would otherwise run FFmpeg twice before its first chunk)
FACTS_FILE = "ffmpeg-facts.json"


def _facts_file() -> Path:
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / FACTS_FILE


def _binary_key(path: str) -> str:
    """The FFmpeg binary as it is now: a replaced or rebuilt one is asked again."""
    real = os.path.realpath(path)
    st = os.stat(real)
    return f"{real}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}"


@lru_cache(maxsize=1)
def _ffmpeg_facts() -> tuple[str, tuple[str, ...]]:
    """FFmpeg's version and which of the encoders we use it has: asked once per binary and
    kept in the user cache (keyed by its path, size, mtime and inode), so a new process
    (a CLI render, a farm worker) does not run FFmpeg twice to learn it again."""
    try:
        key = _binary_key(tools.find_tool("ffmpeg"))
    except (tools.ToolMissing, OSError):
        return "missing", ()
    entry = _read_kept().get(key)
    if isinstance(entry, dict) and isinstance(entry.get("encoders"), list):
        return str(entry.get("version", "unknown")), tuple(str(e) for e in entry["encoders"])
    try:
        version = tools.run_tool("ffmpeg", ["-hide_banner", "-version"], timeout=30).stdout
        listing = tools.run_tool("ffmpeg", ["-hide_banner", "-encoders"], timeout=30).stdout
    except (tools.ToolMissing, OSError):
        return "missing", ()
    match = re.search(r"ffmpeg version (\S+)", version)
    names = set(re.findall(r"^\s*[VAS][.FSXBD]{5}\s+(\S+)", listing, re.MULTILINE))
    facts = (match.group(1) if match else "unknown"), tuple(e for e in _ALL_ENCODERS if e in names)
    _keep(key, facts)
    return facts


def ffmpeg_major(version: str | None = None) -> int:
    """The major version of ``version`` (this computer's FFmpeg by default): "5.1.9-0+deb12u1"
    and "n6.0" give 5 and 6; 0 when it cannot be told (a git build "N-…", no FFmpeg), so a
    feature that needs a newer FFmpeg is left out rather than tried."""
    text = _ffmpeg_facts()[0] if version is None else version
    match = re.match(r"n?(\d+)\.", text)
    return int(match.group(1)) if match else 0


def _read_kept() -> dict:
    try:
        kept = json.loads(_facts_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return kept if isinstance(kept, dict) else {}


def _keep(key: str, facts: tuple[str, tuple[str, ...]]) -> None:
    """Add ``facts`` to the kept file (atomically; a cache that cannot be written is no
    failure: the next process asks FFmpeg again)."""
    path = _facts_file()
    kept = {k: v for k, v in _read_kept().items() if k.split("|")[0] != key.split("|")[0]}
    kept[key] = {"version": facts[0], "encoders": list(facts[1])}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".ffmpeg-facts-", dir=path.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(kept, out)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def machine_versions() -> dict[str, object]:
    """This machine's rendering versions (also what a farm worker reports)."""
    ffmpeg, encoders = _ffmpeg_facts()
    return {
        "app": hyperframes_desktop.__version__,
        "python": platform.python_version(),
        "qt": _dist_version("PySide6-Essentials"),
        "qtwebengine": _dist_version("PySide6-WebEngine"),
        "ffmpeg": ffmpeg,
        "encoders": list(encoders),
    }


_LABELS = {
    "app": "HyperFrames Desktop",
    "python": "Python",
    "qt": "Qt (PySide6)",
    "qtwebengine": "QtWebEngine",
}


def _minor(version: object) -> str:
    return ".".join(str(version).split(".")[:2])


def mismatches(client: dict[str, object], worker: dict[str, object], fmt: str | None) -> list[str]:
    """What differs, as phrases (\"QtWebEngine 6.11.0 instead of 6.12.0\"); [] when they match.

    Python is compared by major.minor (what decides pickled data and the stdlib); the app and
    Qt exactly (Qt decides the pixels); FFmpeg by the encoders the format needs.
    """
    found = []
    for key, label in _LABELS.items():
        mine, theirs = client.get(key), worker.get(key)
        same = _minor(mine) == _minor(theirs) if key == "python" else mine == theirs
        if not same:
            found.append(f"{label} {theirs} instead of {mine}")
    # one format's encoders, or (fmt None) every encoder this computer has
    needed = FORMAT_ENCODERS.get(fmt, ()) if fmt else tuple(client.get("encoders") or ())
    lacking = [e for e in needed if e not in (worker.get("encoders") or [])]
    if lacking:
        found.append(
            f"an FFmpeg without the {', '.join(lacking)} encoder{'s' if len(lacking) > 1 else ''}"
        )
    return found
