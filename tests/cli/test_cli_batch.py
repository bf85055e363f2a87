"""``render --batch FILE.jsonl``: one output per line, a bad line reported, the rest rendered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import write_project
from support.compositions import variable_card_html
from support.media import assert_colour, frame_rgb, video_info
from support.rendering import run_cli

from hyperframes_desktop.render import RenderInputError, RenderOptions
from hyperframes_desktop.render.batch import BatchItem, BatchOutcome, read_batch

VARS = variable_card_html(duration=0.5)


def _write_batch(folder: Path, lines: list[str]) -> Path:
    path = folder / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_batch_checks_each_line_on_its_own(tmp_path: Path) -> None:
    batch = _write_batch(
        tmp_path,
        [
            "# people",
            json.dumps({"output": "out/a.webm", "variables": {"bg": "#ff0000"}}),
            "",
            "{not json",
            json.dumps({"variables": {}}),
            json.dumps({"output": "b.mp4", "colour": "red"}),
            json.dumps({"output": "c", "format": "gif"}),
        ],
    )
    base = RenderOptions(project=tmp_path, variables={"title": "Hi"})
    entries = read_batch(batch, base)
    assert [e.line for e in entries] == [2, 4, 5, 6, 7]
    first, bad_json, no_output, unknown, gif = entries
    assert isinstance(first, BatchItem)
    assert first.options.output == tmp_path / "out" / "a.webm"
    assert first.options.format == "webm"  # from the extension
    assert first.options.variables == {"title": "Hi", "bg": "#ff0000"}
    assert isinstance(bad_json, BatchOutcome) and "line 4: this is not valid JSON" in (
        bad_json.error or ""
    )
    assert isinstance(no_output, BatchOutcome) and 'no "output"' in (no_output.error or "")
    assert isinstance(unknown, BatchOutcome) and '"colour"' in (unknown.error or "")
    assert isinstance(gif, BatchItem) and gif.options.format == "gif"


def test_an_empty_batch_file_is_bad_input(tmp_path: Path) -> None:
    batch = _write_batch(tmp_path, ["# nothing yet"])
    with pytest.raises(RenderInputError, match="no lines to render"):
        read_batch(batch, RenderOptions(project=tmp_path))


@pytest.mark.slow
def test_batch_renders_good_lines_and_reports_the_bad_one(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", VARS)
    batch = _write_batch(
        tmp_path,
        [
            json.dumps({"output": "out/red.mp4", "variables": {"bg": "#ff0000"}}),
            json.dumps({"output": "out/bad.mp4", "variables": {"bg": 5}}),
            json.dumps({"output": "out/blue.mp4", "variables": {"bg": "#0000ff"}}),
        ],
    )
    proc = run_cli([str(project), "--batch", str(batch), "--quality", "draft"], marker=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "line 2: " in proc.stderr and 'variable "bg" must be a color' in proc.stderr
    assert "Batch finished: 2 rendered, 1 failed." in proc.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["blue.mp4", "red.mp4"]
    for name, colour in (("red", (255, 0, 0)), ("blue", (0, 0, 255))):
        assert video_info(out / f"{name}.mp4").frames == 5
        assert_colour(frame_rgb(out / f"{name}.mp4", 2), 80, 45, colour, what=name)
    assert proc.stdout.split() == [str(out / "red.mp4"), str(out / "blue.mp4")]


def test_batch_with_output_flag_is_refused(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", VARS)
    batch = _write_batch(tmp_path, [json.dumps({"output": "a.mp4"})])
    proc = run_cli([str(project), "--batch", str(batch), "-o", str(tmp_path / "x.mp4")])
    assert proc.returncode == 2
    assert "--batch names every output" in proc.stderr
