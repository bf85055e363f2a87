"""The one place that decides whether telemetry may run, and why.

Evaluated fresh for every event (the config file is re-read each time) so an opt-out made
anywhere - settings dialog, ``telemetry disable`` in another process, an env var - takes
effect at the next event. Any error while deciding means "off" (fail closed).

Order of the checks (the first that says "off" is what ``status`` reports):
compiled-out build, env opt-out, saved opt-out, key/host, dev mode, notice not shown.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from hyperframes_desktop.telemetry import build_config, config
from hyperframes_desktop.telemetry._env import env_flag, env_str

DEFAULT_HOST = "https://us.i.posthog.com"
KEY_PREFIX = "phc_"

ENV_KEY = "HYPERFRAMES_POSTHOG_KEY"
ENV_HOST = "HYPERFRAMES_POSTHOG_HOST"
ENV_DEV_OVERRIDE = "HYPERFRAMES_TELEMETRY_DEV"
OPT_OUT_ENV_VARS = ("HYPERFRAMES_NO_TELEMETRY", "DO_NOT_TRACK")

# Values of TelemetryState.decided_by (env opt-outs use the variable's name instead).
BY_BUILD = "unconfigured build"
BY_DEV = "dev mode"
BY_CONFIG = "config"
BY_NOTICE = "notice"
BY_ERROR = "error"


@dataclass(frozen=True)
class TelemetryState:
    enabled: bool
    reason: str
    decided_by: str


@dataclass(frozen=True)
class Endpoint:
    """Where and as whom events go; only known once every gate said yes."""

    api_key: str
    host: str
    distinct_id: str

    @property
    def batch_url(self) -> str:
        return f"{self.host}/batch/"


@dataclass(frozen=True)
class Decision:
    state: TelemetryState
    endpoint: Endpoint | None = None


def telemetry_state() -> TelemetryState:
    """The effective telemetry state and what decided it (for ``status`` and settings)."""
    return evaluate().state


def evaluate() -> Decision:
    """Run every gate; never raises."""
    try:
        return _evaluate()
    except Exception as exc:  # fail closed, whatever went wrong
        return _off(f"error while deciding ({type(exc).__name__})", BY_ERROR)


def _off(reason: str, decided_by: str) -> Decision:
    return Decision(TelemetryState(False, reason, decided_by))


def _evaluate() -> Decision:
    if build_config.TELEMETRY_COMPILED_OUT:
        return _off("telemetry is compiled out of this build", BY_BUILD)
    for name in OPT_OUT_ENV_VARS:
        if env_flag(name):
            return _off(f"turned off by the {name} environment variable", name)
    try:
        cfg = config.load_config()
    except config.ConfigUnavailable as exc:
        return _off(f"config unavailable: {exc}", BY_CONFIG)
    if not cfg.telemetry_enabled:
        return _off("turned off in the config (telemetry disable)", BY_CONFIG)
    if not config.folder_writable():
        return _off("the config folder is read-only, so an opt-out could not be saved", BY_CONFIG)
    key = api_key()
    if not key.startswith(KEY_PREFIX):
        return _off("no analytics key configured in this build", BY_BUILD)
    host = api_host()
    if not _valid_host(host):
        return _off("the analytics host is not a valid http(s) URL", BY_BUILD)
    if is_dev_mode():
        return _off(f"running from a source checkout (set {ENV_DEV_OVERRIDE}=1 to test)", BY_DEV)
    if not cfg.notice_shown:
        return _off("the telemetry notice has not been shown yet", BY_NOTICE)
    state = TelemetryState(True, "enabled in the config", BY_CONFIG)
    return Decision(state, Endpoint(key, host, cfg.anonymous_id))


def api_key() -> str:
    return env_str(ENV_KEY) or str(build_config.POSTHOG_KEY).strip()


def api_host() -> str:
    host = env_str(ENV_HOST) or str(build_config.POSTHOG_HOST).strip() or DEFAULT_HOST
    return host.rstrip("/")


def _valid_host(host: str) -> bool:
    parts = urlsplit(host)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def is_dev_mode() -> bool:
    """Running from a source checkout, unless the explicit env override says otherwise."""
    return _is_source_checkout() and not env_flag(ENV_DEV_OVERRIDE)


@functools.cache
def _is_source_checkout() -> bool:
    # Where the package lives cannot change while the process runs, so this one is cached.
    root = Path(__file__).resolve().parents[2]
    return (root / ".git").exists() or (root / "pyproject.toml").exists()
