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


ATLAS = "https://cdn.jsdelivr.net/npm/us-atlas@3/states-10m.json"
#: names a remote file the page only fetches on demand, so the preview requests nothing
LAZY_PAGE = (
    "<!doctype html><html><head><style>body { margin: 0; }</style></head><body>\n"
    '<div id="root" data-composition-id="t" data-start="0" data-width="64" data-height="36" '
    'data-duration="1" data-fps="10"><div id="b" class="clip" data-start="0" '
    'data-duration="1" data-track-index="0" style="width:8px;height:8px;background:#fff">'
    "</div></div>\n"
    f'<script>function atlas() {{ return fetch("{ATLAS}"); }}</script>\n</body></html>\n'
)


def test_downloads_off_copies_from_the_cache_only_and_says_what_is_missing(
    npm_env, open_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    from hyperframes_desktop.ui import store

    asked_before = len(npm_env.requests())  # the registry is shared by the whole session
    settings = store.load_settings()
    settings.download_resources = False  # Preferences: cache only, and the cache is empty
    store.save_settings(settings)
    project = tmp_path / "p"
    project.mkdir()
    index = project / "index.html"
    index.write_bytes(LAZY_PAGE.encode("utf-8"))
    window = open_window(project)
    qtbot.waitUntil(lambda: window.timeline.timeline is not None, timeout=10_000)
    window.actions.vendor.trigger()
    box = window.growth.vendor.confirmation
    assert "Downloads are off" in box.informativeText()
    copy = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
    copy.click()
    qtbot.waitUntil(lambda: not window.growth.vendor.running, timeout=10_000)
    status = window.model.status
    assert "not in the cache and downloads are off" in status and ATLAS in status
    assert index.read_bytes() == LAZY_PAGE.encode("utf-8")
    assert not (project / "vendor").exists()
    asked = npm_env.requests()[asked_before:]
    assert not [r for r in asked if "us-atlas" in r], "nothing was downloaded"
