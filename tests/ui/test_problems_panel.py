"""The Problems panel: checker findings, the preview page's script errors, clicks and the
user's editor."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.ui.open_in_editor import editor_command
from hyperframes_desktop.ui.problems_panel import ProblemsPanel, clip_frame

ROOT = (
    'id="stage" data-composition-id="main" data-start="0" data-width="320" data-height="180" '
    'data-duration="2" data-fps="30" data-no-timeline'
)
BAD_ROOT = ROOT.replace('data-width="320"', 'data-width="wide"').replace(
    'data-height="180"', 'data-height="0"'
)


def _page(root: str = ROOT, body: str = "", script: str = "") -> str:
    return (
        "<!doctype html>\n<html><head></head><body>\n"  # 1-2
        f"<div {root}>\n"  # 3
        f"{body}\n"  # 4
        "</div>\n"  # 5
        f"<script>\n{script}\n</script>\n"  # 6-8: the script's own line is 7
        "</body></html>\n"
    )


OVERLAP = (
    '<div id="a" class="clip" data-start="0" data-duration="1" data-track-index="0"></div>'
    '<div id="b" class="clip" data-start="0.5" data-duration="1" data-track-index="0"></div>'
)


def _project(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


def _rows(panel: ProblemsPanel) -> list[tuple[str, str]]:
    tree = panel.tree
    return [
        (tree.topLevelItem(i).text(0), tree.topLevelItem(i).text(1))
        for i in range(tree.topLevelItemCount())
    ]


def _item(panel: ProblemsPanel, needle: str) -> QTreeWidgetItem:
    tree = panel.tree
    for i in range(tree.topLevelItemCount()):
        if needle in tree.topLevelItem(i).text(0):
            return tree.topLevelItem(i)
    raise AssertionError(f"no row with {needle!r}: {_rows(panel)}")


def _recorder(folder: Path, name: str) -> tuple[Path, Path]:
    """An executable called ``name`` that writes its arguments, one a line, to a file."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "argv.txt"
    script = folder / name
    script.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > "{out}.tmp" && /bin/mv "{out}.tmp" "{out}"\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script, out


def test_findings_are_shown_with_counts_and_refresh(qtbot, tmp_path: Path) -> None:
    project = _project(tmp_path / "p", _page(root=BAD_ROOT, body=OVERLAP))
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    counts: list[str] = []
    panel.counts_changed.connect(counts.append)
    with qtbot.waitSignal(panel.checked, timeout=10_000):
        panel.set_target(project, project / "index.html")
    rows = _rows(panel)
    assert [loc for _msg, loc in rows] == ["index.html:3", "index.html:3", "index.html:4"]
    assert rows[0][0].startswith('data-width "wide" must be a positive whole number')
    assert "overlap on data-track-index 0" in rows[2][0]
    assert counts[-1] == panel.counts() == "2 errors, 1 warning"
    assert "Fix:" in panel.tree.topLevelItem(0).toolTip(0)

    (project / "index.html").write_text(_page(), encoding="utf-8")
    with qtbot.waitSignal(panel.checked, timeout=10_000):
        panel.refresh()
    assert _rows(panel) == [] and counts[-1] == "No problems"

    schema = '[{"id": "tint", "type": "color", "default": "#ff0000"}]'
    root = f"{ROOT} data-composition-variables='{schema}'"
    (project / "index.html").write_text(_page(root=root), encoding="utf-8")
    with qtbot.waitSignal(panel.checked, timeout=10_000):
        panel.set_variables({"tint": 12})
    assert _rows(panel) == [
        (
            'the given variables do not match the schema: variable "tint" must be a color, '
            "but the value is 12.",
            "index.html:3",
        )
    ]


def test_window_shows_the_pages_script_errors_with_file_and_line(
    open_window, tmp_path: Path, qtbot
) -> None:
    script = 'window.hfCallsSomethingMissing("boom");'
    project = _project(tmp_path / "p", _page(body=OVERLAP, script=script))
    window = open_window(project)
    panel = window.problems
    qtbot.waitUntil(lambda: any("Script error" in m for m, _ in _rows(panel)), timeout=20_000)
    message, location = next(r for r in _rows(panel) if "Script error" in r[0])
    assert "hfCallsSomethingMissing" in message
    assert location == "index.html:7"
    qtbot.waitUntil(lambda: "overlap" in " ".join(m for m, _ in _rows(panel)), timeout=10_000)
    assert window.problem_counts.text() == "1 error, 1 warning"
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert window.problems_dock.toggleViewAction() in view_menu.actions()

    # reloading the page clears its old errors before the new ones arrive
    (project / "index.html").write_text(_page(body=OVERLAP), encoding="utf-8")
    window.actions.reload.trigger()
    qtbot.waitUntil(lambda: window.preview.is_ready, timeout=20_000)
    qtbot.waitUntil(lambda: window.problem_counts.text() == "1 warning", timeout=10_000)


