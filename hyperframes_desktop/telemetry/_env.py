"""Environment-variable helpers shared by the telemetry modules."""

from __future__ import annotations

import os

TRUTHY = frozenset({"1", "true", "yes", "on"})


def env_flag(name: str) -> bool:
    """True when ``name`` is set to 1/true/yes/on (any case, surrounding spaces ignored)."""
    return os.environ.get(name, "").strip().lower() in TRUTHY


def env_str(name: str) -> str:
    """The stripped value of ``name``, or "" when unset."""
    return os.environ.get(name, "").strip()
