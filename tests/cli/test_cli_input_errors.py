"""Bad flags and paths: one sentence naming the problem and the fix, before any progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import write_project
from support.compositions import mixed_html
from support.rendering import run_cli

EXIT_BAD_INPUT = 2


def only_the_error(stderr: str) -> str:
    """The one line a bad request prints: no progress line, no traceback."""
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("hyperframes-desktop: "), stderr
    return lines[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project", mixed_html())


def test_a_bad_flag_combination_prints_no_compiling_line(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.mov"
    result = run_cli([str(project), "--crf", "20", "--format", "mov", "-o", str(out)], timeout=60)
    assert result.returncode == EXIT_BAD_INPUT, result.stderr
    assert "Compiling" not in result.stderr
    message = only_the_error(result.stderr)
    assert "--crf" in message and "Fix:" in message
    assert not out.exists()


@pytest.mark.parametrize("resolution", ["huge", "0x0", "1920by1080"])
def test_a_bad_resolution_says_how_to_fix_it_before_compiling(
    project: Path, tmp_path: Path, resolution: str
) -> None:
    out = tmp_path / "o.mp4"
    result = run_cli([str(project), "--resolution", resolution, "-o", str(out)], timeout=60)
    assert result.returncode == EXIT_BAD_INPUT, result.stderr
    message = only_the_error(result.stderr)
    assert f'Unknown resolution "{resolution}"' in message
    assert "Fix:" in message and "1080p" in message and "WIDTHxHEIGHT" in message
    assert not out.exists()


@pytest.mark.parametrize("fps", ["fast", "0", "30/0"])
def test_a_bad_fps_says_how_to_fix_it(project: Path, tmp_path: Path, fps: str) -> None:
    result = run_cli([str(project), "--fps", fps, "-o", str(tmp_path / "o.mp4")], timeout=60)
    assert result.returncode == EXIT_BAD_INPUT, result.stderr
    message = only_the_error(result.stderr)
    assert message.startswith(f'hyperframes-desktop: --fps "{fps}": ')
    assert "Fix:" in message and "30000/1001" in message


def test_an_unreadable_variables_file_says_how_to_fix_it(project: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    result = run_cli(
        [str(project), "--variables-file", str(missing), "-o", str(tmp_path / "o.mp4")],
        timeout=60,
    )
    assert result.returncode == EXIT_BAD_INPUT, result.stderr
    message = only_the_error(result.stderr)
    assert "Cannot read the variables file" in message and "nope.json" in message
    assert "Fix:" in message and "--variables" in message


@pytest.mark.parametrize("below", [("o.mp4",), ("sub", "o.mp4")])
def test_a_file_in_the_way_of_the_output_folder_is_named(
    project: Path, tmp_path: Path, below: tuple[str, ...]
) -> None:
    blocker = tmp_path / "renders"
    blocker.write_text("not a folder")
    out = blocker.joinpath(*below)
    result = run_cli([str(project), "-o", str(out)], timeout=60)
    assert result.returncode == EXIT_BAD_INPUT, result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert "File exists" not in message
    assert f'"{blocker}" is a file, not a folder' in message
    assert "Fix:" in message and "-o" in message
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("workers", ["0", "many", "2.5", "99"])
def test_a_bad_worker_count_says_how_to_fix_it(project: Path, tmp_path: Path, workers: str) -> None:
    out = tmp_path / "o.mp4"
    result = run_cli([str(project), "--workers", workers, "-o", str(out)], timeout=60)
    assert result.returncode == EXIT_BAD_INPUT, result.stderr
    message = only_the_error(result.stderr)
    assert message.startswith(f'hyperframes-desktop: --workers "{workers}" is not a worker count')
    assert "Fix:" in message and "auto" in message and "1 to 16" in message
    assert not out.exists()
