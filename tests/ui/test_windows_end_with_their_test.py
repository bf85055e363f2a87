"""A test's windows are deleted when that test ends, not in some later test's event loop.

pytest-qt closes the windows a test made and calls ``deleteLater()``, but pytest-qt's
``processEvents()`` outside any event loop never runs a deferred delete: the windows (each
with its web view, page and Chromium-side state) lived on into the next test that happened
to run an event loop, up to three at a time, and were torn down in the middle of it. A
crash in that teardown was then charged to an innocent test. The tests below run in this
order: each second one checks what the first one left.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtWidgets import QApplication
from ui_helpers import make_project

from hyperframes_desktop.ui.main_window import MainWindow

_left: list[MainWindow] = []


def _live_main_windows() -> list[MainWindow]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


def test_a_window_with_a_ready_preview_is_opened(open_window, tmp_path: Path) -> None:
    window = open_window(make_project(tmp_path / "p"))
    assert window.preview.is_ready
    _left.append(window)


def test_that_window_is_gone_when_the_next_test_starts() -> None:
    assert _left, "the test before this one opens the window"
    assert not any(shiboken6.isValid(w) for w in _left)
    assert _live_main_windows() == []


def test_a_window_still_loading_its_page_is_opened(open_window, tmp_path: Path) -> None:
    window = open_window(None)
    window.open_project(make_project(tmp_path / "p"))  # its preview starts loading; no wait
    _left.append(window)


def test_that_window_is_gone_too() -> None:
    assert not any(shiboken6.isValid(w) for w in _left)
    assert _live_main_windows() == []
