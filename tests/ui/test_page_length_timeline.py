"""A root without data-duration lasts as long as its registered timeline, as in HyperFrames:
once the preview's page says how long that is, the studio's timeline, the preview's transport
and the composition the model holds use that length (not a provisional 1 s), and an edit
keeps it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# A root with no data-duration whose registered timeline lasts 3 s (a timeline-shaped object
# seeked like GSAP's), and one clip.
PAGE = """<!doctype html><html><head><style>html, body { margin: 0; background: #000; }</style>
</head><body>
<div id="root" data-composition-id="main" data-width="320" data-height="180" data-fps="10">
  <div id="title" class="clip" data-start="0" data-duration="1" data-track-index="0"
       style="width:40px;height:40px;background:#fff"></div>
</div>
<script>
window.__timelines["main"] = {
  t: 0,
  paused: function () { return true; }, pause: function () {},
  duration: function () { return 3; }, totalDuration: function () { return 3; },
  totalTime: function (t) { this.t = t; }
};
</script></body></html>
"""


def test_the_timeline_shows_the_registered_timelines_length(
    open_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(PAGE, encoding="utf-8")
    window = open_window(project)
    timeline = lambda: window.timeline.timeline  # noqa: E731
    qtbot.waitUntil(lambda: timeline() is not None and timeline().frame_count == 30, timeout=20_000)
    assert timeline().duration == 3.0 and timeline().page_duration == 3.0
    qtbot.waitUntil(lambda: window.preview.controller.frame_count == 30, timeout=20_000)
    assert window.model.composition is not None and window.model.composition.duration == 3.0
    assert window.timeline.canvas.scale.frame_count == 30
