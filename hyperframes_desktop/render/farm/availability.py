"""Whether this computer can use a render farm at all, without importing Dask (the studio
asks before offering "Run on: render farm"), and what to do when it cannot."""

from __future__ import annotations

import importlib.util
import sys


def missing_dask() -> str:
    """The sentence for "Dask cannot be loaded", right for how the app was installed: the
    bundle and the .deb include Dask (so a missing one means a damaged install); a pip
    install needs the ``[farm]`` extra."""
    if getattr(sys, "frozen", False):
        return (
            "Rendering on a farm needs Dask, which is part of this app but could not be "
            "loaded. Fix: reinstall HyperFrames Desktop (the .deb package or the bundle)."
        )
    return (
        "Rendering on a farm needs Dask, which is not installed. "
        "Fix: pip install 'hyperframes-desktop[farm]'."
    )


def dask_installed() -> bool:
    """Dask distributed (the ``[farm]`` extra; built into the bundle) is importable;
    nothing is imported."""
    try:
        return importlib.util.find_spec("distributed") is not None
    except (ImportError, ValueError):
        return False
