"""`render -o NAME.EXT` without --format renders the format the extension names, as users
expect (and as batch lines already do); an explicit --format still wins."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import video_info, write_project
from support.compositions import mixed_html
from support.rendering import run_cli

from hyperframes_desktop.cli import build_parser
from hyperframes_desktop.cli.render_cmd import _options


def _format_of(*argv: str) -> str:
    args = build_parser().parse_args(["render", "project", *argv])
    return _options(args).format


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ((), "mp4"),
        (("-o", "out/clip.webm"), "webm"),
        (("-o", "clip.MOV"), "mov"),
        (("-o", "clip.gif"), "gif"),
        (("-o", "clip.mp4"), "mp4"),
        (("-o", "renders/"), "mp4"),  # a folder: the default format
        (("-o", "frames", "--format", "png-sequence"), "png-sequence"),
        (("-o", "clip.webm", "--format", "mov"), "mov"),  # explicit wins (then refused)
    ],
)
def test_the_format_follows_the_output_extension(argv: tuple[str, ...], expected: str) -> None:
    assert _format_of(*argv) == expected


@pytest.mark.slow
def test_render_to_a_webm_name_writes_vp9(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", mixed_html())
    output = tmp_path / "clip.webm"
    result = run_cli([str(project), "-o", str(output), "--frames", "0-2", "--quality", "draft"],
                     marker=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    info = video_info(output)
    assert (info.codec, info.frames) == ("vp9", 3)
