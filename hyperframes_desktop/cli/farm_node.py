"""What ``farm-scheduler`` and ``farm-worker`` share: the TLS file options and turning a
farm failure into a sentence and an exit code."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from hyperframes_desktop.render.farm.availability import dask_installed, missing_dask
from hyperframes_desktop.render.farm.errors import FarmError
from hyperframes_desktop.render.farm.settings import ENV_CA, ENV_CERT, ENV_KEY
from hyperframes_desktop.render.options import RenderInputError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def add_tls_arguments(p: argparse.ArgumentParser) -> None:
    tls = p.add_argument_group(
        "TLS (all three, or none for tcp://; make them with 'farm-scheduler --make-certs DIR')"
    )
    tls.add_argument("--farm-ca", help=f"the farm's CA certificate (${ENV_CA})")
    tls.add_argument("--farm-cert", help=f"this machine's certificate (${ENV_CERT})")
    tls.add_argument("--farm-key", help=f"its private key (${ENV_KEY})")


def add_exposure_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--insecure-plain-tcp",
        action="store_true",
        help="allow listening off 127.0.0.1 WITHOUT TLS: anyone who reaches the ports can run "
        "any code on this machine (only on a network you fully trust)",
    )


def tls_files(
    args: argparse.Namespace, env: dict[str, str] | None = None
) -> tuple[Path, Path, Path] | None:
    """(CA, certificate, key) from the options or the HYPERFRAMES_FARM_* variables; None
    for tcp://. Raises RenderInputError when only some are given or a file is missing."""
    env = dict(os.environ) if env is None else env
    values = [
        args.farm_ca or env.get(ENV_CA),
        args.farm_cert or env.get(ENV_CERT),
        args.farm_key or env.get(ENV_KEY),
    ]
    if not any(values):
        return None
    if not all(values):
        raise RenderInputError(
            "TLS needs the CA certificate, this machine's certificate and its key. Fix: pass "
            f"--farm-ca, --farm-cert and --farm-key (or set {ENV_CA}, {ENV_CERT} and {ENV_KEY})."
        )
    paths = tuple(Path(v).expanduser() for v in values)
    for path in paths:
        if not path.is_file():
            raise RenderInputError(
                f'The certificate file "{path}" does not exist. Fix: give the path of the PEM '
                "file made for this farm."
            )
    return paths  # type: ignore[return-value]


def run_node(start: Callable[[], int]) -> int:
    """Run a scheduler or worker; bad input and failures are sentences, not tracebacks."""
    if not dask_installed():
        print(f"hyperframes-desktop: {missing_dask()}", file=sys.stderr)
        return EXIT_FAILED
    try:
        return _end_process(start())
    except RenderInputError as exc:
        print(f"hyperframes-desktop: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FarmError as exc:
        print(f"hyperframes-desktop: {exc}", file=sys.stderr)
        for line in exc.details:
            print(f"  {line}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_OK


def _end_process(code: int) -> int:
    """End the node's process with ``code`` now that it has stopped and ended everything it
    started. Python's own teardown after this point puts the default SIGTERM/SIGINT action
    back before it is done, so a service manager's (repeated) SIGTERM arriving then would
    kill the process and report a stop that failed."""
    import logging

    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)
