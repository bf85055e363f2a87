"""Copying elements, then quitting: the process ends cleanly (the clipboard keeps what was
copied past the interpreter's end; see ``element_clipboard.qt_made_mime_data``)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMainWindow, QMenu
    from hyperframes_desktop.app import create_application, release_widgets
    from hyperframes_desktop.project.design.clipboard import STUDIO_MIME
    from hyperframes_desktop.project.timeline import build_timeline
    from hyperframes_desktop.studio_model import StudioModel
    from hyperframes_desktop.ui.element_clipboard import ElementClipboard

    app = create_application()
    window = QMainWindow()
    model = StudioModel()
    model.set_timeline(build_timeline(Path(sys.argv[1])))
    model.set_selection({"card"})
    board = ElementClipboard(window, model, QMenu(window), lambda _f: True, lambda _f: True)
    assert board.copy_selection()
    mime = QGuiApplication.clipboard().mimeData()
    print("copied", mime.hasFormat(STUDIO_MIME), 'id="card"' in mime.text(), flush=True)
    release_widgets()
    """
)
PAGE = (
    "<!doctype html>\n"
    '<div id="root" data-composition-id="m" data-width="320" data-height="180" '
    'data-duration="2">\n'
    '  <div id="card" class="clip" data-start="0" data-duration="2" data-track-index="0">'
    "Hi</div>\n</div>\n"
)


def test_the_studio_ends_cleanly_after_elements_were_copied(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert "copied True True" in done.stdout, done.stderr[-2000:]
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
