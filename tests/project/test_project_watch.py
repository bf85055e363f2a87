"""What the project watcher looks at and what a change touches (Qt-free, real files)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hyperframes_desktop.project.watch import (
    FileChanges,
    affected,
    diff,
    is_ignored,
    is_ignored_name,
    snapshot,
)


@pytest.mark.parametrize(
    "name",
    [
        ".index.html.swp",
        "index.html.swp",
        "index.html.swo",
        "index.html~",
        ".#index.html",
        "#index.html#",
        "4913",
        "upload.tmp",
        ".goutputstream-ABC123",
        "sedX1b2C3",
        ".index.1a2b3c4d.partial.mp4",
        "index.html___jb_tmp___",
        ".DS_Store",
    ],
)
def test_editor_scratch_files_are_ignored(name: str) -> None:
    assert is_ignored_name(name)


@pytest.mark.parametrize(
    "name", ["index.html", "style.css", "logo.png", "sedan.png", "clip.mp4", "4913.html"]
)
def test_project_files_are_not_ignored(name: str) -> None:
    assert not is_ignored_name(name)


def test_ignored_folders(tmp_path: Path) -> None:
    root = tmp_path
    assert is_ignored(root / "renders" / "index.mp4", root)
    assert not is_ignored(root / "assets" / "renders" / "a.png", root)  # only the top one
    assert is_ignored(root / ".git" / "index", root)
    assert is_ignored(root / "node_modules" / "gsap" / "index.js", root)
    assert is_ignored(root / "compositions" / ".cache" / "x.html", root)
    assert not is_ignored(root / "compositions" / "intro.html", root)
    assert is_ignored(tmp_path.parent / "elsewhere.html", root)


def _tree(root: Path) -> None:
    for name in (
        "index.html",
        "compositions/intro.html",
        "assets/logo.png",
        "renders/index.mp4",
        ".hidden/x.html",
        "node_modules/m/index.js",
        "index.html.swp",
        "4913",
    ):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)


def test_snapshot_lists_only_watched_files_and_folders(tmp_path: Path) -> None:
    _tree(tmp_path)
    snap = snapshot(tmp_path)
    rel = sorted(p.relative_to(tmp_path).as_posix() for p in snap.files)
    assert rel == ["assets/logo.png", "compositions/intro.html", "index.html"]
    dirs = sorted(p.relative_to(tmp_path).as_posix() for p in snap.dirs)
    assert dirs == [".", "assets", "compositions"]
    assert not snap.truncated
    assert snapshot(tmp_path, max_files=2).truncated
    few = snapshot(tmp_path, max_dirs=2)
    assert few.truncated and len(few.dirs) == 2


def test_diff_sees_edits_additions_removals_and_renames(tmp_path: Path) -> None:
    _tree(tmp_path)
    before = snapshot(tmp_path)
    # an editor's atomic save: write a temp file, rename it over the original
    tmp = tmp_path / ".index.html.tmp"
    tmp.write_text("new content")
    os.replace(tmp, tmp_path / "index.html")
    (tmp_path / "compositions" / "outro.html").write_text("<div></div>")
    (tmp_path / "assets" / "logo.png").unlink()
    (tmp_path / "compositions" / "intro.html").rename(tmp_path / "compositions" / "opening.html")
    (tmp_path / "index.html.swp").write_text("swap noise")
    (tmp_path / "renders" / "index-2.mp4").write_text("a render")
    changes = diff(before, snapshot(tmp_path))
    assert changes.modified == {tmp_path / "index.html"}
    assert changes.added == {tmp_path / "compositions" / "outro.html"}
    assert changes.removed == {tmp_path / "assets" / "logo.png"}
    assert changes.renamed == (
        (tmp_path / "compositions" / "intro.html", tmp_path / "compositions" / "opening.html"),
    )
    assert changes.listing_changed and changes.touches_html()
    assert not diff(snapshot(tmp_path), snapshot(tmp_path))


def test_an_in_place_edit_of_the_same_size_is_a_change(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text("background: #ff0000")
    before = snapshot(tmp_path)
    page.write_text("background: #00ff00")
    changes = diff(before, snapshot(tmp_path))
    assert changes.modified == {page} and not changes.listing_changed


def test_without_drops_own_writes_only(tmp_path: Path) -> None:
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    changes = FileChanges(modified=frozenset({a, b}))
    assert changes.without([a]).modified == {b}
    assert not changes.without([a, b])


def test_affected_follows_what_each_composition_names(tmp_path: Path) -> None:
    files = {
        "index.html": '<link href="style.css"><div data-composition-src="compositions/intro.html">',
        "style.css": "#a { background: url(assets/bg.png); }",
        "compositions/intro.html": '<template><img src="../assets/logo.png"></template>',
        "other.html": '<div id="x"></div>',
        "assets/bg.png": "png",
        "assets/logo.png": "png",
        "notes.txt": "index.html other.html",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    all_files = list(snapshot(tmp_path).files)
    comps = [tmp_path / "index.html", tmp_path / "compositions/intro.html", tmp_path / "other.html"]

    def hit(*names: str) -> set[str]:
        changes = FileChanges(modified=frozenset(tmp_path / n for n in names))
        return {p.relative_to(tmp_path).as_posix() for p in affected(comps, changes, all_files)}

    assert hit("other.html") == {"other.html"}
    assert hit("assets/logo.png") == {"index.html", "compositions/intro.html"}
    assert hit("assets/bg.png") == {"index.html"}  # through the stylesheet
    assert hit("style.css") == {"index.html"}
    assert hit("compositions/intro.html") == {"index.html", "compositions/intro.html"}
    assert hit("notes.txt") == set()
    removed = FileChanges(removed=frozenset({tmp_path / "assets" / "logo.png"}))
    assert tmp_path / "other.html" not in affected(comps, removed, all_files)
