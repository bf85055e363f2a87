"""A block installed with ``add`` and mounted in a composition renders, at its own times,
exactly the frames it renders when opened alone (laid out as in the registry, which is how
the Blocks panel previews it)."""

from __future__ import annotations

import hashlib
import re
from fractions import Fraction
from pathlib import Path

import pytest

from hyperframes_desktop.catalog import RegistryClient
from hyperframes_desktop.catalog.alone import stage_alone
from hyperframes_desktop.cli import main as cli_main
from hyperframes_desktop.render import RenderJob, RenderOptions

HOST = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <style>html, body { margin: 0; width: 320px; height: 180px; overflow: hidden;
      background: #a00; }</style>
  </head>
  <body>
    <div id="root" data-composition-id="host" data-start="0" data-duration="3.5"
         data-width="320" data-height="180" data-fps="5" data-no-timeline>
      MOUNT
    </div>
  </body>
</html>
"""


def _frames(project: Path, out: Path, composition: str | None, frames: tuple[int, int]) -> list:
    options = RenderOptions(
        project=project,
        composition=composition,
        output=out,
        fps=Fraction(5),
        format="png-sequence",
        frames=frames,
    )
    RenderJob(options, lambda _p: None).run()
    files = sorted(out.glob("*.png"))
    return [hashlib.sha256(_pixels(f)).hexdigest() for f in files]


def _pixels(png: Path) -> bytes:
    """The decoded RGBA pixels (PNG metadata may differ between renders)."""
    import subprocess

    return subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(png), "-f", "rawvideo", "-pix_fmt", "rgba", "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout


def test_mounted_block_renders_the_frames_it_renders_alone(
    registry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    assert cli_main(["add", "glow-card", "--dir", str(project), "--registry", registry]) == 0
    out = capsys.readouterr().out
    snippet = re.search(r"<div data-composition-id=.*?></div>", out).group(0)
    mounted = snippet.replace('data-start="0"', 'data-start="1"')
    (project / "index.html").write_text(HOST.replace("MOUNT", mounted))

    with RegistryClient(registry) as client:
        page = stage_alone(client, client.item("glow-card"), tmp_path / "glow-card")
    alone = _frames(page.parent, tmp_path / "alone", page.name, (0, 9))  # its 2 s at 5 fps
    inside = _frames(project, tmp_path / "inside", None, (5, 14))  # mounted at 1 s
    assert len(alone) == len(inside) == 10
    assert len(set(alone)) == 10, "the block does not move: the test would prove nothing"
    assert alone == inside
    before = _frames(project, tmp_path / "before", None, (0, 0))
    assert before[0] not in alone, "before its start the block must not show"
