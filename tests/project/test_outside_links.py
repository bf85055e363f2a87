"""Links leading out of a project folder: left out with a sentence naming the link and the
fix; followed only by the user's own grant (``--follow-outside-links`` for a run, or
"Allow for this project" remembered in the user's configuration folder); never by anything a
project says. One rule for the farm's bundle, the page's file server and the checker."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hyperframes_desktop.project import outside_links
from hyperframes_desktop.project.outside_links import OutsideLink, grants_path, remember
from hyperframes_desktop.project.problems import check_project
from hyperframes_desktop.project.tree import granted_links, readable, walk_project
from hyperframes_desktop.render.farm.bundle import build_bundle, project_tree
from hyperframes_desktop.render.resources.local_files import LocalFiles, write_followed_links

INDEX = """<!doctype html><html><head><link rel="stylesheet" href="shared/style.css"></head>
<body><div data-composition-id="main" data-width="320" data-height="180" data-duration="1"
 data-no-timeline></div></body></html>"""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user configuration folder of this test's own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """``project/shared`` links to ``../shared``, a folder beside the project (as in
    HyperFrames' render-symlinked-assets fixture); ``secret/`` sits beside it too."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "style.css").write_text("body{background:#0f0}", encoding="utf-8")
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "key").write_text("do not read", encoding="utf-8")
    root = tmp_path / "project"
    root.mkdir()
    (root / "index.html").write_text(INDEX, encoding="utf-8")
    os.symlink("../shared", root / "shared")
    return root


def _served(root: Path, page_dir: Path, follow: frozenset[OutsideLink]) -> LocalFiles:
    """The page's file server for a page compiled into ``page_dir`` with ``follow``."""
    page_dir.mkdir(parents=True, exist_ok=True)
    (page_dir / "composition.html").write_text(
        f'<html><head><base href="{root.as_uri()}/"></head></html>', encoding="utf-8"
    )
    write_followed_links(page_dir, follow)
    return LocalFiles(page_dir / "composition.html")


def test_by_default_a_link_out_of_the_project_is_left_out_with_a_sentence_naming_it_and_the_fix(
    project: Path, config: Path, tmp_path: Path
) -> None:
    tree = project_tree(project)
    assert [rel for rel, _ in tree.files] == ["index.html"]
    (sentence,) = tree.warnings()
    assert '"shared"' in sentence and str(tmp_path / "shared") in sentence
    assert "copy what it points to into the project folder" in sentence
    assert "--follow-outside-links" in sentence and "Allow for this project" in sentence
    assert granted_links(project) == frozenset()
    files = _served(project, tmp_path / "page", granted_links(project))
    assert not files.allowed(project / "shared" / "style.css")
    # the checker says the same, with the fix
    (problem,) = [p for p in check_project(project) if "outside the project" in p.message]
    assert '"shared"' in problem.message and "--follow-outside-links" in (problem.fix or "")


def test_the_users_grant_follows_the_link_and_nothing_else_outside(
    project: Path, config: Path, tmp_path: Path
) -> None:
    os.symlink("../secret", project / "secret")  # a second link, not granted
    (shared,) = [link for link in walk_project(project).links() if link.rel == "shared"]
    assert shared.target == tmp_path / "shared"
    remember(project, [shared])  # "Allow for this project" in the studio
    assert grants_path().is_relative_to(config)
    follow = granted_links(project)
    assert follow == {shared}
    tree = project_tree(project, follow)
    assert [rel for rel, _ in tree.files] == ["index.html", "shared/style.css"]
    assert [rel for rel, _ in tree.outside] == ["secret"]
    files = _served(project, tmp_path / "page", follow)
    assert files.allowed(project / "shared" / "style.css")
    assert not files.allowed(project / "secret" / "key")
    assert not files.allowed(tmp_path / "page" / "followed-links.json")  # not for the page
    assert not [p for p in check_project(project) if '"shared"' in p.message]
    # the farm's bundle carries what the link leads to, never the grant (the client's paths)
    (tmp_path / "fonts").mkdir()
    bundle = build_bundle(project, tmp_path / "page", None, [], tmp_path / "fonts", follow)
    paths = {entry.path for entry in bundle.entries}
    assert "project/shared/style.css" in paths and "page/composition.html" in paths
    assert not any("secret" in path or "followed-links" in path for path in paths)
    # --follow-outside-links: every link, for this run only (nothing remembered)
    every = granted_links(project, follow_all=True)
    assert {link.rel for link in every} == {"shared", "secret"}
    assert outside_links.remembered(project) == {shared}


def test_a_project_cannot_grant_itself(project: Path, config: Path, tmp_path: Path) -> None:
    # whatever the project writes, in any file it could name, grants nothing
    claim = {str(project.resolve()): [["shared", str(tmp_path / "shared")]]}
    for name in ("outside-links.json", ".hyperframes/outside-links.json", "hyperframes.json"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(json.dumps(claim), encoding="utf-8")
    (project / "meta.json").write_text(json.dumps({"followOutsideLinks": True}), "utf-8")
    assert granted_links(project) == frozenset()
    assert not readable(project, project / "shared" / "style.css", granted_links(project))
    # a grant follows the link only while it leads where it led when the user allowed it
    remember(project, [OutsideLink("shared", tmp_path / "shared")])
    (project / "shared").unlink()
    os.symlink("../secret", project / "shared")
    assert granted_links(project) == frozenset()
    files = _served(
        project, tmp_path / "page", frozenset({OutsideLink("shared", tmp_path / "shared")})
    )
    assert not files.allowed(project / "shared" / "key")
    # and a grant for one project is not one for another that links to the same place
    other = tmp_path / "other"
    other.mkdir()
    os.symlink("../shared", other / "shared")
    assert granted_links(other) == frozenset()


def test_studio_follow_outside_links_needs_the_project_it_allows() -> None:
    import subprocess
    import sys

    from support.rendering import cli_env

    result = subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "studio", "--follow-outside-links"],
        env=cli_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert "--follow-outside-links needs the project folder" in result.stderr
    assert "Traceback" not in result.stderr
