"""Helpers shared by the telemetry tests (fixtures live in conftest.py)."""

from __future__ import annotations

import getpass
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from support.loopback import dead_url  # noqa: F401  (re-exported for the tests)

ROOT = Path(__file__).resolve().parents[2]
TEST_KEY = "phc_test_0123456789abcdef"
DEBUG_PREFIX = "[hyperframes telemetry debug, not sent] "

#: Every payload any test produced; the session-scoped privacy check re-reads it at the end.
SESSION_PAYLOADS: list[Any] = []


def batches(server: Any) -> list[dict[str, Any]]:
    """Bodies of the batch POSTs the test server received."""
    return [json.loads(req.get_data()) for req, _ in server.log if req.path == "/batch/"]


def sent_events(server: Any) -> list[dict[str, Any]]:
    return [item for body in batches(server) for item in body["batch"]]


def wait_for(predicate: Callable[[], bool], timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def subprocess_env(**extra: str) -> dict[str, str]:
    """The current (test-isolated) environment plus the source tree on PYTHONPATH."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


def run_py(
    args: list[str], env: dict[str, str], timeout: float = 20
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def debug_payloads(stderr: str) -> list[dict[str, Any]]:
    """Payloads a debug-mode process printed on stderr."""
    return [
        json.loads(line[len(DEBUG_PREFIX) :])
        for line in stderr.splitlines()
        if line.startswith(DEBUG_PREFIX)
    ]


# --------------------------------------------------------------------------- privacy


def forbidden_patterns(extra: tuple[str, ...] = ()) -> list[re.Pattern[str]]:
    """What must never appear in a payload: paths we know of, user and host names."""
    literals = {str(Path.home()), tempfile.gettempdir(), str(ROOT), os.getcwd(), *extra}
    pats = [re.compile(re.escape(p)) for p in literals if len(p) > 1]
    host = socket.gethostname()
    names = {getpass.getuser(), host, host.split(".")[0]}
    pats += [
        re.compile(rf"(?<![\w]){re.escape(n)}(?![\w])", re.IGNORECASE) for n in names if len(n) >= 2
    ]
    return pats


def leaks(payload: Any, extra: tuple[str, ...] = ()) -> list[str]:
    """Forbidden patterns found in the payload's JSON (escaped and unescaped forms)."""
    texts = (json.dumps(payload), json.dumps(payload, ensure_ascii=False).replace("\\\\", "\\"))
    return sorted({p.pattern for p in forbidden_patterns(extra) for t in texts if p.search(t)})


def collect_payloads(payloads: list[Any]) -> None:
    """Check payloads now and keep them for the session-wide check."""
    for payload in payloads:
        found = leaks(payload)
        assert not found, f"payload leaks {found}: {payload}"
        SESSION_PAYLOADS.append(payload)
