"""The Blocks panel against a loopback registry laid out like HyperFrames': search and tag
filter, a preview rendered by our engine, and "Add at playhead", which installs the block and
inserts exactly one host element at the playhead on a free track (undone byte for byte)."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "catalog"))
from registry_fixture import serve, write_registry

PAGE = """<!doctype html>
<html><head><style>html, body { margin: 0; width: 320px; height: 180px; background: #000; }
</style></head>
<body>
  <div id="root" data-composition-id="main" data-start="0" data-width="320" data-height="180"
       data-duration="4" data-fps="10" data-no-timeline>
    <p id="title" class="clip" data-start="0" data-duration="4" data-track-index="0">Hi</p>
  </div>
</body></html>
"""


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with serve(write_registry(tmp_path / "registry")) as url:
        monkeypatch.setenv("HYPERFRAMES_REGISTRY_URL", url)
        yield url


def test_add_at_playhead_installs_and_mounts_one_host(
    registry: str, open_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    index = project / "index.html"
    index.write_text(PAGE, encoding="utf-8")
    window = open_window(project)
    qtbot.waitUntil(lambda: window.timeline.timeline is not None, timeout=10_000)
    panel = window.growth.blocks_panel
    assert panel.list.count() == 0  # nothing is read before the user asks

    with qtbot.waitSignal(panel.catalog_loaded, timeout=20_000):
        panel.load_button.click()
    names = lambda: [panel.list.item(i).text() for i in range(panel.list.count())]  # noqa: E731
    assert "Glow Card" in names()
    panel.tags.setCurrentText("glow")
    assert names() == ["Glow Card"]
    panel.tags.setCurrentIndex(0)
    panel.search.setText("half")
    assert names() == ["Half There"]
    panel.search.clear()
    panel.activateWindow()
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "glow k")  # Space and K play the preview elsewhere
    assert panel.search.text() == "glow k" and not window.preview.controller.playing
    panel.search.setText("")
    panel.select("glow-card")
    assert "Glow Card" in panel.details.text()

    with qtbot.waitSignal(panel.preview_ready, timeout=60_000) as shown:
        panel.preview_button.click()
    assert Path(shown.args[0]).read_bytes().startswith(b"\x89PNG")
    assert not panel.picture.pixmap().isNull()

    window.preview.seek(15)  # 1.5 s at 10 fps
    qtbot.waitUntil(lambda: window.preview.controller.frame == 15, timeout=10_000)
    before = index.read_bytes()
    with qtbot.waitSignal(panel.block_added, timeout=20_000) as added:
        panel.add_button.click()
    assert added.args == ["glow-card"]
    assert (project / "compositions" / "glow-card.html").is_file()
    assert (project / "assets" / "glow-dot.svg").is_file()
    changed = [
        line
        for line in difflib.ndiff(before.decode().splitlines(), index.read_text().splitlines())
        if line.startswith(("+ ", "- "))
    ]
    assert changed == [
        '+     <div id="glow-card" data-composition-id="glow-card" '
        'data-composition-src="compositions/glow-card.html" data-start="1.5" '
        'data-duration="2" data-track-index="1" data-width="320" data-height="180"></div>'
    ]
    clip = window.timeline.timeline.clip_by_id("glow-card")
    assert clip is not None and clip.kind == "composition" and clip.start_frame == 15

    window.timeline.undo()
    assert index.read_bytes() == before
