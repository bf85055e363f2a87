"""The telemetry config file: anonymous id, opt-out flag and notice-shown flag.

Lives in ``<user config dir>/hyperframes-desktop/config.json``. Every failure mode ends with
telemetry off and the app still working:

- missing file: created with a fresh random id, telemetry on, notice not yet shown;
- corrupt file: kept aside as ``config.json.corrupt-<timestamp>`` and re-created with
  telemetry **off** (we cannot know what the user had chosen, so we assume "no");
- unreadable file or unwritable folder: :class:`ConfigUnavailable`, which the gates turn
  into "telemetry off"; a readable config in a read-only folder is off too
  (:func:`folder_writable`), since the user could not save an opt-out there.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import platformdirs

from hyperframes_desktop import APP_NAME

SCHEMA_VERSION = 1
CONFIG_FILENAME = "config.json"


class ConfigUnavailable(Exception):
    """The config could not be read or written; telemetry must stay off."""


@dataclass(frozen=True)
class TelemetryConfig:
    schema_version: int
    anonymous_id: str
    telemetry_enabled: bool
    notice_shown: bool

    @classmethod
    def fresh(cls, *, telemetry_enabled: bool = True) -> TelemetryConfig:
        return cls(SCHEMA_VERSION, str(uuid.uuid4()), telemetry_enabled, False)


def config_dir() -> Path:
    """The app's config folder.

    ``XDG_CONFIG_HOME`` is honoured on every OS (platformdirs only does so on Linux), so
    tests and power users can point the app at another folder anywhere.
    """
    xdg = os.environ.get("XDG_CONFIG_HOME", "").strip()
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / APP_NAME
    return platformdirs.user_config_path(APP_NAME, appauthor=False, roaming=True)


def config_path() -> Path:
    return config_dir() / CONFIG_FILENAME


def load_config() -> TelemetryConfig:
    """Read the config, creating or repairing it when needed.

    Raises :class:`ConfigUnavailable` when it can be neither read nor (re)written.
    """
    path = config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return _write_new(TelemetryConfig.fresh())
    except OSError as exc:
        raise ConfigUnavailable(f"config unreadable ({type(exc).__name__})") from exc
    parsed = _parse(raw)
    if parsed is not None:
        return parsed
    _set_aside(path)
    return _write_new(TelemetryConfig.fresh(telemetry_enabled=False))


def update_config(**changes: Any) -> TelemetryConfig:
    """Load the config, apply ``changes`` (e.g. ``telemetry_enabled=False``) and save it."""
    updated = replace(load_config(), **changes)
    _write(updated)
    return updated


def folder_writable() -> bool:
    """Whether an opt-out could be saved right now (a read-only folder means it could not)."""
    return os.access(config_dir(), os.W_OK)


def set_telemetry_enabled(enabled: bool) -> bool:
    """Save the user's choice (settings dialog, CLI); False when it cannot be written."""
    try:
        update_config(telemetry_enabled=bool(enabled))
    except ConfigUnavailable:
        return False
    return True


def _parse(raw: bytes) -> TelemetryConfig | None:
    """The config in ``raw``, or None when it is not a valid config (= corrupt)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    schema = data.get("schema_version")
    anon = data.get("anonymous_id")
    enabled = data.get("telemetry_enabled")
    notice = data.get("notice_shown")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        return None
    if not isinstance(enabled, bool) or not isinstance(notice, bool):
        return None
    if not isinstance(anon, str) or not _is_uuid(anon):
        return None
    return TelemetryConfig(schema, anon, enabled, notice)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _set_aside(path: Path) -> None:
    """Rename a corrupt config to ``config.json.corrupt-<timestamp>`` (never overwrite one)."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    try:
        os.replace(path, target)
    except OSError as exc:
        raise ConfigUnavailable(
            f"corrupt config cannot be set aside ({type(exc).__name__})"
        ) from exc


def _write_new(config: TelemetryConfig) -> TelemetryConfig:
    _write(config)
    return config


def _ensure_dir(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        # mkdir's mode is filtered by the umask and ignored for an existing folder.
        os.chmod(folder, 0o700)


def _write(config: TelemetryConfig) -> None:
    """Atomic write: a temp file in the same folder, fsync'd, then renamed over the config."""
    folder = config_dir()
    try:
        _ensure_dir(folder)
        fd, tmp = tempfile.mkstemp(prefix=".config-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ConfigUnavailable(f"config folder not writable ({type(exc).__name__})") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(config), fh, indent=2)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, folder / CONFIG_FILENAME)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ConfigUnavailable(f"config not writable ({type(exc).__name__})") from exc
