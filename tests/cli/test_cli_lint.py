"""``hyperframes-desktop lint`` as users run it, and ``render`` refusing a bad project."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import write_project
from support.projects import SAMPLES, copy_sample
from support.rendering import REPO_ROOT, cli_env, run_cli

EXIT_CLEAN, EXIT_WARNINGS, EXIT_ERRORS = 0, 1, 2
ROOT = 'data-composition-id="main" data-width="640" data-height="360" data-duration="2"'
FIELDS = {"severity", "file", "line", "attribute", "message", "fix", "element_id"}
THREE_BAD = 'data-composition-id="main" data-width="wide" data-height="-2" data-duration="soon"'
OVERLAP = (
    '<div id="a" class="clip" data-start="0" data-duration="1" data-track-index="0"></div>'
    '<div id="b" class="clip" data-start="0.5" data-duration="1" data-track-index="0"></div>'
)


def page(root_attrs: str = ROOT, body: str = "") -> str:
    """A small CSS-only composition (root on line 3)."""
    return (
        "<!doctype html>\n<html><body>\n"
        f'<div id="root" {root_attrs} data-no-timeline>\n{body}\n</div>\n</body></html>\n'
    )


def lint(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "lint", *args],
        cwd=str(cwd or REPO_ROOT),
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _three_bad_attributes(tmp_path: Path) -> Path:
    return write_project(tmp_path / "bad", page(root_attrs=THREE_BAD))


def test_lint_reports_every_bad_root_attribute(tmp_path: Path) -> None:
    result = lint(str(_three_bad_attributes(tmp_path)))
    assert result.returncode == EXIT_ERRORS, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3, result.stdout
    for line, attribute in zip(lines, ["data-width", "data-height", "data-duration"], strict=True):
        assert line.startswith("index.html:") and ": error: " in line and " Fix: " in line, line
        assert f"{attribute} " in line
    assert "3 errors" in result.stderr
    assert "Traceback" not in result.stderr


def test_lint_json_is_a_list_of_problem_objects(tmp_path: Path) -> None:
    result = lint(str(_three_bad_attributes(tmp_path)), "--json")
    assert result.returncode == EXIT_ERRORS
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 3
    for item, attribute in zip(data, ["data-width", "data-height", "data-duration"], strict=True):
        assert set(item) == FIELDS
        assert item["severity"] == "error" and item["file"] == "index.html"
        assert item["attribute"] == attribute and isinstance(item["line"], int)
        assert item["message"] and item["fix"]


def test_warnings_exit_0_or_1_with_strict(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", page(body=OVERLAP))
    relaxed = lint(str(project))
    assert relaxed.returncode == EXIT_CLEAN, relaxed.stderr
    assert ": warning: " in relaxed.stdout and "overlap" in relaxed.stdout
    strict = lint(str(project), "--strict")
    assert strict.returncode == EXIT_WARNINGS
    data = json.loads(lint(str(project), "--json", "--strict").stdout)
    assert [(p["severity"], p["element_id"]) for p in data] == [("warning", "b")]


def test_lint_defaults_to_the_current_folder_and_takes_a_composition(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "p",
        page(),
        {"broken.html": page(root_attrs='data-composition-id="b" data-width="1"')},
    )
    whole = lint(cwd=project)
    assert whole.returncode == EXIT_ERRORS and "broken.html:" in whole.stdout
    assert lint("-c", "index.html", cwd=project).returncode == EXIT_CLEAN
    clean = lint(str(project), "-c", "index.html")
    assert clean.returncode == EXIT_CLEAN and clean.stdout == ""
    assert "no problems" in clean.stderr


def test_lint_of_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    result = lint(str(tmp_path / "nope"))
    assert result.returncode == EXIT_ERRORS
    assert "the project folder does not exist" in result.stdout


@pytest.mark.parametrize(
    "name", ["lower-third", "kinetic-css", "clips-and-tracks", "nested", "portrait-60fps"]
)
def test_every_shared_sample_lints_clean(tmp_path: Path, name: str) -> None:
    if not (SAMPLES / name).is_dir():
        pytest.skip(f"shared sample {name} not found at {SAMPLES}")
    project = copy_sample(name, tmp_path / name)
    result = lint(str(project), "--strict")
    assert result.returncode == EXIT_CLEAN, result.stdout + result.stderr
    assert result.stdout == ""


def test_render_refuses_a_bad_project_listing_every_error(tmp_path: Path) -> None:
    body = (
        '<div id="c" class="clip" data-start="ghost" data-duration="1"></div>\n'
        '<video id="v" src="gone.mp4" data-start="0" muted></video>'
    )
    project = write_project(tmp_path / "bad", page(root_attrs=THREE_BAD, body=body))
    out = tmp_path / "out.mp4"
    result = run_cli([str(project), "-o", str(out)], timeout=60)
    assert result.returncode == EXIT_ERRORS, result.stderr
    assert "Traceback" not in result.stderr
    assert "the composition has 5 errors:" in result.stderr
    for part in ("data-width", "data-height", "data-duration", 'clip with id "ghost"', "gone.mp4"):
        assert part in result.stderr, part
    listed = [line for line in result.stderr.splitlines() if line.startswith("  index.html:")]
    assert len(listed) == 5, result.stderr
    assert not out.exists() and not (project / "renders").exists()
