"""HYPERFRAMES_FRAME_TIMEOUT_S: how long one frame may take to paint before the render stops
with a sentence naming that limit (default 15 s; a bad value keeps the default)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import write_project

from hyperframes_desktop.render import RenderError, RenderJob, RenderOptions
from hyperframes_desktop.render.capture_process import _frame_timeout_s

# Frame 3 never paints: the page's clock is the composition's, so this loop never ends.
STUCK_FRAME = """<!doctype html><html><head><style>html,body{margin:0;background:#000}</style>
</head><body><div data-composition-id="stuck" data-width="64" data-height="36"
  data-duration="0.5" data-fps="10"></div>
<script>
  window.__timelines = window.__timelines || {};
  window.__timelines.stuck = {
    paused: function () { return true; },
    duration: function () { return 0.5; },
    totalTime: function (t) {
      if (Math.round(t * 10) !== 3) return;
      var end = performance.now() + 1;
      while (performance.now() < end) {}
    }
  };
</script></body></html>"""


def test_the_frame_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HYPERFRAMES_FRAME_TIMEOUT_S", raising=False)
    assert _frame_timeout_s() == 15.0
    monkeypatch.setenv("HYPERFRAMES_FRAME_TIMEOUT_S", "120")
    assert _frame_timeout_s() == 120.0
    monkeypatch.setenv("HYPERFRAMES_FRAME_TIMEOUT_S", "soon")
    assert _frame_timeout_s() == 15.0


@pytest.mark.slow
def test_a_stuck_frame_stops_the_render_after_the_frame_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(tmp_path / "p", STUCK_FRAME)
    monkeypatch.setenv("HYPERFRAMES_FRAME_TIMEOUT_S", "2")
    with pytest.raises(RenderError, match=r"Frame \d did not paint within 2 s"):
        RenderJob(RenderOptions(project=project, output=tmp_path / "a.mp4")).run()
