"""A Dask worker preload that starts the worker's spare chunk host as the worker starts
(warm_hosts.start_spare): its capture processes are up before the first render comes, and
the chunk task's modules are imported before the first chunk needs them.

``farm-worker`` loads it itself; a plain ``dask worker`` takes
``--preload hyperframes_desktop.render.farm.spare``. ``HYPERFRAMES_FARM_SPARE_HOST=0`` in
the worker's environment turns spares off."""

from __future__ import annotations

import contextlib
import threading

PRELOAD = __name__


def dask_setup(worker) -> None:  # Dask calls it with the worker
    from hyperframes_desktop.render.farm import warm_hosts

    def start() -> None:
        with contextlib.suppress(Exception):  # an optimisation: never the worker's failure
            # what a chunk task imports, and the versions a render checks first (FFmpeg is
            # asked once), now instead of in the first render's path
            import hyperframes_desktop.render.farm.chunk_task  # noqa: F401
            from hyperframes_desktop.render.farm.versions import machine_versions

            machine_versions()
            warm_hosts.start_spare()

    threading.Thread(target=start, daemon=True, name="hf-farm-spare").start()
