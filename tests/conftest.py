"""Session-wide test environment, set at import so every child process inherits it.

- Headless Qt (``QT_QPA_PLATFORM=offscreen``) as in CI.
- XDG config/data/cache/state dirs in a session temp folder: no test touches the real home.
- Telemetry off (``HYPERFRAMES_NO_TELEMETRY=1``) by default. It lives in ``os.environ``, so a
  test that needs telemetry (tests/telemetry) removes or changes it with ``monkeypatch`` and
  gets it back afterwards.
- ``tests/`` on sys.path so tests import the helpers as ``support``.
- A test process that dies (a signal: Chromium's crash trap, a segfault) says which test it
  was running, what that test wrote (Chromium's and Qt's messages included) and every
  thread's Python stack: the plugin ``support/crash_report.py``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parent
if str(_TESTS) not in sys.path:
    sys.path.insert(0, str(_TESTS))

pytest_plugins = ["support.crash_report"]

_SESSION_HOME = Path(tempfile.mkdtemp(prefix="hf-tests-home-"))

os.environ["QT_QPA_PLATFORM"] = "offscreen"
for _name, _sub in (
    ("XDG_CONFIG_HOME", "config"),
    ("XDG_DATA_HOME", "data"),
    ("XDG_CACHE_HOME", "cache"),
    ("XDG_STATE_HOME", "state"),
):
    (_SESSION_HOME / _sub).mkdir(parents=True, exist_ok=True)
    os.environ[_name] = str(_SESSION_HOME / _sub)
os.environ["HYPERFRAMES_NO_TELEMETRY"] = "1"


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def session_home() -> Path:
    """The temp folder holding this session's XDG dirs."""
    return _SESSION_HOME


@pytest.fixture
def traced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make every process and scratch file of an in-process render traceable to this test:
    the engine's temp folder goes under ``tmp_path / "tmp"`` and ``HF_TEST_MARKER`` (inherited
    by the render's child processes) holds ``tmp_path``. Returns tmp_path, the marker."""
    from support.rendering import MARKER_ENV

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setenv(MARKER_ENV, str(tmp_path))
    return tmp_path


@pytest.fixture
def hanging_url() -> Iterator[str]:
    """A loopback endpoint that accepts connections but never answers."""
    from support.loopback import hanging_endpoint

    with hanging_endpoint() as url:
        yield url


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``live_registry`` tests talk to the real npm registry: only when asked for by name."""
    if "live_registry" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="talks to the real npm registry: run with -m live_registry")
    for item in items:
        if "live_registry" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def npm_registry() -> Iterator:
    """The fake npm registry (tests/support/npm_registry.py) in its own process, serving the
    real tarballs of ``DEFAULT_PACKAGES``; stopped by pid at the end of the session. Its
    folder is outside pytest's temp root, so no test's leftover-process search finds it."""
    from support.npm_registry import DEFAULT_PACKAGES, FakeNpmRegistry

    state = Path(tempfile.mkdtemp(prefix="hf-npm-registry-", dir=_SESSION_HOME))
    registry = FakeNpmRegistry.start(state)
    try:
        for name, version in DEFAULT_PACKAGES:
            registry.add_real(name, version)
        yield registry
    finally:
        registry.stop()


@pytest.fixture
def npm_env(npm_registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """This test's processes resolve through the fake registry into an empty cache of their
    own (``tmp_path / "resource-cache"``). Returns the registry handle."""
    from hyperframes_desktop.render.resources.settings import CACHE_DIR_ENV

    monkeypatch.setenv("NPM_CONFIG_REGISTRY", npm_registry.url)
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "resource-cache"))
    return npm_registry
