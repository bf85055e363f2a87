"""Loopback endpoints that misbehave, for telemetry tests (nothing leaves 127.0.0.1)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


def dead_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@contextmanager
def hanging_endpoint() -> Iterator[str]:
    """Accepts connections (kernel backlog) but never answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    try:
        yield f"http://127.0.0.1:{s.getsockname()[1]}"
    finally:
        s.close()
