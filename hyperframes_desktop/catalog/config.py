"""Which registry to ask, and where items go, for one project.

The registry base URL comes from, in order: ``--registry URL``, the
``HYPERFRAMES_REGISTRY_URL`` environment variable, ``registry`` in the project's
``hyperframes.json``, else HyperFrames' public registry (its repository's raw files).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CatalogError

DEFAULT_REGISTRY_URL = "https://raw.githubusercontent.com/heygen-com/hyperframes/main/registry"
REGISTRY_ENV = "HYPERFRAMES_REGISTRY_URL"
CONFIG_FILE = "hyperframes.json"
#: The HyperFrames release whose format we follow: items needing a newer CLI are refused.
HYPERFRAMES_VERSION = "0.8.10"
DEFAULT_PATHS = {
    "blocks": "compositions",
    "components": "compositions/components",
    "assets": "assets",
}


@dataclass(frozen=True)
class ProjectConfig:
    registry: str | None = None
    paths: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PATHS))


def read_project_config(project: Path | None) -> ProjectConfig:
    """``hyperframes.json`` of ``project`` (defaults where absent)."""
    if project is None or not (project / CONFIG_FILE).is_file():
        return ProjectConfig()
    path = project / CONFIG_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise CatalogError(
            f"{path} cannot be read as JSON ({exc}). Fix: correct it, or remove it to use "
            "the defaults."
        ) from None
    if not isinstance(data, dict):
        raise CatalogError(f"{path} is not a JSON object. Fix: correct it, or remove it.")
    paths = dict(DEFAULT_PATHS)
    given = data.get("paths")
    if isinstance(given, dict):
        paths.update({k: str(v) for k, v in given.items() if k in DEFAULT_PATHS and v})
    registry = data.get("registry")
    return ProjectConfig(registry=str(registry) if registry else None, paths=paths)


def registry_base(explicit: str | None, project: Path | None) -> str:
    """The registry base URL to use (no trailing slash)."""
    for candidate in (
        explicit,
        os.environ.get(REGISTRY_ENV),
        read_project_config(project).registry,
        DEFAULT_REGISTRY_URL,
    ):
        if candidate:
            base = candidate.strip().rstrip("/")
            if not base.startswith(("https://", "http://")):
                raise CatalogError(
                    f'The registry "{candidate}" is not an http(s) URL. Fix: give a URL such '
                    f"as {DEFAULT_REGISTRY_URL}."
                )
            return base
    return DEFAULT_REGISTRY_URL
