"""``render --batch FILE.jsonl --farm ADDRESS``: how many lines render at once on the farm."""

from __future__ import annotations

from hyperframes_desktop.render.farm.errors import FarmError
from hyperframes_desktop.render.farm.settings import FarmSettings


def farm_parallel(farm: FarmSettings) -> int:
    """One batch line per worker thread of the farm, so every worker has a render to take
    chunks from. Raises FarmError (a sentence) when the farm cannot be reached or is empty:
    better said once than once per line."""
    from hyperframes_desktop.render.farm import farm_status

    tls = (farm.ca_file, farm.cert_file, farm.key_file) if farm.uses_tls else None
    workers = farm_status(farm.address, tls, timeout_s=farm.connect_timeout_s)
    slots = sum(int(w.get("threads") or 0) for w in workers)
    if slots < 1:
        raise FarmError(
            "The render farm has no workers. Fix: start at least one 'dask worker' for this "
            "scheduler, or render the batch on this computer."
        )
    return slots
