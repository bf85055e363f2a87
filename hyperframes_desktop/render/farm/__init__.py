"""Rendering on a farm of machines through Dask distributed (the optional ``[farm]`` extra).

Importing this package does not import Dask; :class:`FarmBackend` and :func:`farm_status`
load it when used.
"""

from hyperframes_desktop.render.farm.errors import FarmError
from hyperframes_desktop.render.farm.progress import FarmProgress
from hyperframes_desktop.render.farm.settings import FarmSettings, farm_settings


def __getattr__(name: str):
    if name in ("FarmBackend", "farm_status"):
        from hyperframes_desktop.render.farm import backend

        return getattr(backend, name)
    raise AttributeError(name)


__all__ = [
    "FarmBackend",
    "FarmError",
    "FarmProgress",
    "FarmSettings",
    "farm_settings",
    "farm_status",
]
