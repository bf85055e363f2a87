"""A number read from an environment variable (timeouts, limits, sizes): a value that is not
a number falls back to the default rather than failing the render."""

from __future__ import annotations

import os


def env_number(name: str, default: float, minimum: float) -> float:
    """``name``'s value as a float, at least ``minimum``; ``default`` when unset or not a
    number."""
    try:
        return max(minimum, float(os.environ.get(name, default)))
    except ValueError:
        return default
