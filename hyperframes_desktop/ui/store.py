"""Studio settings and render history, as JSON files in the user data dir.

Both files are read leniently: a missing or damaged file just means defaults, so a bad
write can never stop the studio from starting.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from hyperframes_desktop.render import FORMATS, QUALITY_PRESETS
from hyperframes_desktop.render.options import RESOLUTION_PRESETS
from hyperframes_desktop.ui.paths import data_dir

SETTINGS_FILE = "studio-settings.json"
HISTORY_FILE = "render-history.json"
VARIABLES_FILE = "variable-values.json"
MAX_RECENT = 10
MAX_HISTORY = 50
FPS_CHOICES = (24, 30, 60)
MAX_CONCURRENT_LIMIT = 8
RUN_ON = ("local", "farm")


@dataclass
class RenderSettings:
    format: str = "mp4"
    quality: str = "standard"
    fps: int | None = None  # None: the composition's own fps
    output_folder: str = ""  # "": the project's renders/ folder
    resolution: str | None = None  # a RESOLUTION_PRESETS name; None: the composition's size
    run_on: str = "local"  # RUN_ON: this computer, or the render farm set in Preferences

    def sanitized(self) -> RenderSettings:
        return RenderSettings(
            format=self.format if self.format in FORMATS else FORMATS[0],
            quality=self.quality if self.quality in QUALITY_PRESETS else "standard",
            fps=self.fps if self.fps in FPS_CHOICES else None,
            output_folder=self.output_folder if isinstance(self.output_folder, str) else "",
            resolution=self.resolution if self.resolution in RESOLUTION_PRESETS else None,
            run_on=self.run_on if self.run_on in RUN_ON else "local",
        )


@dataclass
class FarmPrefs:
    """How the studio reaches a render farm (Preferences → Render farm); "" = not set."""

    address: str = ""  # tcp://HOST:8786 or tls://HOST:8786
    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""

    @classmethod
    def from_raw(cls, raw: Any) -> FarmPrefs:
        if not isinstance(raw, dict):
            return cls()
        values = {k: v.strip() for k, v in _known(cls, raw).items() if isinstance(v, str)}
        return cls(**values)


@dataclass
class StudioSettings:
    render: RenderSettings = field(default_factory=RenderSettings)
    max_concurrent: int = 1
    recent_projects: list[str] = field(default_factory=list)
    last_project: str | None = None
    farm: FarmPrefs = field(default_factory=FarmPrefs)
    #: Preferences: "Download libraries and fonts that projects use" (off: cache only)
    download_resources: bool = True

    def add_recent(self, project: Path) -> None:
        text = str(project)
        self.recent_projects = [text, *(p for p in self.recent_projects if p != text)][:MAX_RECENT]
        self.last_project = text


@dataclass
class HistoryEntry:
    """A finished render as the queue remembers it across sessions."""

    job_id: str
    composition: str
    project: str
    output: str
    status: str  # complete | failed | cancelled
    stage: str = ""
    error: str = ""
    elapsed_s: float = 0.0
    finished_at: float = 0.0


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _write_json(path: Path, value: Any) -> bool:
    """Atomic write (temp file + rename); False when the folder is not writable."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(value, out, indent=2)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False


def _known(cls: type, raw: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in raw.items() if k in names}


def load_settings(folder: Path | None = None) -> StudioSettings:
    raw = _read_json((folder or data_dir()) / SETTINGS_FILE)
    if not isinstance(raw, dict):
        return StudioSettings()
    try:
        render_raw = raw.get("render") if isinstance(raw.get("render"), dict) else {}
        render = RenderSettings(**_known(RenderSettings, render_raw)).sanitized()
        recent = [p for p in raw.get("recent_projects") or [] if isinstance(p, str)]
        last = raw.get("last_project") if isinstance(raw.get("last_project"), str) else None
        concurrent = raw.get("max_concurrent", 1)
        if not isinstance(concurrent, int) or isinstance(concurrent, bool):
            concurrent = 1
        return StudioSettings(
            render=render,
            max_concurrent=max(1, min(MAX_CONCURRENT_LIMIT, concurrent)),
            recent_projects=recent[:MAX_RECENT],
            last_project=last,
            farm=FarmPrefs.from_raw(raw.get("farm")),
            download_resources=raw.get("download_resources") is not False,
        )
    except (TypeError, ValueError):
        return StudioSettings()


def save_settings(settings: StudioSettings, folder: Path | None = None) -> bool:
    return _write_json((folder or data_dir()) / SETTINGS_FILE, asdict(settings))


def load_history(folder: Path | None = None) -> list[HistoryEntry]:
    raw = _read_json((folder or data_dir()) / HISTORY_FILE)
    entries: list[HistoryEntry] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        with contextlib.suppress(TypeError, ValueError):
            entries.append(HistoryEntry(**_known(HistoryEntry, item)))
    return entries[-MAX_HISTORY:]


def save_history(entries: list[HistoryEntry], folder: Path | None = None) -> bool:
    return _write_json(
        (folder or data_dir()) / HISTORY_FILE, [asdict(e) for e in entries[-MAX_HISTORY:]]
    )


def _variables_key(project: Path, composition: Path) -> tuple[str, str]:
    project = Path(project).resolve()
    composition = Path(composition)
    if composition.is_absolute():
        with contextlib.suppress(ValueError):
            composition = composition.resolve().relative_to(project)
    return str(project), composition.as_posix()


def load_variable_values(
    project: Path, composition: Path, folder: Path | None = None
) -> dict[str, Any]:
    """The variable values last set in the studio for this project's composition."""
    raw = _read_json((folder or data_dir()) / VARIABLES_FILE)
    project_key, comp_key = _variables_key(project, composition)
    values = raw.get(project_key, {}).get(comp_key) if isinstance(raw, dict) else None
    if not isinstance(values, dict):
        return {}
    return {str(k): v for k, v in values.items()}


def save_variable_values(
    project: Path, composition: Path, values: dict[str, Any], folder: Path | None = None
) -> bool:
    """Remember ``values`` (an empty dict forgets them: the defaults apply)."""
    path = (folder or data_dir()) / VARIABLES_FILE
    raw = _read_json(path)
    raw = raw if isinstance(raw, dict) else {}
    project_key, comp_key = _variables_key(project, composition)
    per_project = raw.get(project_key)
    per_project = per_project if isinstance(per_project, dict) else {}
    if values:
        per_project[comp_key] = dict(values)
    else:
        per_project.pop(comp_key, None)
    if per_project:
        raw[project_key] = per_project
    else:
        raw.pop(project_key, None)
    return _write_json(path, raw)
