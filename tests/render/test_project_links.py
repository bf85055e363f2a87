"""Symbolic links in a project, one rule for the farm's bundle and the local render: links to
files and folders inside the project are followed; links that lead outside it are left out,
with a warning naming them."""

from __future__ import annotations

import logging
import os
import subprocess
from pathlib import Path

import pytest
from support.media import all_frames_rgb, near, pixel
from support.projects import write_project

from hyperframes_desktop.render import RenderOptions
from hyperframes_desktop.render.farm.bundle import build_bundle
from hyperframes_desktop.render.pipeline import RenderJob

RED, GREY = (255, 0, 0), (128, 128, 128)


def _png(path: Path, colour: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
         f"color=c={colour}:s=80x90", "-frames:v", "1", "-y", str(path)],
        check=True,
    )  # fmt: skip


@pytest.fixture
def linked_project(tmp_path: Path) -> Path:
    """``assets -> media`` (a folder inside), ``logo.png -> media/red.png`` (a file inside),
    ``secret.png`` and ``footage`` -> outside the project."""
    outside = tmp_path / "elsewhere"
    _png(outside / "red.png", "red")
    html = """<!doctype html><html><head><style>
* { margin: 0; } html, body { width: 160px; height: 90px; background: #808080; }
img { position: absolute; top: 0; width: 80px; height: 90px; }
</style></head><body>
<div id="root" data-composition-id="c" data-width="160" data-height="90" data-duration="0.1"
     data-fps="10" data-no-timeline>
  <img src="assets/red.png" style="left:0"><img src="secret.png" style="left:80px">
</div></body></html>"""
    project = write_project(tmp_path / "project", html)
    _png(project / "media" / "red.png", "red")
    (project / "assets").symlink_to("media")
    (project / "logo.png").symlink_to(project / "media" / "red.png")
    (project / "secret.png").symlink_to(outside / "red.png")
    (project / "footage").symlink_to(outside)
    return project


def test_the_bundle_follows_links_inside_the_project_and_leaves_out_the_others(
    linked_project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    page = tmp_path / "page"
    page.mkdir()
    (page / "composition.html").write_text("<html></html>")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    with caplog.at_level(logging.WARNING):
        bundle = build_bundle(linked_project, page, None, [], fonts)
    paths = {e.path for e in bundle.entries}
    assert {"project/assets/red.png", "project/media/red.png", "project/logo.png"} <= paths
    assert not any("secret" in p or "footage" in p for p in paths)
    assert len(bundle.left_out) == 2
    for name in ("secret.png", "footage"):
        assert any(f'Left out "{name}"' in s and "outside the project" in s
                   for s in bundle.left_out)  # fmt: skip
        assert f'Left out "{name}"' in caplog.text


def test_a_local_render_does_not_load_what_a_link_brings_from_outside(
    linked_project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    out = tmp_path / "out.mp4"
    with caplog.at_level(logging.WARNING):
        RenderJob(RenderOptions(project=linked_project, output=out)).run()
    frame = all_frames_rgb(out)[0]
    assert near(pixel(frame, 40, 45), RED, tol=40)  # assets -> media: followed
    assert near(pixel(frame, 120, 45), GREY, tol=40), "secret.png leads outside: not loaded"
    assert 'Left out "secret.png"' in caplog.text
    assert os.path.islink(linked_project / "secret.png")  # nothing of the user's changed
