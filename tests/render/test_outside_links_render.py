"""A project whose stylesheet sits behind a link leading out of the project folder (as in
HyperFrames' render-symlinked-assets fixture): the page never gets it by default, and the
warning names the link and the fix; ``--follow-outside-links`` (still and render) and the
user's remembered grant let the page load it. Real CLI processes, real pages, real pixels."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support import frame_rgb, near, pixel
from support.projects import REPO_ROOT
from support.rendering import cli_env

from hyperframes_desktop.project.outside_links import OutsideLink, remember
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

INDEX = """<!doctype html><html><head><link rel="stylesheet" href="shared/style.css">
<style>html,body{margin:0;background:#fff}</style></head>
<body><div data-composition-id="main" data-width="160" data-height="90" data-duration="1"
 data-fps="1" data-no-timeline style="width:160px;height:90px"><div id="box"></div></div>
</body></html>"""
STYLE = "#box{width:160px;height:90px;background:rgb(0,200,0)}"
GREEN, WHITE = (0, 200, 0), (255, 255, 255)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no grant yet
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "style.css").write_text(STYLE, encoding="utf-8")
    root = tmp_path / "project"
    root.mkdir()
    (root / "index.html").write_text(INDEX, encoding="utf-8")
    os.symlink("../shared", root / "shared")
    return root


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", *args],
        cwd=str(REPO_ROOT),
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.mark.timeout(300)
def test_a_link_out_of_the_project_is_followed_only_with_the_users_grant(
    project: Path, tmp_path: Path
) -> None:
    refused = _cli("still", str(project), "--frame", "0", "-o", str(tmp_path / "a.png"))
    assert refused.returncode == 0, refused.stderr
    assert 'Left out "shared"' in refused.stderr and "--follow-outside-links" in refused.stderr
    assert near(pixel(frame_rgb(tmp_path / "a.png", 0), 80, 45), WHITE, tol=3)

    granted = _cli(
        "still", str(project), "--frame", "0", "-o", str(tmp_path / "b.png"),
        "--follow-outside-links",
    )  # fmt: skip
    assert granted.returncode == 0, granted.stderr
    assert 'Following "shared"' in granted.stderr
    assert near(pixel(frame_rgb(tmp_path / "b.png", 0), 80, 45), GREEN, tol=3)

    render = _cli(
        "render", str(project), "-o", str(tmp_path / "frames"), "--format", "png-sequence",
        "--follow-outside-links", "--no-cache",
    )  # fmt: skip
    assert render.returncode == 0, render.stderr
    (frame,) = sorted((tmp_path / "frames").glob("*.png"))
    assert near(pixel(frame_rgb(frame, 0), 80, 45), GREEN, tol=3)

    # "Allow for this project" (the studio's prompt), remembered in the user's config
    remember(project, [OutsideLink("shared", tmp_path / "shared")])
    still = render_still(StillOptions(project, frame=0, output=tmp_path / "c.png"))
    assert near(pixel(frame_rgb(still.output, 0), 80, 45), GREEN, tol=3)
