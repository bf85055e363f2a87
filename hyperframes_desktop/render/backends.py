"""One small interface in front of the engines: a backend renders ``options``, reporting
through ``on_progress`` and stopping when ``cancel`` is set.

``LocalBackend`` is today's ``RenderJob`` unchanged (its fast path included); the farm
backend (``render.farm``) is the only place Dask is imported.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

from hyperframes_desktop.render.farm.settings import FarmSettings
from hyperframes_desktop.render.incremental.warm_pool import WarmPool
from hyperframes_desktop.render.options import Progress, RenderOptions
from hyperframes_desktop.render.pipeline import RenderJob, RenderResult

ProgressCallback = Callable[[Progress], None]


class RenderBackend(Protocol):
    name: str

    def render(
        self,
        options: RenderOptions,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> RenderResult: ...

    def elapsed_ms(self) -> float: ...


class LocalBackend:
    """Renders on this computer with the local engine."""

    name = "local"

    def __init__(self, warm_pool: WarmPool | None = None) -> None:
        self.warm_pool = warm_pool  # the studio's capture processes kept between renders
        self._job: RenderJob | None = None
        self._started = 0.0

    def render(
        self,
        options: RenderOptions,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> RenderResult:
        self._started = time.monotonic()
        self._job = RenderJob(options, on_progress, cancel=cancel, warm_pool=self.warm_pool)
        return self._job.run()

    def elapsed_ms(self) -> float:
        if self._job is not None:
            return self._job.elapsed_ms()
        return (time.monotonic() - self._started) * 1000.0 if self._started else 0.0


def backend_for(farm: FarmSettings | None, warm_pool: WarmPool | None = None) -> RenderBackend:
    """The farm backend when farm settings are given, else the local engine (with
    ``warm_pool``'s capture processes when given)."""
    if farm is None:
        return LocalBackend(warm_pool)
    from hyperframes_desktop.render.farm.backend import FarmBackend

    return FarmBackend(farm)
