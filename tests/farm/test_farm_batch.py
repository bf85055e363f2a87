"""``render --batch FILE.jsonl --farm ADDRESS``: the lines fan out over the loopback farm; a bad
line is reported and the others still render correctly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import write_project
from support.compositions import variable_card_html
from support.farm import farm_processes
from support.media import assert_colour, frame_rgb, video_info
from support.projects import partial_files
from support.rendering import run_cli

pytestmark = pytest.mark.slow

CARD = variable_card_html(duration=1)


def test_a_batch_fans_out_over_the_farm_and_reports_the_bad_line(cluster, tmp_path: Path):
    project = write_project(tmp_path / "p", CARD)
    batch = tmp_path / "batch.jsonl"
    lines = [
        {"output": "out/red.mp4", "variables": {"bg": "#ff0000"}},
        {"output": "out/bad.mp4", "variables": {"bg": 5}},
        {"output": "out/blue.webm", "variables": {"bg": "#0000ff"}},
    ]
    batch.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    proc = run_cli(
        [str(project), "--batch", str(batch), "--farm", cluster.address, "--quality", "draft"],
        marker=tmp_path,
        timeout=400,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Rendering up to 2 lines at once on the farm." in proc.stderr
    assert "line 2: " in proc.stderr and 'variable "bg" must be a color' in proc.stderr
    assert "Batch finished: 2 rendered, 1 failed." in proc.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["blue.webm", "red.mp4"]
    for name, colour in (("red.mp4", (255, 0, 0)), ("blue.webm", (0, 0, 255))):
        assert video_info(out / name).frames == 10
        for frame in (0, 9):
            assert_colour(frame_rgb(out / name, frame), 80, 45, colour, what=f"{name}@{frame}")
    assert proc.stdout.split() == [str(out / "red.mp4"), str(out / "blue.webm")]
    assert not partial_files(tmp_path) and not farm_processes(cluster)


def test_a_batch_on_an_unreachable_farm_says_so_once(tmp_path: Path):
    project = write_project(tmp_path / "p", CARD)
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps({"output": "a.mp4"}) + "\n", encoding="utf-8")
    proc = run_cli([str(project), "--batch", str(batch), "--farm", "tcp://127.0.0.1:9"])
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("Could not connect to the render farm") == 1
    assert "Fix:" in proc.stderr and not (tmp_path / "a.mp4").exists()
