"""``hyperframes-desktop farm-worker``: a render farm worker (a Dask Nanny and its worker
process), from the app itself (the .deb and the bundle have no ``dask`` command)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hyperframes_desktop.cli.farm_node import (
    add_exposure_arguments,
    add_tls_arguments,
    run_node,
    tls_files,
)
from hyperframes_desktop.render.farm.settings import ENV_ADDRESS, FarmSettings
from hyperframes_desktop.render.options import RenderInputError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "farm-worker",
        help="render farm chunks on this machine for a scheduler (until Ctrl+C)",
        description="Connect this machine to a render farm's scheduler and render the chunks "
        "it is given, until Ctrl+C or SIGTERM (which also stop every chunk process). A worker "
        "process that dies is restarted.",
    )
    p.add_argument(
        "address",
        nargs="?",
        metavar="SCHEDULER_ADDRESS",
        help=f"tcp://HOST:8786 or tls://HOST:8786 (default: ${ENV_ADDRESS})",
    )
    p.add_argument(
        "--nthreads",
        type=int,
        default=1,
        metavar="N",
        help="chunks rendered at once (default 1; each runs a browser and FFmpeg)",
    )
    p.add_argument("--name", help="the worker's name in the farm (default: its address)")
    p.add_argument(
        "--host",
        help="address this worker listens on for the scheduler and peers (default: the "
        "address this machine reaches the scheduler from; 127.0.0.1 for a scheduler on this "
        "computer; off loopback it needs TLS or --insecure-plain-tcp)",
    )
    p.add_argument(
        "--local-directory",
        metavar="DIR",
        help="Dask's scratch folder (default: the system's temporary folder)",
    )
    add_tls_arguments(p)
    add_exposure_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    def start() -> int:
        import os

        address = (args.address or os.environ.get(ENV_ADDRESS) or "").strip()
        if not address:
            raise RenderInputError(
                "No scheduler address. Fix: give it, e.g. 'hyperframes-desktop farm-worker "
                f"tcp://HOST:8786' (or set {ENV_ADDRESS})."
            )
        if args.nthreads < 1:
            raise RenderInputError("--nthreads must be at least 1.")
        tls = tls_files(args)
        ca, cert, key = tls or (None, None, None)
        FarmSettings(address, ca_file=ca, cert_file=cert, key_file=key).check()
        from hyperframes_desktop.render.farm.node import run_worker

        return run_worker(
            address,
            nthreads=args.nthreads,
            name=args.name,
            host=args.host,
            tls=tls,
            local_directory=Path(args.local_directory) if args.local_directory else None,
            insecure_plain_tcp=args.insecure_plain_tcp,
        )

    return run_node(start)
