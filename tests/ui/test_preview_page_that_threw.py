"""The preview, like the capture worker, reports a page that threw before registering its
timeline after a short grace, not after its whole ready limit."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.render.compile import compile_page
from hyperframes_desktop.ui.preview import page as preview_page

READY_LIMIT_S = 30.0

PAGE = """<!doctype html>
<html><body>
<div id="root" data-composition-id="main" data-start="0" data-duration="1" data-width="160"
 data-height="90" data-fps="10"></div>
<script>throw new Error("thrown before the timeline");</script>
</body></html>
"""


def test_the_preview_reports_the_error_without_waiting_for_its_limit(
    tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(preview_page, "_READY_TIMEOUT_S", READY_LIMIT_S)
    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(PAGE, encoding="utf-8")
    compiled = compile_page(load_composition(project), tmp_path / "page")
    view, driver = preview_page.make_view()
    qtbot.addWidget(view)
    warnings: list[str] = []
    driver.warning.connect(warnings.append)
    started = time.monotonic()
    with qtbot.waitSignal(driver.ready, timeout=int(READY_LIMIT_S * 1000 / 2)):
        driver.load(compiled)
    elapsed = time.monotonic() - started
    qtbot.waitUntil(lambda: bool(warnings), timeout=5_000)
    assert "thrown before the timeline" in warnings[0] and "index.html:5" in warnings[0]
    assert 'window.__timelines["main"]' in warnings[0]
    assert elapsed < READY_LIMIT_S / 2, elapsed
    driver.clear()