def test_clicking_an_element_problem_requests_its_clip(qtbot, tmp_path: Path) -> None:
    project = _project(tmp_path / "p", _page(body=OVERLAP))
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.resize(600, 300)
    panel.show()
    with qtbot.waitSignal(panel.checked, timeout=10_000):
        panel.set_target(project, project / "index.html")
    item = _item(panel, "overlap")
    rect = panel.tree.visualItemRect(item)
    with qtbot.waitSignal(panel.clip_requested, timeout=2_000) as signal:
        qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == ["b"]
    comp = load_composition(project)
    assert clip_frame(comp, "b") == 15 and clip_frame(comp, "a") == 0
    assert clip_frame(comp, "nope") is None and clip_frame(None, "b") is None


def test_double_click_opens_the_file_at_the_line_in_visual(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    editor, argv_file = _recorder(tmp_path / "bin", "code")
    monkeypatch.setenv("VISUAL", f"{editor} --reuse-window")
    project = _project(tmp_path / "p", _page(body=OVERLAP))
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.resize(600, 300)
    panel.show()
    with qtbot.waitSignal(panel.checked, timeout=10_000):
        panel.set_target(project, project / "index.html")
    item = _item(panel, "overlap")
    rect = panel.tree.visualItemRect(item)
    # a real double-click: press/release, then the double-click event on the same row
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(argv_file.exists, timeout=5_000)
    index = project / "index.html"
    assert argv_file.read_text().splitlines() == ["--reuse-window", "-g", f"{index}:4"]

    # a problem without an element opens its file on a single click
    argv_file.unlink()
    panel.add_page_error("Uncaught Error: x", index.as_uri(), 7)
    item = _item(panel, "Script error")
    rect = panel.tree.visualItemRect(item)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(argv_file.exists, timeout=5_000)
    assert argv_file.read_text().splitlines() == ["--reuse-window", "-g", f"{index}:7"]


def test_editor_commands(tmp_path: Path) -> None:
    f = tmp_path / "index.html"
    no_terminal = {"PATH": str(tmp_path / "empty")}

    def cmd(spec: str, line: int | None = 12, **env: str) -> list[str] | None:
        return editor_command(f, line, {**no_terminal, "VISUAL": spec, **env})

    assert cmd("vim") == ["vim", "+12", str(f)]
    assert cmd("/usr/bin/nvim -p") == ["/usr/bin/nvim", "-p", "+12", str(f)]
    assert cmd("emacsclient -c") == ["emacsclient", "-c", "+12", str(f)]
    assert cmd("code --wait") == ["code", "--wait", "-g", f"{f}:12"]
    assert cmd("subl") == ["subl", f"{f}:12"]
    assert cmd("kate") == ["kate", "--line", "12", str(f)]
    assert cmd("my-editor") == ["my-editor", str(f)]
    assert cmd("vim", None) == ["vim", str(f)]
    assert editor_command(f, 3, {**no_terminal, "EDITOR": "nano"}) == ["nano", "+3", str(f)]
    assert editor_command(f, 3, no_terminal) is None  # → the desktop's default application
    # a terminal editor runs inside a terminal window when there is one
    terminal, _out = _recorder(tmp_path / "term", "my-terminal")
    assert cmd("nano", TERMINAL=str(terminal)) == [str(terminal), "-e", "nano", "+12", str(f)]
    assert cmd("code", TERMINAL=str(terminal)) == ["code", "-g", f"{f}:12"]
    assert os.access(terminal, os.X_OK)


def test_a_problem_about_the_root_opens_the_file_instead(
    qtbot, tmp_path: Path, monkeypatch
) -> None:
    editor, argv_file = _recorder(tmp_path / "bin", "nvim")
    monkeypatch.setenv("VISUAL", str(editor))
    monkeypatch.setenv("PATH", str(tmp_path / "no-terminal"))
    monkeypatch.delenv("TERMINAL", raising=False)
    project = _project(tmp_path / "p", _page(root=BAD_ROOT))
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.resize(600, 300)
    panel.show()
    with qtbot.waitSignal(panel.checked, timeout=10_000):
        panel.set_target(project, project / "index.html")
    requested: list[str] = []
    panel.clip_requested.connect(requested.append)
    rect = panel.tree.visualItemRect(_item(panel, "data-height"))
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(argv_file.exists, timeout=5_000)
    assert argv_file.read_text().splitlines() == ["+3", str(project / "index.html")]
    assert requested == []
