"""Helpers for the timeline's interaction tests: tiny real projects and real mouse events."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

#: 320x180 at 30 fps, 2 s, black stage. ``card`` (green, 100x60 at 20,20) shows from 0.5 s
#: for 0.5 s (frames 15–29) on track 0; ``note`` (white bar at the bottom) on track 1.
CARD_PAGE = """<!doctype html>
<html><head><style>
html, body { margin: 0; width: 320px; height: 180px; overflow: hidden; background: #000; }
#stage { position: relative; width: 320px; height: 180px; background: #000; }
#card { position: absolute; left: 20px; top: 20px; width: 100px; height: 60px;
        background: rgb(0, 200, 0); }
#note { position: absolute; left: 0; top: 160px; width: 320px; height: 20px; background: #fff; }
</style></head><body>
<div id="stage" data-composition-id="main" data-start="0" data-width="320" data-height="180"
     data-duration="2" data-fps="30" data-no-timeline>
  <!-- a hand-written comment that must survive every edit -->
  <div id="card" class="clip" data-start="0.5" data-duration="0.5" data-track-index="0"></div>
  <div id='note' class='clip' data-track-index='1' data-start='0' data-duration='2'></div>
</div>
</body></html>
"""

#: A full-stage video clip over 2 s; its source shows a different grey on every frame.
VIDEO_PAGE = """<!doctype html><html><head><style>
html, body { margin: 0; width: 160px; height: 90px; background: #000; overflow: hidden; }
video { position: absolute; left: 0; top: 0; width: 160px; height: 90px; }
</style></head><body>
<div id="r" data-composition-id="vid" data-width="160" data-height="90" data-duration="2"
     data-fps="30" data-no-timeline>
  <video id="v" class="clip" src="grey.mp4" data-start="0" data-duration="2"
         data-track-index="0" muted playsinline></video>
</div></body></html>"""


def card_project(folder: Path, seconds: int = 2) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    page = CARD_PAGE.replace('data-duration="2"', f'data-duration="{seconds}"')
    page = page.replace("data-duration='2'", f"data-duration='{seconds}'")
    (folder / "index.html").write_text(page, encoding="utf-8")
    return folder


def video_project(folder: Path) -> Path:
    """A project whose video's frame N has luma 40 + 4 N (every frame a different grey)."""
    from hyperframes_desktop.render import tools

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(VIDEO_PAGE, encoding="utf-8")
    made = tools.run_tool(
        "ffmpeg",
        ["-v", "error", "-f", "lavfi", "-i", "nullsrc=s=160x90:r=30:d=3",
         "-vf", "geq=lum='40+4*N':cb=128:cr=128", "-c:v", "libx264", "-qp", "0",
         "-pix_fmt", "yuv420p", "-y", str(folder / "grey.mp4")],
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return folder


def _send(widget, kind: QEvent.Type, pos: QPoint, buttons, modifiers) -> None:
    button = Qt.MouseButton.LeftButton
    if kind == QEvent.Type.MouseMove:
        button = Qt.MouseButton.NoButton
    local = QPointF(pos)
    event = QMouseEvent(kind, local, QPointF(widget.mapToGlobal(pos)), button, buttons, modifiers)
    QApplication.sendEvent(widget, event)


def drag(
    widget, start: QPoint, end: QPoint, *, shift: bool = False, steps: int = 8, release: bool = True
) -> None:
    """Press at ``start``, move in steps to ``end``, release (Shift held if asked)."""
    mods = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    held = Qt.MouseButton.LeftButton
    _send(widget, QEvent.Type.MouseButtonPress, start, held, mods)
    for i in range(1, steps + 1):
        point = start + (end - start) * i / steps
        _send(widget, QEvent.Type.MouseMove, point, held, mods)
    if release:
        _send(widget, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton, mods)


def release(widget, pos: QPoint) -> None:
    mods = Qt.KeyboardModifier.NoModifier
    _send(widget, QEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton, mods)


def bar_point(canvas, key: str, where: str = "body") -> QPoint:
    """A point on the bar ``key``: inside its head edge, tail edge, or its body."""
    bar = canvas.bar_by_key(key)
    row = canvas.row_of(key)
    assert bar is not None and row is not None, key
    from hyperframes_desktop.ui.timeline.painter import ROW_H

    y = canvas.row_y(row) + ROW_H // 2
    x0, x1 = canvas.content_x(bar.start), canvas.content_x(bar.end)
    x = {"head": x0 + 2, "tail": x1 - 2, "body": (x0 + x1) / 2}[where]
    return QPoint(round(x), y)
