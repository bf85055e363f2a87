"""File ▸ Copy Remote Files into Project…: the CDN GSAP file is copied into vendor/ off the
GUI thread (through the fake npm registry), only the src bytes of the HTML change, and one
Undo puts the HTML back byte for byte (the copy in vendor/ stays, as the label says)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox

GSAP = "https://cdn.jsdelivr.net/npm/gsap@3/dist/gsap.min.js"
COPY = "vendor/npm/gsap@3.14.2/dist/gsap.min.js"

PAGE = (
    "\ufeff<!doctype html>\r\n<html><head>\r\n"
    f"<script  SRC='{GSAP}' data-x=1></script>\r\n"
    "<style>html, body { margin: 0; width: 64px; height: 36px; background: #000; }</style>\r\n"
    "</head><body>\r\n"
    '<div id="root" data-composition-id="t" data-start="0" data-width="64" data-height="36" '
    'data-duration="1" data-fps="10"><div id="b" class="clip" data-start="0" '
    'data-duration="1" data-track-index="0" style="width:8px;height:8px;background:#fff">'
    "</div></div>\r\n<script>\r\n"
    "var tl = gsap.timeline({paused: true}); tl.to('#b', {x: 40, duration: 1}, 0);\r\n"
    "window.__timelines = {t: tl};\r\n</script>\r\n</body></html>\r\n"
)


def test_copy_remote_files_rewrites_only_the_url_and_one_undo_restores(
    npm_env, open_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    index = project / "index.html"
    index.write_bytes(PAGE.encode("utf-8"))
    window = open_window(project)
    qtbot.waitUntil(lambda: window.timeline.timeline is not None, timeout=10_000)
    action = window.actions.vendor
    assert action.isEnabled() and action.toolTip()

    action.trigger()
    box = window.growth.vendor.confirmation
    assert box is not None and "index.html" in box.informativeText()
    assert "1 already in the cache" in box.informativeText()  # the preview fetched it
    copy = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    copy.click()
    qtbot.waitUntil(lambda: index.read_bytes() != PAGE.encode("utf-8"), timeout=20_000)
    qtbot.waitUntil(lambda: not window.growth.vendor.running, timeout=5_000)

    assert index.read_bytes() == PAGE.replace(GSAP, COPY).encode("utf-8"), "only the URL"
    assert b"GSAP 3.14.2" in (project / COPY).read_bytes()[:400]
    assert "copies in vendor/ stay" in window.timeline.actions.undo.text()

    window.timeline.undo()
    assert index.read_bytes() == PAGE.encode("utf-8")
    assert (project / COPY).is_file()
