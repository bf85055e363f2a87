"""``hyperframes-desktop farm-scheduler``: a render farm's Dask scheduler, from the app itself
(the .deb and the bundle have no ``dask`` command)."""

from __future__ import annotations

import argparse

from hyperframes_desktop.cli.farm_node import (
    add_exposure_arguments,
    add_tls_arguments,
    run_node,
    tls_files,
)

DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8786  # = render.farm.node's (not imported: no Dask)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "farm-scheduler",
        help="run a render farm's scheduler on this machine (until Ctrl+C)",
        description="Run the scheduler of a render farm (Dask) on this machine until Ctrl+C or "
        "SIGTERM. Workers connect with 'hyperframes-desktop farm-worker tcp://THIS-HOST:PORT'; "
        "renders are sent with 'render --farm tcp://THIS-HOST:PORT'. With the three TLS files "
        "it listens on tls:// and accepts only peers with certificates from the same CA.",
    )
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: only this computer can connect; "
        "0.0.0.0 for every network interface, or one of this machine's addresses: needs TLS "
        "or --insecure-plain-tcp)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    add_tls_arguments(p)
    add_exposure_arguments(p)
    p.add_argument(
        "--make-certs",
        metavar="DIR",
        help="write a new farm CA and certificates for its machines and its clients into "
        "DIR, print how to use them, and exit (mutual TLS: only holders of these "
        "certificates can join the farm or submit renders)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.make_certs:
        return _make_certs(args.make_certs)

    def start() -> int:
        tls = tls_files(args)
        from hyperframes_desktop.render.farm.node import run_scheduler

        return run_scheduler(
            host=args.host, port=args.port, tls=tls, insecure_plain_tcp=args.insecure_plain_tcp
        )

    return run_node(start)


def _make_certs(folder: str) -> int:
    import sys
    from pathlib import Path

    from hyperframes_desktop.render.farm.certs import make_certs, next_steps
    from hyperframes_desktop.render.options import RenderInputError

    try:
        certs = make_certs(Path(folder))
    except RenderInputError as exc:
        print(f"hyperframes-desktop: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f'hyperframes-desktop: Could not write the certificates to "{folder}" '
              f"({exc.strerror or exc}). Fix: choose a folder you can write to.",
              file=sys.stderr)  # fmt: skip
        return 2
    print(next_steps(certs))
    return 0
