"""Reaching the farm: the Dask client, the workers' versions checked against this
computer's, and the "Test connection" listing. A render connects while it plans
(:class:`Connecting`): the two do not depend on each other until the first chunk."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path

from hyperframes_desktop.render.farm.errors import FarmError
from hyperframes_desktop.render.farm.settings import FarmSettings
from hyperframes_desktop.render.farm.versions import machine_versions, mismatches


def connect(settings: FarmSettings):
    """A Dask client for the farm, or a FarmError sentence (never naming the farm)."""
    settings.check()
    try:
        from distributed import Client
    except ImportError:
        from hyperframes_desktop.render.farm.availability import missing_dask

        raise FarmError(missing_dask()) from None
    try:
        return Client(
            settings.address,
            security=settings.security(),
            timeout=settings.connect_timeout_s,
            set_as_default=False,
        )
    except Exception as exc:
        hint = (
            " Check that this computer's certificate is signed by the farm's CA."
            if settings.uses_tls
            else ""
        )
        raise FarmError(
            f"Could not connect to the render farm ({type(exc).__name__}). Fix: check the "
            f"address and that the farm's scheduler ('hyperframes-desktop farm-scheduler' "
            f"or 'dask scheduler') runs there.{hint}",
            details=[f"{settings.address}: {exc}"],
        ) from None


def farm_status(
    address: str,
    security: tuple[Path, Path, Path] | None = None,
    timeout_s: float = 10.0,
) -> list[dict]:
    """The workers of a farm and what they render with (for a "Test connection" button):
    ``[{"address", "name", "threads", "versions", "differences"}]``; ``security`` is (CA,
    certificate, key) for a tls:// farm. Raises FarmError (a sentence) when the farm cannot
    be reached."""
    ca, cert, key = security or (None, None, None)
    settings = FarmSettings(
        address=address, ca_file=ca, cert_file=cert, key_file=key, connect_timeout_s=timeout_s
    )
    client = connect(settings)
    try:
        info = client.scheduler_info(n_workers=-1)["workers"]
        versions = client.run(machine_versions, on_error="return")
        mine = machine_versions()
        rows = []
        for worker_address, worker in sorted(info.items()):
            theirs = versions.get(worker_address)
            ok = isinstance(theirs, dict)
            rows.append(
                {
                    "address": worker_address,
                    "name": str(worker.get("name", worker_address)),
                    "threads": worker.get("nthreads", 0),
                    "versions": theirs if ok else {"error": str(theirs)},
                    # what would make it render differently from this computer ([] = nothing)
                    "differences": mismatches(mine, theirs, None)
                    if ok
                    else ["cannot run HyperFrames Desktop"],
                }
            )
        return rows
    finally:
        client.close()


class Connecting:
    """Connect to the farm and check every worker's versions on a thread of its own, while
    the caller plans the render (compile, bundle); :meth:`result` waits for it. A render
    that fails before asking drops it (:meth:`discard`): the client it made, if any, is
    closed when the thread ends."""

    def __init__(self, settings: FarmSettings, fmt: str) -> None:
        self._settings, self._format = settings, fmt
        self._outcome: tuple | BaseException | None = None
        self._lock = threading.Lock()
        self._discarded = False
        self.connect_ms = 0.0
        self._thread = threading.Thread(target=self._run, daemon=True, name="hf-farm-connect")
        self._thread.start()

    def _run(self) -> None:
        t0 = time.monotonic()
        client = None
        try:
            client = connect(self._settings)
            mine = machine_versions()
            theirs = _check_versions(client, mine, self._format)
            outcome: tuple | BaseException = (client, mine, theirs)
        except BaseException as exc:  # handed to the caller
            outcome = exc
        self.connect_ms = (time.monotonic() - t0) * 1000.0
        with self._lock:
            self._outcome = outcome
            drop = self._discarded
        if (drop or isinstance(outcome, BaseException)) and client is not None:
            with contextlib.suppress(Exception):
                client.close(timeout=5)

    def raise_if_failed(self) -> None:
        """Raise the connection's error now if it already failed (the plan calls this between
        its stages: an unreachable farm is said before a long video extraction, not after)."""
        with self._lock:
            outcome = self._outcome
        if isinstance(outcome, BaseException):
            raise outcome

    def result(self) -> tuple:
        """(client, this computer's versions, each worker's versions); raises what the
        connection or the check raised. The caller closes the client."""
        self._thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        assert self._outcome is not None
        return self._outcome

    def discard(self) -> None:
        with self._lock:
            self._discarded = True
            outcome = self._outcome
        if isinstance(outcome, tuple):
            with contextlib.suppress(Exception):
                outcome[0].close(timeout=5)


def _check_versions(client, mine: dict, fmt: str) -> dict[str, object]:
    """Every worker renders exactly like this computer, before any chunk is sent; returns
    what each worker reported (its preparation needs not ask again)."""
    with contextlib.suppress(Exception):
        client.wait_for_workers(1, timeout=10)
    if not client.nthreads():
        raise FarmError(
            "The render farm has no workers. Fix: start at least one 'dask worker' for this "
            "scheduler, or render on this computer."
        )
    reports = client.run(machine_versions, on_error="return")
    problems: list[str] = []
    for worker, theirs in sorted(reports.items()):
        if not isinstance(theirs, dict):
            problems.append(f"{worker}: cannot run HyperFrames Desktop ({theirs})")
            continue
        for phrase in mismatches(mine, theirs, fmt):
            problems.append(f"{worker}: {phrase}")
    if problems:
        count = len({p.split(": ", 1)[0] for p in problems})
        first = problems[0].split(": ", 1)[1]
        raise FarmError(
            f"{count} farm worker(s) would render differently from this computer ({first}). "
            "Fix: install the same HyperFrames Desktop, Python, Qt and FFmpeg on every worker.",
            details=problems,
        )
    return dict(reports)
