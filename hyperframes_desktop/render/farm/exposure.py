"""Which address a farm node listens on, and whether it may.

Closed by default: the scheduler listens on 127.0.0.1, and a worker (its Nanny, its worker
process and their HTTP ports) listens on the address this machine uses to reach its scheduler,
so a worker of a loopback scheduler is loopback too. Over ``tcp://`` every Dask port runs any
pickled function anyone sends, so a node refuses to listen off loopback without TLS unless
told ``--insecure-plain-tcp``. No Dask import here.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from urllib.parse import urlsplit

from hyperframes_desktop.render.options import RenderInputError

LOOPBACK = "127.0.0.1"
MAKE_CERTS_HINT = (
    "make the farm's certificates once with 'hyperframes-desktop farm-scheduler --make-certs "
    "DIR', copy DIR to each machine and pass --farm-ca DIR/ca.pem --farm-cert DIR/node.pem "
    "--farm-key DIR/node.key (with the scheduler's tls:// address)"
)


def is_loopback(host: str) -> bool:
    host = host.strip("[]")
    if host == "localhost":
        return True
    with contextlib.suppress(ValueError):
        return ipaddress.ip_address(host).is_loopback
    return False


def address_host(address: str) -> str:
    """The host of ``tcp://HOST:PORT`` / ``tls://[::1]:PORT`` (empty when there is none)."""
    return urlsplit(address if "://" in address else f"tcp://{address}").hostname or ""


def host_towards(address: str) -> str:
    """The address of this machine's interface that reaches the scheduler at ``address``
    (loopback for a loopback scheduler); a UDP "connect" sends nothing, it only routes."""
    host = address_host(address)
    if not host or is_loopback(host):
        return LOOPBACK
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((host, 9))
            return probe.getsockname()[0]
    except OSError as exc:
        raise RenderInputError(
            f'This machine has no route to the scheduler host "{host}" ({exc.strerror or exc}). '
            "Fix: check the scheduler address, or give --host with this machine's address."
        ) from None


def check_exposure(role: str, host: str, tls: bool, insecure_plain_tcp: bool) -> str | None:
    """Refuse (RenderInputError) a plain-tcp ``role`` listening on a non-loopback ``host``
    unless ``insecure_plain_tcp``; returns the loud warning to print in that case."""
    if tls or is_loopback(host):
        return None
    where = "every network interface" if host in ("", "0.0.0.0", "::") else host
    if not insecure_plain_tcp:
        raise RenderInputError(
            f"Refusing to start the farm {role} on {where} without TLS: over tcp:// anyone "
            f"who reaches its ports can run any code on this machine. Fix: {MAKE_CERTS_HINT}; "
            "or keep it on 127.0.0.1; or, only on a network you fully trust, add "
            "--insecure-plain-tcp."
        )
    return (
        f"WARNING: --insecure-plain-tcp: the farm {role} listens on {where} WITHOUT TLS or "
        "authentication. Anyone who can reach its ports can run any code on this machine as "
        "this user, read every project sent to the farm, and feed results back to clients."
    )
