"""Every bundled template: ``init`` makes it, it lints clean, and it renders (tiny, few fps)
with the right number of frames and a first frame that is not one flat colour."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from support.media import frame_rgb, video_info
from support.rendering import render_api

from hyperframes_desktop.cli import main as cli_main
from hyperframes_desktop.project.problems import check_project
from hyperframes_desktop.scaffold import list_templates

TEMPLATES = [t.name for t in list_templates()]
SMALL = {"landscape": "160x90", "portrait": "90x160", "square": "96x96"}


def test_all_issue_templates_are_bundled() -> None:
    assert {"blank", "blank-portrait", "blank-square", "title", "captions", "chart"} <= set(
        TEMPLATES
    )
    assert "slideshow" in TEMPLATES


def _colours(frame) -> int:
    return len({frame.data[i : i + 3] for i in range(0, len(frame.data), 3)})


@pytest.mark.parametrize("name", TEMPLATES)
def test_template_inits_lints_clean_and_renders(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = next(t for t in list_templates() if t.name == name)
    project = tmp_path / name
    size = SMALL[template.resolution]
    code = cli_main(
        ["init", str(project), "--template", name, "--resolution", size, "--fps", "5",
         "--non-interactive", "--json"]
    )  # fmt: skip
    assert code == 0
    made = json.loads(capsys.readouterr().out)
    assert made["template"] == name and made["fps"] == "5"
    assert "{{" not in (project / "index.html").read_text(encoding="utf-8")
    assert check_project(project) == []

    rendered = render_api(project, tmp_path / "out.mp4", fps=Fraction(5))
    info = video_info(rendered.output)
    width, height = (int(v) for v in size.split("x"))
    assert (info.width, info.height) == (width, height)
    html = (project / "index.html").read_text(encoding="utf-8")
    seconds = float(html.split('data-duration="', 1)[1].split('"', 1)[0])
    assert info.frames == round(seconds * 5), (info.frames, seconds)
    first = frame_rgb(rendered.output, 0)
    assert _colours(first) > 20, "the first frame is one flat colour: nothing was drawn"
