"""UI test setup: offscreen Qt with real QtWebEngine, isolated config/data dirs per test,
real renders and a real loopback HTTP server for telemetry.

PySide6 6.12: the static ``QCoreApplication.processEvents()`` corrupts None's refcount (the
interpreter dies after a few thousand calls) and pytest-qt calls it between tests, so it is
replaced for the session by an instance ``QEventLoop().processEvents``, which is safe.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# No sound device, as in CI, also on a developer's machine: the preview's sound plays against
# the system clock, silently (test_preview_audio_device.py starts its own PulseAudio).
os.environ["PULSE_SERVER"] = "unix:/nonexistent/hyperframes-tests-have-no-sound"
os.environ["PIPEWIRE_REMOTE"] = "/nonexistent/hyperframes-tests-have-no-sound"

from hyperframes_desktop.render.qt_env import configure_qtwebengine_env

configure_qtwebengine_env(offscreen=True)

from PySide6 import QtCore  # noqa: E402

_loop: QtCore.QEventLoop | None = None


def _safe_process_events(*args: object) -> None:
    global _loop
    if _loop is None:
        _loop = QtCore.QEventLoop()
    _loop.processEvents(*args)


QtCore.QCoreApplication.processEvents = staticmethod(_safe_process_events)

import PySide6.QtWebEngineWidgets  # noqa: E402, F401  (before any QApplication)
import pytest  # noqa: E402
import shiboken6  # noqa: E402

_HERE = Path(__file__).resolve().parent
if str(_HERE) not in sys.path:
    sys.path.insert(0, str(_HERE))

from ui_helpers import TEST_KEY, dead_url  # noqa: E402

from hyperframes_desktop.telemetry import client as client_mod  # noqa: E402
from hyperframes_desktop.telemetry import events, gates, metadata  # noqa: E402

CLEARED_ENV = (
    "HYPERFRAMES_NO_TELEMETRY",
    "DO_NOT_TRACK",
    gates.ENV_KEY,
    gates.ENV_HOST,
    gates.ENV_DEV_OVERRIDE,
    "HYPERFRAMES_TELEMETRY_DEBUG",
    "HYPERFRAMES_SCREENSHOT",
    "HYPERFRAMES_FFMPEG_PATH",
    "HYPERFRAMES_FFPROBE_PATH",
    "CI",
)


@pytest.fixture(scope="session")
def qapp() -> Iterator[object]:
    """The studio's own QApplication (name, organisation, icon, metadata hook)."""
    from hyperframes_desktop.app import create_application, release_widgets

    yield create_application()
    release_widgets()


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: object) -> Iterator[Path]:
    """Temp config and data dirs, no inherited telemetry settings, a fresh client."""
    from hyperframes_desktop.render import tools
    from hyperframes_desktop.ui import session
    from hyperframes_desktop.ui.telemetry_bridge import install_metadata_hook

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for name in CLEARED_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(gates.ENV_HOST, dead_url())
    monkeypatch.setenv(client_mod.ENV_DEBOUNCE_MS, "50")
    tools.find_tool.cache_clear()
    client_mod.set_client(None)
    events._reset_session_guard_for_tests()
    session._notice_open = False
    install_metadata_hook()
    yield tmp_path
    old = client_mod.set_client(None)
    if old is not None:
        old.close()
    metadata.set_metadata_hook(None)
    tools.find_tool.cache_clear()
    delete_now_what_was_deleted_later()


def delete_now_what_was_deleted_later() -> None:
    """Run the deferred deletes still pending: the windows pytest-qt closed (it calls
    ``deleteLater()``), with their web views and pages. Its ``processEvents()`` outside an
    event loop never runs them, so they lived on into a later test's event loop and were torn
    down in the middle of it (test_windows_end_with_their_test.py)."""
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)


@pytest.fixture
def open_window(qtbot: Any) -> Iterator[Callable[..., Any]]:
    """Make a shown MainWindow (waiting for its preview); renders are stopped afterwards."""
    from hyperframes_desktop.ui.main_window import MainWindow

    made: list[MainWindow] = []

    def factory(project: Path | None = None, *, ask_notice: bool = True, ready: bool = True):
        window = MainWindow(project, ask_notice=ask_notice)
        made.append(window)
        qtbot.addWidget(window)
        window.show()
        if ready and project is not None:
            qtbot.waitUntil(lambda: window.preview.is_ready, timeout=20_000)
        return window

    yield factory
    for window in made:
        if shiboken6.isValid(window) and window.queue.active_count():
            window.queue.cancel_all()
            window.queue.wait_for_idle(20_000)
            window._quit_confirmed = True
        if shiboken6.isValid(window):
            window.queue.stop_warm_processes()  # kept between renders; a later test counts


@pytest.fixture
def telemetry_configured(httpserver: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Key and loopback host set, dev override on: only the first-run notice is missing."""
    monkeypatch.setenv(gates.ENV_KEY, TEST_KEY)
    monkeypatch.setenv(gates.ENV_HOST, httpserver.url_for("/").rstrip("/"))
    monkeypatch.setenv(gates.ENV_DEV_OVERRIDE, "1")
    httpserver.expect_request("/batch/", method="POST").respond_with_json({"status": 1})
    return httpserver


@pytest.fixture
def telemetry_on(telemetry_configured: Any) -> Any:
    """Every gate open (notice already shown), events going to the loopback server."""
    from hyperframes_desktop.telemetry import config

    config.update_config(notice_shown=True)
    assert gates.telemetry_state().enabled
    return telemetry_configured
