"""A farm machine's own processes, started by the app itself (``farm-scheduler`` and
``farm-worker``), so a farm can be set up with only the .deb or the bundle: a Dask scheduler,
or a Nanny that keeps one worker process running (restarting it if it dies, as ``dask worker``
does). Both run in this process until SIGINT/SIGTERM, then close cleanly; a worker's chunk
processes are ended with it (supervisor.reap_orphans)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from pathlib import Path

from hyperframes_desktop.render.farm.errors import FarmError
from hyperframes_desktop.render.farm.exposure import (
    LOOPBACK,
    MAKE_CERTS_HINT,
    check_exposure,
    host_towards,
    is_loopback,
)
from hyperframes_desktop.render.farm.spare import PRELOAD as SPARE_PRELOAD
from hyperframes_desktop.render.farm.supervisor import reap_orphans

DEFAULT_SCHEDULER_HOST = "127.0.0.1"
DEFAULT_SCHEDULER_PORT = 8786
#: The scheduler's HTTP status port (health, metrics, info pages: plain HTTP, no TLS) and
#: the workers' listen on loopback only, whatever address the node serves the farm on.
STATUS_ADDRESS = "127.0.0.1:8787"

Say = Callable[[str], None]


def _print(line: str) -> None:
    print(line, flush=True)  # between Dask's log lines (stderr), also when piped


def node_security(tls: tuple[Path, Path, Path] | None):  # -> Security | None
    """One certificate for every role of this machine (scheduler, worker, nanny, client),
    as ``dask scheduler/worker --tls-cert`` does; both ends are verified against the CA."""
    if tls is None:
        return None
    from distributed.security import Security

    ca, cert, key = (str(p) for p in tls)
    return Security(
        tls_ca_file=ca,
        tls_client_cert=cert,
        tls_client_key=key,
        tls_scheduler_cert=cert,
        tls_scheduler_key=key,
        tls_worker_cert=cert,
        tls_worker_key=key,
        require_encryption=True,
    )


class _Stop:
    """SIGINT/SIGTERM set an event (from the moment the server starts starting)."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._loop.add_signal_handler(sig, self.event.set)

    def restore(self) -> None:
        """Hand the signals back from the event loop, which is ending. The node is stopping
        by then (asked to, or its scheduler went away): a SIGINT/SIGTERM that comes now asks
        for what is under way, so it is let through without effect. With the default
        action it would kill the process halfway through ending its chunk processes
        (reap_orphans), and a service manager would see a stop fail."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._loop.remove_signal_handler(sig)
            signal.signal(sig, _already_stopping)


def _already_stopping(signum: int, frame: object) -> None:
    """See :meth:`_Stop.restore`."""


async def _first(awaitable, stop: asyncio.Event) -> bool:
    """Await ``awaitable`` unless ``stop`` is set first; True when it finished."""
    task = asyncio.ensure_future(awaitable)
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if task.done():
        task.result()  # raises what the server raised
        return True
    task.cancel()
    with contextlib.suppress(BaseException):
        await task
    return False


def run_scheduler(
    host: str = DEFAULT_SCHEDULER_HOST,
    port: int = DEFAULT_SCHEDULER_PORT,
    tls: tuple[Path, Path, Path] | None = None,
    say: Say = _print,
    insecure_plain_tcp: bool = False,
) -> int:
    """A Dask scheduler listening on ``host:port`` until SIGINT/SIGTERM (its HTTP status
    port on loopback only). Off loopback it needs TLS or ``insecure_plain_tcp``."""
    warning = check_exposure("scheduler", host, bool(tls), insecure_plain_tcp)
    from distributed import Scheduler

    protocol = "tls" if tls else "tcp"
    if warning:
        say(warning)

    async def main() -> None:
        stop = _Stop()
        scheduler = Scheduler(
            host=host, port=port, protocol=protocol, security=node_security(tls),
            dashboard=False, dashboard_address=STATUS_ADDRESS,
        )  # fmt: skip
        try:
            try:
                started = await _first(scheduler.start(), stop.event)
            except Exception as exc:  # OSError, or "Scheduler failed to start" wrapping one
                cause = exc.__cause__ or exc
                reason = getattr(cause, "strerror", None) or str(cause)
                raise FarmError(
                    f"The farm scheduler could not listen on {host}:{port} ({reason}). Fix: "
                    "choose another --port, or a --host address this computer has."
                ) from None
            if started:
                say(f"Farm scheduler listening at {scheduler.address}")
                _advise(host, tls, say)
                await _first(scheduler.finished(), stop.event)
        finally:
            say("Stopping the farm scheduler…")
            with contextlib.suppress(Exception):
                await scheduler.close()
            stop.restore()

    asyncio.run(main())
    return 0


def _advise(host: str, tls, say: Say) -> None:
    if is_loopback(host):
        say("Only this computer can connect. For other machines: "
            f"{MAKE_CERTS_HINT}, and give --host 0.0.0.0 (or this machine's network "
            "address).")  # fmt: skip


def run_worker(
    address: str,
    nthreads: int = 1,
    name: str | None = None,
    host: str | None = None,
    tls: tuple[Path, Path, Path] | None = None,
    local_directory: Path | None = None,
    say: Say = _print,
    insecure_plain_tcp: bool = False,
) -> int:
    """A Nanny and its worker process, connected to the scheduler at ``address``, until
    SIGINT/SIGTERM; chunk processes left by its worker are ended before returning.

    Both listen on ``host``, by default the address this machine reaches the scheduler
    from (127.0.0.1 for a loopback scheduler); off loopback that needs TLS or
    ``insecure_plain_tcp``."""
    host = host or host_towards(address)
    warning = check_exposure("worker", host, bool(tls), insecure_plain_tcp)
    from distributed import Nanny

    if warning:
        say(warning)

    async def main() -> None:
        nanny = Nanny(
            address, nthreads=nthreads, name=name, host=host, security=node_security(tls),
            local_directory=str(local_directory) if local_directory else None,
            dashboard=False, dashboard_address=f"{LOOPBACK}:0", preload=[SPARE_PRELOAD],
        )  # fmt: skip
        stop = _Stop()
        sweeper = asyncio.ensure_future(_sweep_hourly())
        try:
            try:
                started = await _first(asyncio.wait_for(nanny.start(), timeout=120), stop.event)
            except Exception as exc:  # OSError, TimeoutError, "Nanny failed to start"
                raise _unreachable(address, exc) from None
            if started:
                say(f"Farm worker {nanny.worker_address} connected to the scheduler "
                    f"({nthreads} thread{'s' if nthreads != 1 else ''})")  # fmt: skip
                await _first(nanny.finished(), stop.event)
        finally:
            sweeper.cancel()
            say("Stopping the farm worker…")
            with contextlib.suppress(Exception):
                await nanny.close()
            stop.restore()

    try:
        asyncio.run(main())
    finally:
        reap_orphans()
    return 0


async def _sweep_hourly() -> None:
    """Old bundles, and attempt folders and upload parts that outlived their render: at the
    worker's start, then every hour (store.sweep)."""
    from hyperframes_desktop.render.farm import store

    while True:
        with contextlib.suppress(OSError):
            await asyncio.to_thread(store.sweep, True)
        await asyncio.sleep(store.SWEEP_EVERY_S)


def _unreachable(address: str, exc: BaseException) -> FarmError:
    cause = exc.__cause__ or exc
    return FarmError(
        "The farm worker could not start or reach the scheduler "
        f"({type(cause).__name__}). Fix: check the address and that 'hyperframes-desktop "
        "farm-scheduler' (or 'dask scheduler') runs there and is reachable from this machine.",
        details=[f"{address}: {cause}"],
    )
