"""Where the resolver fetches from, where it caches, and its limits.

The registry is the one npm itself would use: ``NPM_CONFIG_REGISTRY`` (npm reads it
case-insensitively), else ``registry=`` in the user's ``.npmrc`` (``NPM_CONFIG_USERCONFIG`` or
``~/.npmrc``), else the public registry. Only the registry URL is read from ``.npmrc``; auth
tokens are never sent anywhere.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

import platformdirs

DEFAULT_REGISTRY = "https://registry.npmjs.org"
APP_NAME = "hyperframes-desktop"
#: Test-only: a JSON object mapping an https origin to a loopback http origin, e.g.
#: ``{"https://media.example": "http://127.0.0.1:5123"}``. Read from the environment of the
#: process only (never from a project, a page or the settings file): tests use it to serve
#: "remote" images from a loopback server.
ORIGIN_OVERRIDES_ENV = "HYPERFRAMES_TEST_ORIGIN_OVERRIDES"
CACHE_DIR_ENV = "HYPERFRAMES_RESOURCE_CACHE"


def _env(env: Mapping[str, str], name: str) -> str:
    for key, value in env.items():
        if key.lower() == name.lower() and value.strip():
            return value.strip()
    return ""


def _npmrc_registry(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    for line in lines:
        key, sep, value = line.partition("=")
        if sep and key.strip().lower() == "registry":
            return value.strip().strip("\"'")
    return ""


def npm_registry(env: Mapping[str, str] | None = None) -> str:
    """The registry URL npm would use here, without a trailing slash."""
    env = os.environ if env is None else env
    url = _env(env, "npm_config_registry")
    if not url:
        userconfig = _env(env, "npm_config_userconfig")
        url = _npmrc_registry(Path(userconfig) if userconfig else Path.home() / ".npmrc")
    return (url or DEFAULT_REGISTRY).rstrip("/")


def default_cache_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    override = env.get(CACHE_DIR_ENV, "").strip()
    if override:
        return Path(override)
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "resources"


def origin_overrides(env: Mapping[str, str] | None = None) -> dict[str, str]:
    env = os.environ if env is None else env
    raw = env.get(ORIGIN_OVERRIDES_ENV, "").strip()
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k).rstrip("/"): str(v).rstrip("/") for k, v in data.items()}


@dataclass(frozen=True)
class ResolverSettings:
    registry: str = DEFAULT_REGISTRY
    cache_dir: Path = field(default_factory=default_cache_dir)
    offline: bool = False  # cache only: nothing is fetched
    timeout_s: float = 30.0  # for one HTTP request, connect to last byte
    max_tarball_bytes: int = 100 * 1024 * 1024
    max_file_bytes: int = 500 * 1024 * 1024  # a static URL (remote video) or unpacked file
    progress_over_bytes: int = 2 * 1024 * 1024  # a progress line for downloads past this
    overrides: tuple[tuple[str, str], ...] = ()  # test-only, see ORIGIN_OVERRIDES_ENV
    #: a file every process of one render appends the URLs it fetched to ("" = none)
    fetch_log: str = ""

    @classmethod
    def from_environment(
        cls, *, offline: bool = False, env: Mapping[str, str] | None = None
    ) -> ResolverSettings:
        return cls(
            registry=npm_registry(env),
            cache_dir=default_cache_dir(env),
            offline=offline,
            overrides=tuple(sorted(origin_overrides(env).items())),
        )

    def to_json(self) -> str:
        data = asdict(self)
        data["cache_dir"] = str(self.cache_dir)
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> ResolverSettings:
        data = json.loads(text)
        data["cache_dir"] = Path(data["cache_dir"])
        data["overrides"] = tuple(tuple(pair) for pair in data.get("overrides", ()))
        return cls(**data)
