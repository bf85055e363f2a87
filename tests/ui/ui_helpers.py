"""Helpers for the UI tests: tiny real projects, windows, pixels, processes, payloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import psutil
from support import media
from support.loopback import dead_url  # noqa: F401  (re-exported for the tests)
from support.projects import SAMPLES  # noqa: F401  (re-exported for the tests)

TEST_KEY = "phc_test_0123456789abcdef"

#: 320x180, 30 fps: the stage is red before 1 s and blue from 1 s on; a 40 px white box
#: slides from left 0 to left 280 over the 2 s (left = 140 px at frame 30).
CSS_PAGE = """<!doctype html>
<html><head><style>
html, body {{ margin: 0; width: 320px; height: 180px; overflow: hidden; background: #000; }}
#stage {{ position: relative; width: 320px; height: 180px;
         animation: flip {duration}s linear both; }}
@keyframes flip {{ 0%, 49.99% {{ background: rgb(255, 0, 0); }}
                  50%, 100% {{ background: rgb(0, 0, 255); }} }}
#box {{ position: absolute; left: 0; top: 70px; width: 40px; height: 40px; background: #fff;
       animation: move {duration}s linear both; }}
@keyframes move {{ from {{ left: 0; }} to {{ left: 280px; }} }}
</style></head><body>
<div id="stage" data-composition-id="{cid}" data-start="0" data-width="320" data-height="180"
     data-duration="{duration}" data-fps="30" data-no-timeline><div id="box"></div></div>
</body></html>
"""

BROKEN_PAGE = """<!doctype html><html><body>
<div id="stage" data-composition-id="broken" data-start="0" data-height="180"
     data-duration="2"></div></body></html>
"""


def make_project(folder: Path, duration: float = 2.0, extra: dict[str, str] | None = None) -> Path:
    """A project whose index.html is the CSS test page; ``extra`` adds more files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(
        CSS_PAGE.format(duration=duration, cid="main"), encoding="utf-8"
    )
    for name, text in (extra or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def css_page(duration: float, cid: str) -> str:
    return CSS_PAGE.format(duration=duration, cid=cid)


def rgb_at(image: Any, fx: float, fy: float) -> tuple[int, int, int]:
    """Colour at a fraction of the image's width/height."""
    from PySide6.QtGui import QColor

    x = min(image.width() - 1, int(fx * image.width()))
    y = min(image.height() - 1, int(fy * image.height()))
    return QColor(image.pixel(x, y)).getRgb()[:3]


def close_to(rgb: tuple[int, int, int], want: tuple[int, int, int], tol: int = 40) -> bool:
    return all(abs(a - b) <= tol for a, b in zip(rgb, want, strict=True))


def render_children() -> list[psutil.Process]:
    """Our render processes still alive: capture workers and FFmpeg (not QtWebEngine's)."""
    found = []
    for proc in psutil.Process().children(recursive=True):
        try:
            if proc.status() == psutil.STATUS_ZOMBIE:
                continue
            text = " ".join(proc.cmdline())
            if "ffmpeg" in proc.name() or "hyperframes_desktop.render.worker" in text:
                found.append(proc)
        except psutil.Error:
            continue
    return found


def probe(path: Path) -> dict[str, Any]:
    """ffprobe's view of the first video stream (frames counted), from the shared helper."""
    return next(s for s in media.probe(path)["streams"] if s.get("codec_type") == "video")


def sent_events(server: Any) -> list[dict[str, Any]]:
    """Every event the loopback server received, in order."""
    bodies = [json.loads(req.get_data()) for req, _ in server.log if req.path == "/batch/"]
    return [item for body in bodies for item in body["batch"]]


def event_names(server: Any) -> list[str]:
    return [item["event"] for item in sent_events(server)]
