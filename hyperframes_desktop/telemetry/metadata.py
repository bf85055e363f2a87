"""System metadata attached to every event.

Only coarse, non-identifying facts: versions, OS, arch, CPU count, memory size, CI or not.
Never user names, host names or paths. The Qt studio adds display facts (screen size,
device pixel ratio, language, timezone offset) through :func:`set_metadata_hook`; this
package never imports Qt.
"""

from __future__ import annotations

import functools
import logging
import os
import platform
import threading
from collections.abc import Callable, Mapping
from typing import Any

from hyperframes_desktop import __version__
from hyperframes_desktop.telemetry._env import env_str

log = logging.getLogger(__name__)

#: The only keys a metadata hook may contribute; anything else it returns is dropped so a
#: careless hook cannot leak, say, a window title holding a project path.
HOOK_KEYS = frozenset(
    {"screen_width", "screen_height", "device_pixel_ratio", "language", "timezone_offset_minutes"}
)
_MAX_HOOK_STR = 32

MetadataHook = Callable[[], Mapping[str, Any]]
_hook: MetadataHook | None = None
_hook_lock = threading.Lock()


def set_metadata_hook(fn: MetadataHook | None) -> None:
    """Register (or clear, with None) a function adding display facts to every event.

    It runs in the thread that calls ``track()`` (the GUI thread in the studio), so it must
    be quick; it should return a subset of :data:`HOOK_KEYS`. Errors in it are ignored.
    """
    global _hook
    with _hook_lock:
        _hook = fn


def event_metadata() -> dict[str, Any]:
    """System metadata plus whatever the hook adds (allow-listed)."""
    props = dict(system_metadata())
    hook = _hook
    if hook is not None:
        try:
            props.update(_filter_hook(hook()))
        except Exception:  # a broken hook must never break tracking
            log.debug("telemetry metadata hook failed", exc_info=True)
    return props


def _filter_hook(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in HOOK_KEYS:
            continue
        if value is None or isinstance(value, bool | int | float):
            out[key] = value
        elif isinstance(value, str):
            out[key] = value[:_MAX_HOOK_STR]
    return out


@functools.cache
def system_metadata() -> dict[str, Any]:
    """Facts that do not change while the process runs (computed once)."""
    return {
        "app_version": __version__,
        "os": platform.system() or "unknown",
        "os_release": _os_release(),
        "arch": platform.machine() or "unknown",
        "python_version": platform.python_version(),
        "qt_version": qt_version(),
        "cpu_count": os.cpu_count() or 0,
        "memory_total_mb": _memory_total_mb(),
        "is_ci": is_ci(),
    }


def _os_release() -> str:
    if platform.system() == "Darwin":
        mac = platform.mac_ver()[0]
        if mac:
            return mac
    return platform.release() or "unknown"


def qt_version() -> str | None:
    """The installed PySide6 version, read from package metadata; Qt is never imported."""
    import importlib.metadata  # lazily: ~10 ms the CLI should not pay at start-up

    for dist in ("PySide6-Essentials", "PySide6"):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
        except Exception:
            return None
    return None


def _memory_total_mb() -> int | None:
    try:
        import psutil

        return int(psutil.virtual_memory().total // (1024 * 1024))
    except Exception:
        return None


def is_ci() -> bool:
    """True when a ``CI`` variable is set to anything but an explicit false."""
    value = env_str("CI").lower()
    return bool(value) and value not in ("0", "false", "no", "off")
