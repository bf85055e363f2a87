"""Shared fixtures: isolated config dirs, a loopback-only network, misbehaving endpoints and
a privacy check over every payload the suite produces."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

_HERE = Path(__file__).resolve().parent
for _p in (str(_HERE.parents[1]), str(_HERE)):  # the source tree, and telemetry_helpers
    if _p not in sys.path:
        sys.path.insert(0, _p)

from telemetry_helpers import (  # noqa: E402
    SESSION_PAYLOADS,
    TEST_KEY,
    batches,
    collect_payloads,
    dead_url,
    leaks,
)

from hyperframes_desktop.telemetry import client as client_mod  # noqa: E402
from hyperframes_desktop.telemetry import config, events, gates, metadata  # noqa: E402
from hyperframes_desktop.telemetry.client import TelemetryClient  # noqa: E402

CLEARED_ENV = (
    "HYPERFRAMES_NO_TELEMETRY",
    "DO_NOT_TRACK",
    gates.ENV_KEY,
    gates.ENV_HOST,
    gates.ENV_DEV_OVERRIDE,
    "HYPERFRAMES_TELEMETRY_DEBUG",
    "CI",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


# --------------------------------------------------------------------------- network guard


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any attempt to resolve a non-loopback host from this process (per test, so the
    guard never outlives this folder's tests)."""
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in LOOPBACK:
            raise OSError(f"test network guard: refusing non-loopback host {name!r}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


# --------------------------------------------------------------------------- isolation


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Temp XDG config dir, no inherited telemetry env, a dead loopback default host."""
    xdg = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(xdg))
    for name in CLEARED_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(gates.ENV_HOST, dead_url())
    monkeypatch.setenv(client_mod.ENV_DEBOUNCE_MS, "50")
    client_mod.set_client(None)
    events._reset_session_guard_for_tests()
    metadata.set_metadata_hook(None)
    yield xdg
    old = client_mod.set_client(None)
    if old is not None:
        collect_payloads(old.recent_payloads())
        old.close()
    metadata.set_metadata_hook(None)


@pytest.fixture
def telemetry_on(httpserver: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every gate open, pointing at the loopback test server (which answers 200)."""
    monkeypatch.setenv(gates.ENV_KEY, TEST_KEY)
    monkeypatch.setenv(gates.ENV_HOST, httpserver.url_for("/").rstrip("/"))
    monkeypatch.setenv(gates.ENV_DEV_OVERRIDE, "1")
    config.update_config(notice_shown=True)
    httpserver.expect_request("/batch/", method="POST").respond_with_json({"status": 1})
    assert gates.telemetry_state().enabled
    return httpserver


@pytest.fixture
def make_client() -> Iterator[Callable[..., TelemetryClient]]:
    """Fresh clients with a short debounce; their payloads go to the privacy check."""
    made: list[TelemetryClient] = []

    def factory(**kwargs: Any) -> TelemetryClient:
        kwargs.setdefault("debounce_s", 0.05)
        c = TelemetryClient(**kwargs)
        made.append(c)
        return c

    yield factory
    for c in made:
        collect_payloads(c.recent_payloads())
        c.close()


@pytest.fixture
def garbage_url() -> Iterator[str]:
    """Answers every connection with bytes that are not HTTP."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1.0)
                try:
                    conn.recv(65536)
                    conn.sendall(b"\x00\xffthis is not http at all\r\n\r\n{]")
                except OSError:
                    pass

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}"
    stop.set()
    t.join(2)
    srv.close()


@pytest.fixture(autouse=True)
def privacy_check(httpserver: Any) -> Iterator[None]:
    """After each test: every body the loopback server received passes the privacy check."""
    yield
    collect_payloads(batches(httpserver))


@pytest.fixture(scope="session", autouse=True)
def session_privacy_check() -> Iterator[None]:
    """Session-wide: re-check every payload the suite produced, all together."""
    yield
    bad = [(p, leaks(p)) for p in SESSION_PAYLOADS if leaks(p)]
    assert not bad, f"{len(bad)} payload(s) leak identifying data: {bad[:3]}"
