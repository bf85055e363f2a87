"""Whether this computer can use a render farm at all, without importing Dask (the studio
asks before offering "Run on: render farm")."""

from __future__ import annotations

import importlib.util

MISSING_DASK = (
    "Rendering on a farm needs Dask, which is not installed. "
    "Fix: pip install 'hyperframes-desktop[farm]'."
)


def dask_installed() -> bool:
    """The ``[farm]`` extra (``dask[distributed]``) is importable; nothing is imported."""
    try:
        return importlib.util.find_spec("distributed") is not None
    except (ImportError, ValueError):
        return False
