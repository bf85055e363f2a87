"""A test process killed by a signal says which test, what it wrote and where Python was.

Each check runs a throw-away pytest in a subprocess with the suite's crash plugin
(support/crash_report.py); the crash is real: Chromium's own crash trap (SIGTRAP) in the
in-process QtWebEngine, as in the CI run that died at 98 % without a word.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPORT = "ended before pytest finished"

_CHROMIUM_CRASH = """
    import os

    from hyperframes_desktop.render.qt_env import configure_qtwebengine_env

    configure_qtwebengine_env(offscreen=True)

    import PySide6.QtWebEngineWidgets  # noqa: F401
    from PySide6.QtCore import QEventLoop, QTimer, QUrl, qWarning
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication


    def test_passes():
        pass


    def test_chromium_crashes():
        app = QApplication([])
        loop = QEventLoop()  # (the static processEvents breaks None's refcount in 6.12)
        view = QWebEngineView()
        view.show()
        loaded = []
        view.loadFinished.connect(loaded.append)
        view.setHtml("<p>hello</p>")
        while not loaded:
            loop.processEvents()
        print("STDOUT-MARKER", flush=True)
        os.write(2, b"STDERR-MARKER\\n")
        qWarning("QT-MARKER")
        # Chromium's browser-side debug URL: a CHECK that fails, as in Chromium's own code.
        QTimer.singleShot(0, lambda: view.load(QUrl("chrome://inducebrowsercrashforrealz")))
        while app is not None:
            loop.processEvents()
"""

_CLEAN = """
    import os


    def test_talks():
        print("STDOUT-MARKER")
        os.write(2, b"STDERR-MARKER\\n")
"""


def _run_pytest(folder: Path, source: str, *args: str) -> subprocess.CompletedProcess[str]:
    (folder / "test_throwaway.py").write_text(textwrap.dedent(source))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_chromium_crash_names_the_test_its_output_and_its_python_stack(tmp_path: Path) -> None:
    result = _run_pytest(tmp_path, _CHROMIUM_CRASH, "-p", "support.crash_report")
    assert result.returncode == -signal.SIGTRAP, result.stdout + result.stderr
    err = result.stderr
    # faulthandler: the crashing thread's Python stack, down to the test's line.
    assert "Current thread" in err, err
    assert 'test_throwaway.py", line' in err and "in test_chromium_crashes" in err, err
    # The watcher: which test, in which phase, and what it wrote before dying.
    report = err[err.index(REPORT) :]
    assert "the call of test_throwaway.py::test_chromium_crashes" in report, report
    assert "STDOUT-MARKER" in report and "STDERR-MARKER" in report, report
    assert "QT-MARKER" in report, report  # Qt's messages, as Chromium's, go to fd 2
    assert "open fds" in report and "threads" in report and "MB resident" in report, report
    assert err.index("Current thread") < err.index(REPORT)  # the stack, then the report


def test_a_run_that_ends_normally_reports_nothing(tmp_path: Path) -> None:
    result = _run_pytest(tmp_path, _CLEAN, "-p", "support.crash_report")
    assert result.returncode == 0, result.stdout + result.stderr
    assert REPORT not in result.stdout + result.stderr
    assert "MARKER" not in result.stdout + result.stderr  # captured and passed: not shown


def test_the_suite_loads_the_crash_plugin(request: pytest.FixtureRequest) -> None:
    assert request.config.pluginmanager.has_plugin("support.crash_report")
