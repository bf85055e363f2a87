"""The Assets panel and media dropped on the timeline: files are copied into assets/ under
new names, a drop inserts exactly one clip (byte-exact elsewhere) at the drop's time and
track, undo removes it byte for byte, and missing files can be located."""

from __future__ import annotations

import difflib
import subprocess
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from hyperframes_desktop.ui.assets_panel import AssetsPanel

PAGE = """<!doctype html>
<html><head><style>html, body { margin: 0; width: 320px; height: 180px; background: #000; }
</style></head>
<body>
  <div id="root" data-composition-id="main" data-start="0" data-width="320" data-height="180"
       data-duration="4" data-fps="10" data-no-timeline>
    <p id="title" class="clip" data-start="0" data-duration="1" data-track-index="0">Hi</p>
    <img id="logo" class="clip" src="media/logo.png" alt="" data-start="0" data-duration="4"
         data-track-index="1">
  </div>
</body></html>
"""


def _video(path: Path, seconds: float = 1.5) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
         f"testsrc2=s=160x90:r=10:d={seconds}", "-pix_fmt", "yuv420p", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    return path


def _project(tmp_path: Path) -> Path:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    return folder


def _drop(window: Any, point: QPointF, files: list[Path]) -> None:
    """Deliver a drop to the timeline's viewport as Qt does: through its event filter (a
    synthetic QDropEvent sent with sendEvent is not routed outside a real drag)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    event = QDropEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    viewport = window.timeline.canvas.viewport()
    assert window.growth.media_drop.eventFilter(viewport, event)
    assert event.isAccepted()


def test_video_dropped_on_the_timeline_becomes_one_clip_and_undo_removes_it(
    open_window: Any, qtbot: Any, tmp_path: Path
) -> None:
    project = _project(tmp_path)
    outside = _video(tmp_path / "Holiday clip.mp4")
    window = open_window(project)
    controller = window.timeline
    qtbot.waitUntil(lambda: controller.timeline is not None, timeout=10_000)
    canvas = controller.canvas
    row = next(i for i, r in enumerate(canvas.rows) if r.track == 0 and r.scope == "")
    frame = 20  # 2.0 s at 10 fps: track 0 is free there
    point = QPointF(canvas.content_x(frame) + 1, canvas.row_y(row) + 5)
    index = project / "index.html"
    before = index.read_bytes()
    entering = QMimeData()
    entering.setUrls([QUrl.fromLocalFile(str(outside))])
    enter = QDragEnterEvent(
        point.toPoint(),
        Qt.DropAction.CopyAction,
        entering,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    assert window.growth.media_drop.eventFilter(canvas.viewport(), enter) and enter.isAccepted()

    _drop(window, point, [outside])

    copied = project / "assets" / "Holiday clip.mp4"
    assert copied.read_bytes() == outside.read_bytes()
    after = index.read_bytes()
    added = [
        line
        for line in difflib.ndiff(before.decode().splitlines(), after.decode().splitlines())
        if line.startswith(("+ ", "- "))
    ]
    assert added == [
        '+     <video id="holiday-clip" class="clip" src="assets/Holiday clip.mp4" '
        'data-start="2" data-duration="1.5" data-track-index="0" muted playsinline '
        'style="position: absolute; left: 0; top: 0; width: 100%; height: 100%; '
        'object-fit: cover"></video>'
    ]
    clip = controller.timeline.clip_by_id("holiday-clip")
    assert clip is not None and (clip.start_frame, clip.end_frame, clip.track) == (20, 35, 0)

    # the same file again at the same place: a new id, the next free track, no new copy
    _drop(window, point, [copied])
    again = controller.timeline.clip_by_id("holiday-clip-2")
    assert again is not None and again.track == 2  # 0: the first drop, 1: the logo
    assert sorted(p.name for p in (project / "assets").iterdir()) == ["Holiday clip.mp4"]

    # dropped on the preview: at the playhead, on a new top track
    window.preview.seek(5)
    qtbot.waitUntil(lambda: window.preview.controller.frame == 5, timeout=10_000)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(copied))])
    on_canvas = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    assert window.growth.canvas_drop.eventFilter(window.preview.view.catcher, on_canvas)
    third = controller.timeline.clip_by_id("holiday-clip-3")
    assert third is not None and (third.start_frame, third.track) == (5, 3)

    for _ in range(3):
        controller.undo()
    assert index.read_bytes() == before
    assert controller.timeline.clip_by_id("holiday-clip") is None


def test_panel_lists_media_with_lengths_imports_without_overwriting_and_locates(
    qtbot: Any, tmp_path: Path
) -> None:
    project = _project(tmp_path)
    outside = _video(tmp_path / "shot.mp4")
    panel = AssetsPanel()
    qtbot.addWidget(panel)
    panel.set_project(project)
    gone = panel.missing()
    assert [m.ref for m in gone] == ["media/logo.png"]
    assert "1 missing" in panel.summary.text()

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(outside))])
    from_file_manager = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(panel.imported, timeout=5000) as imported:
        panel.list.dropEvent(from_file_manager)
    assert imported.args == [[project.resolve() / "assets" / "shot.mp4"]]
    made = [*imported.args[0], *panel.import_paths([outside])]
    assert [p.name for p in made] == ["shot.mp4", "shot-2.mp4"]
    assert (project / "assets" / "shot.mp4").read_bytes() == outside.read_bytes()
    # an item drags out as the file's URL (what the timeline and the preview accept)
    first = next(
        panel.list.item(i)
        for i in range(panel.list.count())
        if panel.list.item(i).text().startswith("shot.mp4")
    )
    dragged = panel.list.mimeData([first])
    assert [u.toLocalFile() for u in dragged.urls()] == [str(made[0])]
    qtbot.waitUntil(lambda: panel.length_of(made[0]) is not None, timeout=20_000)
    assert abs(panel.length_of(made[0]) - 1.5) < 0.05
    names = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert any(n.startswith("shot.mp4\n") and "1.50 s" in n for n in names)

    picture = tmp_path / "logo-source.png"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:s=32x32",
         "-frames:v", "1", str(picture)],
        check=True, timeout=60,
    )  # fmt: skip
    assert panel.locate_file(gone[0], picture)
    assert (project / "media" / "logo.png").read_bytes() == picture.read_bytes()
    assert panel.missing() == []
    assert not panel.locate_file(gone[0], picture)  # there now: refused, nothing replaced
    panel.stop_facts()
