"""The Variables panel: a form from data-composition-variables, applied live to the preview,
remembered per project and composition, used by studio renders, copied as a CLI line."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QGuiApplication
from support import media
from support.rendering import cli_env
from ui_helpers import close_to, rgb_at

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.variable_fields import (
    BooleanField,
    ColorField,
    EnumField,
    FileField,
    NumberField,
    TextField,
)
from hyperframes_desktop.ui.variables_panel import VariablesPanel

RED, BLUE = (255, 0, 0), (0, 0, 255)
SCHEMA = [
    {"id": "bg", "type": "color", "default": "#ff0000", "label": "Background"},
    {"id": "title", "type": "string", "default": "Hello"},
    {"id": "size", "type": "number", "default": 24, "min": 8, "max": 96},
    {"id": "show", "type": "boolean", "default": True},
    {"id": "mood", "type": "enum", "options": ["calm", "loud"], "default": "calm"},
    {"id": "logo", "type": "image", "default": ""},
    {"id": "face", "type": "font", "default": ""},
]
PAGE = """<!doctype html><html><head><style>
html, body {{ margin: 0; width: 320px; height: 180px; overflow: hidden; background: #000; }}
#stage {{ width: 320px; height: 180px; }}
</style></head><body>
<div id="stage" data-composition-id="main" data-width="320" data-height="180"
     data-duration="1" data-fps="10" data-no-timeline
     data-composition-variables='{schema}'></div>
<script>
  var v = window.__hyperframes.getVariables();
  document.getElementById("stage").style.background = v.bg;
</script>
</body></html>
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "vars project"  # a space: the CLI line must quote it
    folder.mkdir()
    (folder / "index.html").write_text(PAGE.format(schema=json.dumps(SCHEMA)), encoding="utf-8")
    return folder


def stage_colour(window) -> tuple[int, int, int]:
    return rgb_at(window.preview.view.grab_stage(), 0.5, 0.5)


def test_one_widget_per_type(qtbot, project: Path) -> None:
    panel = VariablesPanel()
    qtbot.addWidget(panel)
    values = panel.set_composition(project, load_composition(project))
    assert values == {}
    kinds = {name: type(field) for name, field in panel.fields.items()}
    assert kinds == {
        "bg": ColorField,
        "title": TextField,
        "size": NumberField,
        "show": BooleanField,
        "mood": EnumField,
        "logo": FileField,
        "face": FileField,
    }
    assert panel.fields["bg"].value() == "#ff0000"
    assert panel.fields["size"].value() == 24 and panel.fields["size"].spin.maximum() == 96
    assert panel.fields["show"].value() is True
    assert panel.fields["mood"].combo.count() == 2
    assert "Background" in [
        panel._form.itemAt(i, panel._form.ItemRole.LabelRole).widget().text()
        for i in range(panel._form.rowCount())
    ]
    # the swatch opens a colour dialog; the chosen colour becomes the value
    colour = panel.fields["bg"]
    colour.swatch.click()
    assert colour.dialog is not None and colour.dialog.isVisible()
    colour.dialog.setCurrentColor(QColor(0, 255, 0))
    colour.dialog.accept()
    assert colour.value() == "#00ff00"
    # file pickers store paths relative to the project
    assert panel.fields["logo"].relative(project / "img" / "logo.png") == "img/logo.png"

    changed = []
    panel.values_changed.connect(changed.append)
    panel.fields["size"].set_value(48)
    panel.fields["show"].set_value(False)
    panel.fields["mood"].set_value("loud")
    panel.fields["title"].set_value("Bonjour")
    assert panel.commit()
    assert changed == [
        {"bg": "#00ff00", "size": 48, "show": False, "mood": "loud", "title": "Bonjour"}
    ]


def test_invalid_values_are_refused_with_the_schemas_reason(qtbot, project: Path) -> None:
    panel = VariablesPanel()
    qtbot.addWidget(panel)
    panel.set_composition(project, load_composition(project))
    messages: list[str] = []
    panel.status_message.connect(messages.append)
    changed = []
    panel.values_changed.connect(changed.append)
    panel.fields["bg"].set_value("#00f")
    assert panel.commit() and changed == [{"bg": "#00f"}]

    panel.fields["bg"].set_value("not a colour!")
    assert not panel.commit()
    reason = panel.errors["bg"].text()
    assert 'variable "bg" must be a color' in reason and "Fix:" in reason
    assert not panel.errors["bg"].isHidden()
    assert messages[-1] == reason
    assert changed == [{"bg": "#00f"}]  # nothing applied
    assert panel.values() == {"bg": "#00f"}
    assert store.load_variable_values(project, project / "index.html") == {"bg": "#00f"}

    panel.fields["bg"].set_value("rgb(0, 0, 255)")
    assert panel.commit() and panel.errors["bg"].isHidden()


def test_values_are_remembered_per_project_and_composition(qtbot, project, tmp_path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "index.html").write_text((project / "index.html").read_text(), encoding="utf-8")
    panel = VariablesPanel()
    qtbot.addWidget(panel)
    panel.set_composition(project, load_composition(project))
    panel.fields["title"].set_value("Saved")
    assert panel.commit()

    again = VariablesPanel()
    qtbot.addWidget(again)
    assert again.set_composition(project, load_composition(project)) == {"title": "Saved"}
    assert again.fields["title"].value() == "Saved"
    assert again.set_composition(other, load_composition(other)) == {}  # another project

    # a saved value the schema no longer accepts is dropped, with a word in the status bar
    store.save_variable_values(project, project / "index.html", {"size": "big", "title": "x"})
    messages: list[str] = []
    again.status_message.connect(messages.append)
    assert again.set_composition(project, load_composition(project)) == {"title": "x"}
    assert "size" in messages[-1]

    again.reset_to_defaults()
    assert again.values() == {} and again.fields["title"].value() == "Hello"
    assert store.load_variable_values(project, project / "index.html") == {}


def test_copy_cli_command_renders_the_same_values(qtbot, project: Path) -> None:
    panel = VariablesPanel()
    qtbot.addWidget(panel)
    panel.set_composition(project, load_composition(project))
    panel.fields["bg"].set_value("#0000ff")
    panel.fields["title"].set_value('It\'s "quoted"')
    assert panel.commit()
    panel.copy_button.click()
    line = QGuiApplication.clipboard().text()
    assert line == panel.cli_command()
    argv = shlex.split(line)
    assert argv[:5] == ["hyperframes-desktop", "render", str(project), "-c", "index.html"]
    assert argv[5] == "--variables"
    assert json.loads(argv[6]) == {"bg": "#0000ff", "title": 'It\'s "quoted"'}


def test_colour_variable_changes_the_preview_and_the_studio_render(
    open_window, qtbot, project: Path, tmp_path: Path
) -> None:
    window = open_window(project)
    panel = window.variables_panel
    assert set(panel.fields) == {s["id"] for s in SCHEMA}
    qtbot.waitUntil(lambda: close_to(stage_colour(window), RED), timeout=10_000)
    window.preview.seek(5)
    qtbot.waitUntil(lambda: window.preview.view.driver.shown_frame == 5, timeout=5_000)

    panel.set_value("bg", "#0000ff")  # as typed: applied after a short pause
    qtbot.waitUntil(lambda: close_to(stage_colour(window), BLUE), timeout=10_000)
    assert window.preview.controller.frame == 5  # the frame is kept
    qtbot.waitUntil(lambda: window.preview.view.driver.shown_frame == 5, timeout=5_000)

    # a studio render uses the panel's values (even one typed a moment ago); the default
    # render differs at the same frame
    panel.set_value("title", "Just typed")
    blue_job = window.render_panel.start_render()
    assert blue_job.variables == {"bg": "#0000ff", "title": "Just typed"}
    assert 'bg="#0000ff"' in blue_job.label  # the queue row says which values it renders
    qtbot.waitUntil(lambda: not blue_job.active, timeout=120_000)
    assert blue_job.status == "complete", blue_job.error
    panel.reset_to_defaults()
    qtbot.waitUntil(lambda: close_to(stage_colour(window), RED), timeout=10_000)
    red_job = window.render_panel.start_render()
    qtbot.waitUntil(lambda: not red_job.active, timeout=120_000)
    assert red_job.status == "complete", red_job.error
    blue = media.pixel(media.frame_rgb(blue_job.output, 5), 160, 90)
    red = media.pixel(media.frame_rgb(red_job.output, 5), 160, 90)
    assert media.near(blue, BLUE, 24), blue
    assert media.near(red, RED, 24), red


@pytest.mark.slow
def test_the_copied_command_renders_what_the_studio_renders(qtbot, project, tmp_path) -> None:
    panel = VariablesPanel()
    qtbot.addWidget(panel)
    panel.set_composition(project, load_composition(project))
    panel.fields["bg"].set_value("#0000ff")
    assert panel.commit()
    argv = shlex.split(panel.cli_command())
    out = tmp_path / "cli.mp4"
    command = [sys.executable, "-m", "hyperframes_desktop.cli", *argv[1:], "-o", str(out)]
    result = subprocess.run(
        [*command, "--quality", "draft"], env=cli_env(), capture_output=True, text=True,
        timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert media.near(media.pixel(media.frame_rgb(out, 5), 160, 90), BLUE, 24)


def test_a_save_keeps_the_values_and_a_new_declaration_joins_the_form(
    open_window, qtbot, project: Path
) -> None:
    window = open_window(project)
    panel = window.variables_panel
    panel.set_value("bg", "#0000ff")
    qtbot.waitUntil(lambda: close_to(stage_colour(window), BLUE), timeout=10_000)

    # the author saves the file with one more variable declared: hot reload
    schema = [*SCHEMA, {"id": "speed", "type": "number", "default": 1.5}]
    html = PAGE.format(schema=json.dumps(schema)).replace("<body>", "<body><!-- saved -->")
    (project / "index.html").write_text(html, encoding="utf-8")
    qtbot.waitUntil(lambda: "speed" in panel.fields, timeout=10_000)
    assert panel.fields["bg"].value() == "#0000ff" and panel.values() == {"bg": "#0000ff"}
    qtbot.waitUntil(lambda: window.preview.view.driver.is_ready, timeout=10_000)
    qtbot.wait(300)
    assert close_to(stage_colour(window), BLUE)  # the reloaded page got the values too
