"""``init``'s refusals, prompts and folder rules, and the cached template thumbnails."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from hyperframes_desktop.cli import main as cli_main
from hyperframes_desktop.cli.init_cmd import ask_missing
from hyperframes_desktop.scaffold import find_template
from hyperframes_desktop.scaffold.thumbnails import cached_thumbnail, template_thumbnail


def _init(*args: str) -> int:
    return cli_main(["init", *args, "--non-interactive"])


def test_default_is_blank_landscape_at_30_fps(tmp_path: Path) -> None:
    assert _init(str(tmp_path / "p")) == 0
    html = (tmp_path / "p" / "index.html").read_text(encoding="utf-8")
    assert 'data-width="1920" data-height="1080" data-fps="30"' in html
    assert (tmp_path / "p" / "hyperframes.json").is_file()


def test_refuses_a_folder_with_files_unless_forced_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    assert _init(str(folder)) == 2
    err = capsys.readouterr().err
    assert "is not empty" in err and "--force" in err and "Traceback" not in err
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]

    assert _init(str(folder), "--force") == 0
    assert (folder / "index.html").is_file() and (folder / "notes.txt").read_text() == "mine"

    (folder / "index.html").write_text("my own page")
    assert _init(str(folder), "--force", "--template", "chart") == 2
    assert "index.html" in capsys.readouterr().err
    assert (folder / "index.html").read_text() == "my own page"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".hf-init-")]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--template", "nope"], 'no template "nope"'),
        (["--resolution", "wide"], '"wide" is not a resolution'),
        (["--resolution", "15x9"], "even sides"),
        (["--fps", "0"], '"0" is not a frame rate'),
    ],
)
def test_bad_choices_are_sentences(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    assert _init(str(tmp_path / "p"), *args) == 2
    err = capsys.readouterr().err
    assert words in err and "Fix:" in err and "Traceback" not in err
    assert not (tmp_path / "p").exists()


def test_prompts_offer_the_same_choices(capsys: pytest.CaptureFixture[str]) -> None:
    args = argparse.Namespace(folder=None, template=None, resolution=None, fps=None)
    answers = iter(["film", "wrong", "4", "portrait", "24"])
    ask_missing(args, read=lambda prompt: next(answers))
    assert (args.folder, args.template, args.resolution, args.fps) == (
        "film",
        "title",
        "portrait",
        "24",
    )
    assert "Please answer one of" in capsys.readouterr().err


def test_thumbnail_is_rendered_once_then_cached(tmp_path: Path) -> None:
    template = find_template("chart")
    assert cached_thumbnail(template, tmp_path) is None
    first = template_thumbnail(template, tmp_path)
    assert first.read_bytes().startswith(b"\x89PNG")
    assert cached_thumbnail(template, tmp_path) == first
    stamp = first.stat().st_mtime_ns
    assert template_thumbnail(template, tmp_path) == first
    assert first.stat().st_mtime_ns == stamp
