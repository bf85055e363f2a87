"""``hyperframes-desktop compositions``: the project panel's list, on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from support import SAMPLES, write_project
from support.rendering import cli_env

from hyperframes_desktop.project import list_compositions, load_composition

NESTED = SAMPLES / "nested"
needs_samples = pytest.mark.skipif(
    not NESTED.is_dir(), reason=f"shared samples not found at {SAMPLES} (set HYPERFRAMES_SAMPLES)"
)


def run_compositions(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "compositions", *args],
        cwd=str(cwd),
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@needs_samples
def test_json_lists_the_shared_nested_sample(tmp_path: Path) -> None:
    result = run_compositions(str(NESTED), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["file"] for r in rows] == ["index.html", "compositions/card.html"]
    main, card = rows
    # the sample's README: 1920x1080, 30 fps, 5 s; the card is a <template> sub-composition
    assert main["id"] == "nested-main"
    assert (main["width"], main["height"], main["duration"], main["fps"]) == (1920, 1080, 5, "30")
    assert main["sub_composition"] is False and main["error"] is None
    assert main["clips"] == len(load_composition(NESTED).clips) > 0
    assert card["id"] == "card" and card["sub_composition"] is True and card["error"] is None
    assert card["clips"] >= 1
    # what the studio's project panel is given
    infos = list_compositions(NESTED)
    assert [(i.composition_id, i.is_sub, i.clips) for i in infos] == [
        (r["id"], r["sub_composition"], r["clips"]) for r in rows
    ]


@needs_samples
def test_defaults_to_the_current_folder_and_prints_a_table() -> None:
    result = run_compositions(cwd=SAMPLES / "clips-and-tracks")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["FILE", "ID", "SIZE", "DURATION", "FPS", "CLIPS", "KIND"]
    clips = len(load_composition(SAMPLES / "clips-and-tracks").clips)
    assert lines[1].split()[2:] == ["1280x720", "6", "s", "24", str(clips), "composition"]


def test_rational_fps_is_exact_in_json(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "ntsc",
        '<div id="r" data-composition-id="ntsc" data-width="64" data-height="36" '
        'data-duration="1" data-fps="30000/1001" data-no-timeline>'
        '<p id="a" class="clip" data-start="0" data-duration="0.5">a</p></div>',
    )
    rows = json.loads(run_compositions("--json", cwd=project).stdout)
    assert Fraction(rows[0]["fps"]) == Fraction(30000, 1001)
    assert rows[0]["clips"] == 1
    table = run_compositions(cwd=project).stdout
    assert "29.97" in table


def test_a_broken_file_is_listed_with_its_sentence(tmp_path: Path) -> None:
    project = write_project(
        tmp_path / "p",
        '<div id="r" data-composition-id="main" data-width="64" data-height="36" '
        'data-duration="1" data-no-timeline></div>',
        {
            "compositions/bad.html": '<template><div data-composition-id="bad" '
            'data-width="64" data-height="36" data-duration="-1"></div></template>'
        },
    )
    result = run_compositions("--json", cwd=project)
    assert result.returncode == 0, result.stderr
    rows = {r["file"]: r for r in json.loads(result.stdout)}
    assert rows["index.html"]["error"] is None and rows["index.html"]["clips"] == 0
    bad = rows["compositions/bad.html"]
    assert bad["error"] and "data-duration" in bad["error"] and "Fix:" in bad["error"]
    assert bad["clips"] is None
    table = run_compositions(cwd=project).stdout
    assert bad["error"] in table


def test_a_bad_project_gives_the_project_error_and_exit_2(tmp_path: Path) -> None:
    result = run_compositions(str(tmp_path / "missing"), "--json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "the project folder does not exist" in result.stderr and "Fix:" in result.stderr
    assert "Traceback" not in result.stderr

    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_compositions(cwd=empty)
    assert result.returncode == 2
    assert "no HTML compositions" in result.stderr and "Fix:" in result.stderr
