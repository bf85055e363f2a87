"""Every bad input raises ProjectError with a message naming file, attribute and fix."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from hyperframes_desktop.project import ProjectError, load_composition

Writer = Callable[..., Path]
Page = Callable[..., str]
ROOT = 'data-composition-id="main" data-width="640" data-height="360" data-duration="4"'


def _error(project: Path, composition: str | None = None) -> ProjectError:
    with pytest.raises(ProjectError) as info:
        load_composition(project, composition)
    err = info.value
    text = str(err)
    assert "Fix:" in text and err.fix and text.count("\n") == 0
    return err


def test_project_folder_missing(tmp_path: Path) -> None:
    err = _error(tmp_path / "nope")
    assert "project folder does not exist" in str(err)
    assert str(err).startswith(str(tmp_path / "nope"))


def test_project_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f.html").write_text("<p>")
    assert "not a project folder" in str(_error(tmp_path / "f.html"))


def test_no_index_html(tmp_path: Path) -> None:
    err = _error(tmp_path)
    assert "has no index.html" in str(err)
    assert err.file == tmp_path / "index.html"


def test_composition_file_missing(write: Writer) -> None:
    err = _error(write(), "compositions/gone.html")
    assert str(err).startswith("compositions/gone.html: the composition file does not exist.")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("clip.mp4", b"\x00\x00\x00 ftypisom", "not an HTML text file"),
        ("index.html", b"\x89PNG\r\n\x1a\n\x00\x00", "not an HTML text file"),
        ("index.html", b"<div>\xff\xfe caf\xe9</div>", "not an HTML text file"),
        ("index.html", b"just some words, no tags", "contains no HTML markup"),
    ],
)
def test_not_html(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    (tmp_path / name).write_bytes(content)
    err = _error(tmp_path, name)
    assert expected in str(err) and err.file == tmp_path / name


def test_no_composition_id(write: Writer) -> None:
    err = _error(write(text="<html><body><div>hi</div></body></html>"))
    assert "no element has data-composition-id" in str(err)
    assert err.attribute == "data-composition-id"


def test_empty_composition_id(write: Writer) -> None:
    root = 'data-composition-id="" data-width="1" data-height="1" data-duration="1"'
    assert "data-composition-id is empty" in str(_error(write(root=root)))


@pytest.mark.parametrize("attribute", ["data-width", "data-height"])
@pytest.mark.parametrize("value", ["abc", "0", "-5", "12.5", "100px", ""])
def test_invalid_size(write: Writer, attribute: str, value: str) -> None:
    root = ROOT.replace(
        f'{attribute}="{"640" if attribute == "data-width" else "360"}"', f'{attribute}="{value}"'
    )
    err = _error(write(root=root))
    assert err.attribute == attribute
    assert f'{attribute} "{value}" must be a positive whole number of pixels' in str(err)
    assert str(err).startswith("index.html: ")


def test_a_root_without_duration_takes_it_from_its_page(write: Writer) -> None:
    """HyperFrames takes the length of a root without data-duration from its registered
    timeline: the loader accepts it, marked so that renders ask the page, provisional until
    a length is given."""
    root = 'data-composition-id="main" data-width="640" data-height="360"'
    comp = load_composition(write(root=root))
    assert comp.duration_from_page and comp.duration == 1.0
    comp = load_composition(write(root=root), duration=3.5)
    assert comp.duration_from_page and comp.duration == 3.5


@pytest.mark.parametrize("attribute", ["data-width", "data-height"])
def test_missing_required(write: Writer, attribute: str) -> None:
    attrs = {"data-width": "640", "data-height": "360", "data-duration": "4"}
    del attrs[attribute]
    root = 'data-composition-id="main" ' + " ".join(f'{k}="{v}"' for k, v in attrs.items())
    err = _error(write(root=root))
    assert f"the root element has no {attribute}" in str(err)
    assert 'data-composition-id="main"' in err.fix


@pytest.mark.parametrize("value", ["0", "-2", "abc", "5s", "nan", "inf", ""])
def test_invalid_duration(write: Writer, value: str) -> None:
    root = f'data-composition-id="intro" data-width="640" data-height="360" data-duration="{value}"'
    err = _error(write(root=root))
    assert str(err) == (
        f'index.html: data-duration "{value}" must be a positive number of seconds. '
        'Fix: set data-duration on the root element (data-composition-id="intro") to the '
        'video length, e.g. data-duration="5".'
    )


@pytest.mark.parametrize("value", ["0", "-30", "abc", "241", "30/0", "1/2/3", ""])
def test_invalid_fps(write: Writer, value: str) -> None:
    err = _error(write(root=f'{ROOT} data-fps="{value}"'))
    assert err.attribute == "data-fps" and "data-fps is invalid" in str(err)


def test_unknown_clip_in_relative_start(write: Writer) -> None:
    body = (
        '<div id="a" class="clip" data-start="0" data-duration="1"></div>\n'
        '<div id="b" class="clip" data-start="intro + 0.5" data-duration="1"></div>'
    )
    err = _error(write(body=body))
    assert 'refers to an unknown clip: there is no clip with id "intro"' in str(err)
    assert '<div id="b"> (line 7)' in str(err) and "known clip ids: a" in str(err)


def test_relative_start_to_non_clip(write: Writer) -> None:
    body = '<div id="deco"></div><p id="b" class="clip" data-start="deco"></p>'
    assert 'id "deco" exists but it is not a clip' in str(_error(write(body=body)))


def test_cycle_of_relative_starts(write: Writer) -> None:
    body = (
        '<div id="a" class="clip" data-start="c" data-duration="1"></div>\n'
        '<div id="b" class="clip" data-start="a + 1" data-duration="1"></div>\n'
        '<div id="c" class="clip" data-start="b - 0.5" data-duration="1"></div>'
    )
    err = _error(write(body=body))
    assert "form a cycle: a -> c -> b -> a" in str(err)


def test_relative_start_to_clip_without_duration(write: Writer) -> None:
    body = '<div id="a" class="clip"></div><div id="b" class="clip" data-start="a"></div>'
    assert 'relative to clip "a", which has no data-duration' in str(_error(write(body=body)))


def test_relative_start_before_zero(write: Writer) -> None:
    body = (
        '<div id="a" class="clip" data-duration="1"></div>'
        '<div id="b" class="clip" data-start="a - 3" data-duration="1"></div>'
    )
    assert "resolves to -2 s" in str(_error(write(body=body)))


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ('data-start="soon please"', 'data-start "soon please" is not a valid start time'),
        ('data-start="-1"', 'data-start "-1" must not be negative'),
        ('data-duration="abc"', 'data-duration "abc" must be a positive number of seconds'),
        ('data-duration="0"', 'data-duration "0" must be a positive number of seconds'),
        ('data-duration="-1"', 'data-duration "-1" must be a positive number of seconds'),
        ('data-track-index="x"', 'data-track-index "x" must be a whole number >= 0'),
    ],
)
def test_invalid_clip_numbers(write: Writer, attrs: str, expected: str) -> None:
    err = _error(write(body=f'<div id="x" class="clip" {attrs}></div>'))
    assert expected in str(err) and '<div id="x">' in str(err)


def test_missing_sub_composition(write: Writer) -> None:
    body = '<div id="h" data-composition-id="card" data-composition-src="compositions/card.html"'
    err = _error(write(body=body + ' data-start="1"></div>'))
    assert str(err).startswith('index.html: <div id="h"> (line 6) data-composition-src')
    assert '"compositions/card.html" points to a missing file' in str(err)
    assert err.attribute == "data-composition-src"


def test_sub_composition_cycle(write: Writer, sub_page: Page) -> None:
    write(
        "compositions/a.html",
        sub_page('<div id="ha" data-composition-src="compositions/b.html"></div>'),
    )
    write("compositions/b.html", sub_page('<div data-composition-src="compositions/a.html"></div>'))
    project = write(body='<div data-composition-src="compositions/a.html"></div>')
    err = _error(project)
    assert "cycle: compositions/a.html -> compositions/b.html -> compositions/a.html" in str(err)


def test_sub_composition_depth_limit(write: Writer, sub_page: Page) -> None:
    for level in range(12):
        write(
            f"compositions/c{level}.html",
            sub_page(f'<div data-composition-src="compositions/c{level + 1}.html"></div>'),
        )
    write("compositions/c12.html", sub_page())
    project = write(body='<div data-composition-src="compositions/c0.html"></div>')
    assert "nested more than 8 levels deep" in str(_error(project))


@pytest.mark.parametrize(
    ("where", "attribute"),
    [("root", "data-composition-variables"), ("host", "data-variable-values")],
)
def test_invalid_json(write: Writer, sub_page: Page, where: str, attribute: str) -> None:
    bad = f"{attribute}='{{\"title\": oops}}'"
    write("compositions/card.html", sub_page())
    if where == "root":
        project = write(root=f"{ROOT} {bad}")
    else:
        project = write(body=f'<div data-composition-src="compositions/card.html" {bad}></div>')
    err = _error(project)
    assert f"{attribute} is not valid JSON" in str(err) and err.attribute == attribute


def test_error_survives_pickling(write: Writer) -> None:
    err = _error(write(root=ROOT.replace('data-duration="4"', 'data-duration="0"')))
    copy = pickle.loads(pickle.dumps(err))
    assert isinstance(copy, ProjectError) and str(copy) == str(err)
    assert (copy.file, copy.attribute, copy.fix) == (err.file, err.attribute, err.fix)
