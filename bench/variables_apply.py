#!/usr/bin/env python3
"""Variables panel: how long a new value takes to show in the preview.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/variables_apply.py [--runs 12] [--size WxH]

Opens the real studio window on a generated project whose background is a colour variable,
then alternates the colour through the panel: from the accepted value (``commit``, i.e. after
the typing pause of APPLY_DELAY_MS) to the preview showing the same frame again with the new
page. Prints median, p95 and max; the colour on screen is checked after every run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PAGE = """<!doctype html><html><head><style>
html, body {{ margin: 0; width: {w}px; height: {h}px; overflow: hidden; }}
#stage {{ width: {w}px; height: {h}px; }}
</style></head><body>
<div id="stage" data-composition-id="vars" data-width="{w}" data-height="{h}" data-duration="4"
     data-fps="30" data-no-timeline
     data-composition-variables='[{{"id": "bg", "type": "color", "default": "#ff0000"}}]'></div>
<script>
  document.getElementById("stage").style.background = window.__hyperframes.getVariables().bg;
</script></body></html>
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=12)
    parser.add_argument("--size", default="1280x720")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    work = Path(tempfile.mkdtemp(prefix="hf-vars-bench-"))
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[name] = str(work / name.lower())
    os.environ["HYPERFRAMES_NO_TELEMETRY"] = "1"
    project = work / "project"
    project.mkdir()
    (project / "index.html").write_text(PAGE.format(w=width, h=height), encoding="utf-8")

    from hyperframes_desktop.render.qt_env import configure_qtwebengine_env

    configure_qtwebengine_env(offscreen=os.environ["QT_QPA_PLATFORM"] == "offscreen")
    import PySide6.QtWebEngineWidgets  # noqa: F401  (before the QApplication)
    from PySide6.QtCore import QEventLoop, QTimer

    from hyperframes_desktop.app import create_application
    from hyperframes_desktop.ui.main_window import MainWindow
    from hyperframes_desktop.ui.variables_panel import APPLY_DELAY_MS

    app = create_application()
    loop = QEventLoop()

    def wait_until(predicate, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while not predicate():
            if time.monotonic() > deadline:
                return False
            QTimer.singleShot(2, loop.quit)
            loop.exec()
        return True

    window = MainWindow(project, ask_notice=False)
    window.show()
    preview, panel = window.preview, window.variables_panel
    assert wait_until(lambda: preview.is_ready, 30), "the preview did not load"
    preview.seek(60)
    assert wait_until(lambda: preview.view.driver.shown_frame == 60, 10)

    shown: list[int] = []
    preview.view.driver.frame_shown.connect(shown.append)
    times_ms = []
    for run in range(args.runs):
        colour = ("#0000ff", "#00ff00")[run % 2]
        panel.fields["bg"].set_value(colour)
        loads = preview.view._loads
        shown.clear()
        t0 = time.perf_counter()
        panel.commit()
        ok = wait_until(lambda n=loads: preview.view._loads > n and 60 in shown, 20)
        times_ms.append((time.perf_counter() - t0) * 1000)
        assert ok, f"run {run}: the new value was not shown"
        pixel = preview.view.grab_stage().pixelColor(10, 10).name()
        assert pixel == colour, f"run {run}: the stage is {pixel}, expected {colour}"
    times_ms.sort()
    summary = {
        "runs": args.runs,
        "size": args.size,
        "median_ms": round(statistics.median(times_ms), 1),
        "p95_ms": round(times_ms[min(len(times_ms) - 1, round(0.95 * (len(times_ms) - 1)))], 1),
        "max_ms": round(times_ms[-1], 1),
        "typing_pause_ms": APPLY_DELAY_MS,
    }
    print(json.dumps(summary))
    window._quit_confirmed = True
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # PySide6 6.12 can crash tearing Qt down at interpreter exit
