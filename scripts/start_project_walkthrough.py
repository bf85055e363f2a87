"""A new user's first minutes, driven for real under Xvfb, with pictures for the README:
File → New Project… → a template → drop a clip on the timeline → render.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/start_project_walkthrough.py

Writes docs/start-new-project.png and docs/start-dropped-clip.png and prints what the render
made. Temporary config/data/cache folders, telemetry off: your own settings are not touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = Path(tempfile.mkdtemp(prefix="hf-walkthrough-"))
for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
    os.environ[name] = str(SCRATCH / name.lower())
os.environ["HYPERFRAMES_NO_TELEMETRY"] = "1"
sys.path.insert(0, str(ROOT))

from hyperframes_desktop.app import create_application, release_widgets  # noqa: E402

app = create_application()

from PySide6.QtCore import QEventLoop  # noqa: E402

from hyperframes_desktop.ui.main_window import MainWindow  # noqa: E402

_loop = QEventLoop()


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"walkthrough: timed out waiting for {what}")
        _loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.02)


def settle(seconds: float) -> None:
    end = time.monotonic() + seconds
    wait_until(lambda: time.monotonic() > end, seconds + 5, "a pause")


def main() -> int:
    docs = ROOT / "docs"
    window = MainWindow(None, ask_notice=False)
    window.resize(1440, 880)
    window.show()
    settle(1.0)

    # 1. File → New Project…: the templates, their pictures rendered by our own still
    window.actions.new_project.trigger()
    dialog = window.growth.new_project_dialog
    dialog.resize(760, 620)
    wait_until(lambda: dialog.pictures_shown() == dialog.templates.count(), 240, "pictures")
    dialog.select_template("title")
    dialog.parent_folder.setText(str(SCRATCH))
    dialog.name.setText("my-video")
    settle(0.5)
    dialog.grab().save(str(docs / "start-new-project.png"), "PNG")
    assert dialog.create(), dialog.error.text()
    project = SCRATCH / "my-video"
    wait_until(lambda: window.project == project.resolve(), 20, "the new project")
    wait_until(lambda: window.preview.is_ready, 30, "the preview")
    wait_until(lambda: window.timeline.timeline is not None, 20, "the timeline")

    # 2. A clip from the file manager, dropped on the timeline at 1 s, on a new track
    clip = SCRATCH / "waves.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
         "gradients=s=960x540:d=4:r=30:speed=0.02:n=3:c0=0x14345a:c1=0x2a9d8f:c2=0xe9c46a",
         "-pix_fmt", "yuv420p", str(clip)],
        check=True, timeout=120,
    )  # fmt: skip
    window.timeline.dock.raise_()
    timeline = window.timeline.timeline
    top = max(t.index for t in timeline.tracks)
    frame = timeline.frame(1.0)
    shown = window.preview.composition
    added = window.growth.media_drop.drop([clip], frame, top + 1)
    assert added == 1, window.statusBar().currentMessage()
    wait_until(
        lambda: window.preview.composition is not shown and window.preview.is_ready,
        30,
        "the preview after the drop",
    )
    window.preview.seek(timeline.frame(3.5))
    window.growth.assets_dock.raise_()
    settle(3.0)
    window.grab().save(str(docs / "start-dropped-clip.png"), "PNG")

    # 3. Render (the studio's own render queue)
    window.render_panel.start_render()
    wait_until(lambda: window.queue.active_count() == 0, 300, "the render")
    outputs = sorted((project / "renders").glob("*.mp4"))
    print(f"project: {project}")
    print(f"rendered: {[str(o) for o in outputs]}")
    for line in (project / "index.html").read_text().splitlines():
        if "waves" in line:
            print(f"inserted: {line.strip()}")
    window._quit_confirmed = True
    window.close()
    release_widgets()
    return 0 if outputs else 1


if __name__ == "__main__":
    sys.exit(main())
