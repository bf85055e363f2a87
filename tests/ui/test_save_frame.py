"""File ▸ Save Frame as Image… (Ctrl+Shift+S): the preview's frame saved through the engine's
still code, in the background, with a dialog, a status message and error sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_md5s
from ui_helpers import make_project

from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow


def test_ctrl_shift_s_saves_the_shown_frame(open_window, qtbot, tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    controller = window.save_frame
    file_menu = window.menuBar().actions()[0]
    assert file_menu.text() == "&File"
    assert controller.action in file_menu.menu().actions()
    assert controller.action.shortcut().toString() == "Ctrl+Shift+S"

    window.preview.seek(30)
    qtbot.waitUntil(lambda: window.preview.controller.frame == 30, timeout=5_000)
    controller.action.trigger()
    dialog = controller.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.selectedFiles()[0].endswith("renders/main_frame30.png")

    out = tmp_path / "chosen.png"
    with qtbot.waitSignal(controller.finished, timeout=60_000) as blocker:
        dialog.selectFile(str(out))
        dialog.accept()
    result = blocker.args[0]
    assert result is not None and result.output == out and result.frame == 30
    assert window.statusBar().currentMessage() == f"Saved frame 30 to {out}"
    same = render_still(StillOptions(project, frame=30, output=tmp_path / "cli.png"))
    assert frame_md5s(out) == frame_md5s(same.output)
    assert controller.action.isEnabled()


def test_a_failure_is_a_sentence(open_window, qtbot, tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    window = open_window(project)
    controller = window.save_frame
    controller.ask()
    assert controller.dialog is not None
    controller.dialog.reject()
    with qtbot.waitSignal(controller.finished, timeout=60_000) as blocker:
        controller.save(tmp_path / "picture.gif")
    assert blocker.args[0] is None
    message = window.statusBar().currentMessage()
    assert message.startswith("Could not save the frame: ")
    assert "does not end in .png or .jpg" in message
    assert not (tmp_path / "picture.gif").exists()


VARS_PAGE = """<!doctype html><html><head><style>
html, body { margin: 0; width: 320px; height: 180px; overflow: hidden; background: #000; }
#stage { width: 320px; height: 180px; }
</style></head><body>
<div id="stage" data-composition-id="vars" data-width="320" data-height="180"
     data-duration="1" data-fps="10" data-no-timeline
     data-composition-variables='[{"id": "bg", "type": "color", "default": "#ff0000"}]'></div>
<script>document.getElementById("stage").style.background =
  window.__hyperframes.getVariables().bg;</script>
</body></html>"""


def test_the_saved_frame_uses_the_variables_panel_values(
    open_window, qtbot, tmp_path: Path
) -> None:
    from support import frame_rgb, pixel

    project = tmp_path / "v"
    project.mkdir()
    (project / "index.html").write_text(VARS_PAGE, encoding="utf-8")
    window = open_window(project)
    qtbot.waitUntil(lambda: "bg" in window.variables_panel.fields, timeout=10_000)
    window.variables_panel.fields["bg"].set_value("#0000ff")
    assert window.variables_panel.commit()
    window.save_frame.ask()
    with qtbot.waitSignal(window.save_frame.finished, timeout=60_000) as blocker:
        window.save_frame.dialog.selectFile(str(tmp_path / "blue.png"))
        window.save_frame.dialog.accept()
    assert blocker.args[0] is not None
    assert pixel(frame_rgb(tmp_path / "blue.png", 0), 160, 90) == (0, 0, 255)
