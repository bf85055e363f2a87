"""check_project: every kind of problem, each with file, line, attribute, message and fix."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from hyperframes_desktop.project import ProjectError, load_composition
from hyperframes_desktop.project.problems import (
    Problem,
    ProjectProblems,
    check_project,
    raise_for_errors,
    timed_ids,
)

Writer = Callable[..., Path]
Page = Callable[..., str]
ROOT = 'data-composition-id="main" data-width="640" data-height="360" data-duration="4"'
# page(): the root element is on line 5, the body starts on line 6


def _only(problems: list[Problem], severity: str = "error") -> Problem:
    matching = [p for p in problems if p.severity == severity]
    assert len(matching) == 1, [p.text() for p in problems]
    return matching[0]


def test_a_clean_project_has_no_problems(write: Writer) -> None:
    body = '<div id="a" class="clip" data-start="0" data-duration="1"></div>'
    assert check_project(write(body=body)) == []


def test_every_bad_root_attribute_is_reported(write: Writer) -> None:
    root = (
        'data-composition-id="main" data-width="wide" data-height="0" data-duration="-1" '
        'data-fps="0"'
    )
    problems = check_project(write(root=root))
    assert [(p.attribute, p.severity, p.line, p.file) for p in problems] == [
        ("data-width", "error", 5, "index.html"),
        ("data-height", "error", 5, "index.html"),
        ("data-duration", "error", 5, "index.html"),
        ("data-fps", "error", 5, "index.html"),
    ]
    assert problems[0].message == 'data-width "wide" must be a positive whole number of pixels.'
    assert all(p.fix and p.element_id == "root" for p in problems)
    # the loader keeps raising the first of them, worded as before
    with pytest.raises(ProjectError, match='data-width "wide" must be a positive whole'):
        load_composition(write(root=root))


def test_missing_and_invalid_root_attributes_are_not_reported_twice(write: Writer) -> None:
    problems = check_project(write(root='data-composition-id="main" data-width="x"'))
    assert [p.message.split(" ")[:5] for p in problems] == [
        ["data-width", '"x"', "must", "be", "a"],
        ["the", "root", "element", "has", "no"],
    ]
    # no data-duration is no problem: its registered timeline gives the length
    assert [p.attribute for p in problems] == ["data-width", "data-height"]


def test_relative_start_errors_and_cycles_all_reported(write: Writer) -> None:
    body = (
        '<div id="a" class="clip" data-start="c" data-duration="1"></div>\n'
        '<div id="b" class="clip" data-start="a + 1" data-duration="1"></div>\n'
        '<div id="c" class="clip" data-start="b - 0.5" data-duration="1"></div>\n'
        '<div id="d" class="clip" data-start="ghost + 1" data-duration="1"></div>\n'
        '<div id="e" class="clip" data-start="nodur" data-duration="1"></div>\n'
        '<div id="nodur" class="clip" data-start="0"></div>\n'
        '<div id="f" class="clip" data-start="a - 9" data-duration="1"></div>'
    )
    problems = check_project(write(body=body))
    assert all(p.attribute == "data-start" and p.is_error for p in problems)
    by_id = {p.element_id: p for p in problems}
    assert "form a cycle: a -> c -> b -> a" in by_id["a"].message and by_id["a"].line == 6
    assert 'no clip with id "ghost"' in by_id["d"].message and by_id["d"].line == 9
    assert 'relative to clip "nodur", which has no data-duration' in by_id["e"].message
    assert "before the composition starts" in by_id["f"].message and by_id["f"].line == 12
    assert len(problems) == 4


def test_overlapping_clips_on_a_track_are_a_warning(write: Writer) -> None:
    body = (
        '<div id="a" class="clip" data-start="0" data-duration="2" data-track-index="1"></div>\n'
        '<div id="b" class="clip" data-start="1" data-duration="2" data-track-index="1"></div>\n'
        '<div id="c" class="clip" data-start="1" data-duration="2" data-track-index="2"></div>'
    )
    problem = _only(check_project(write(body=body)), "warning")
    assert (problem.line, problem.element_id, problem.attribute) == (7, "b", "data-track-index")
    assert 'clips "a" (0-2 s) and "b" (1-3 s) overlap on data-track-index 1' in problem.message
    assert problem.fix == "move one to another track or change its timing."


def test_unknown_composition_src(write: Writer) -> None:
    body = (
        '<div id="h1" data-composition-src="compositions/nope.html" data-start="0"></div>\n'
        '<div id="h2" data-composition-src="https://example.com/x.html" data-start="0"></div>\n'
        '<div id="h3" data-composition-src="notes.txt" data-start="0"></div>'
    )
    project = write(body=body)
    (project / "notes.txt").write_text("x")
    problems = check_project(project)
    assert [(p.element_id, p.line, p.attribute) for p in problems] == [
        ("h1", 6, "data-composition-src"),
        ("h2", 7, "data-composition-src"),
        ("h3", 8, "data-composition-src"),
    ]
    assert "points to a missing file (compositions/nope.html)" in problems[0].message
    assert "is not a file in the project" in problems[1].message
    assert "is not an .html file" in problems[2].message


def test_problems_inside_a_sub_composition_name_its_file(write: Writer, sub_page: Page) -> None:
    write(
        "compositions/card.html",
        sub_page(
            '<p id="x" class="clip" data-start="zz"></p>\n<img src="missing.png">',
            root='data-composition-id="card" data-width="-3"',
        ),
    )
    body = '<div id="host" data-composition-src="compositions/card.html" data-start="0"></div>'
    problems = check_project(write(body=body))
    shown = [(p.file, p.line, p.attribute, p.severity) for p in problems]
    assert shown == [
        ("compositions/card.html", 2, "data-width", "error"),
        ("compositions/card.html", 3, "data-start", "error"),
        ("compositions/card.html", 4, "src", "warning"),
    ]


def test_missing_and_unreadable_media(write: Writer) -> None:
    body = (
        '<video id="v1" src="media/gone.mp4" data-start="0" muted></video>\n'
        '<video id="v2" src="media/empty.mp4" data-start="0" muted></video>\n'
        '<audio id="a1" src="media/notes.mp3" data-start="0"></audio>\n'
        '<audio id="a2" src="media" data-start="0"></audio>\n'
        '<audio id="a3" src="media/gone.wav" data-start="0" muted></audio>\n'
        '<video id="v3" src="http://example.com/v.mp4" data-start="0"></video>\n'
        '<video id="ok" src="media/ok.mp4" data-start="0"></video>\n'
        '<video id="remote" src="https://example.com/v.mp4" data-start="0"></video>'
    )
    project = write(body=body)
    media = project / "media"
    media.mkdir()
    (media / "empty.mp4").write_bytes(b"")
    (media / "notes.mp3").write_text("this is not audio\n")
    (media / "ok.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)))
    problems = {p.element_id: p for p in check_project(project)}
    assert set(problems) == {"v1", "v2", "a1", "a2", "a3", "v3"}
    assert 'the video clip "v1" uses media/gone.mp4, which does not exist' in problems["v1"].message
    assert "media/empty.mp4, which is empty" in problems["v2"].message
    assert "notes.mp3, which is a text file, not audio or video" in problems["a1"].message
    assert 'audio clip "a2" uses media, which is a folder' in problems["a2"].message
    assert "a URL that is not https" in problems["v3"].message  # https: the resolver's
    assert problems["a3"].severity == "warning"  # muted audio is never mixed
    assert all(problems[k].severity == "error" for k in ("v1", "v2", "a1", "a2", "v3"))
    assert all(p.attribute == "src" and p.fix for p in problems.values())
    assert problems["v1"].line == 6 and problems["v3"].line == 11


def test_missing_scripts_images_stylesheets_and_css_urls(write: Writer, page: Page) -> None:
    text = (
        "<!doctype html>\n<html><head>\n"
        '<script src="./gsap.min.js"></script>\n'
        '<link rel="stylesheet" href="css/site.css">\n'
        '<link rel="stylesheet" href="css/gone.css">\n'
        "<style>\n.a { background: url('img/bg.png'); }\n"
        '.b { background: url("#grad"), url(data:image/png;base64,AAAA); }\n</style>\n'
        f'</head><body><div id="root" {ROOT}>\n'
        '<img id="logo" src="img/logo.png"><img src="https://example.com/x.png">'
        '<script src="//cdn.example.com/lib.js"></script>\n'
        "</div></body></html>\n"
    )
    project = write(text=text)
    (project / "css").mkdir()
    (project / "css" / "site.css").write_text(
        "body {}\n\n.x { background: url(../img/tile.png) }\n"
    )
    problems = check_project(project)
    shown = [(p.severity, p.file, p.line, p.attribute) for p in problems]
    assert shown == [
        ("warning", "index.html", 3, "src"),  # a missing GSAP comes from the registry
        ("warning", "index.html", 5, "href"),
        ("warning", "index.html", 11, "src"),
        ("warning", "index.html", 7, None),
        ("warning", "css/site.css", 3, None),
    ]
    assert "the script gsap.min.js does not exist" in problems[0].message
    assert "GSAP 3.14.2 is loaded from the npm registry instead" in problems[0].message
    assert problems[2].element_id == "logo"
    assert "img/tile.png does not exist" in problems[4].message


def test_variables_that_do_not_match_their_schema(write: Writer, sub_page: Page) -> None:
    schema = (
        '[{"id": "title", "type": "string", "default": 5}, '
        '{"id": "count", "type": "number", "default": 1}, '
        '{"id": "mode", "type": "enum", "options": ["a", "b"], "default": "a"}, {"type": "color"}]'
    )
    write(
        "compositions/card.html",
        sub_page(root=f"data-composition-id=\"card\" data-composition-variables='{schema}'"),
    )
    body = (
        '<div id="host" data-composition-src="compositions/card.html" data-start="0" '
        'data-variable-values=\'{"count": "three", "nope": 1}\'></div>'
    )
    root = f"{ROOT} data-composition-variables='{schema}'"
    project = write(body=body, root=root)
    problems = check_project(project, variables={"mode": "c", "title": "ok"})
    errors = [p for p in problems if p.is_error]
    assert [(p.file, p.line, p.element_id) for p in errors] == [
        ("index.html", 5, None),
        ("index.html", 6, "host"),
        ("index.html", 6, "host"),
    ]
    assert 'variable "mode" must be one of ["a", "b"], not "c"' in errors[0].message
    assert 'variable "count" must be a number, but the value is "three"' in errors[1].message
    assert 'there is no variable "nope"' in errors[2].message
    warnings = [p for p in problems if not p.is_error]
    assert {(p.file, p.attribute) for p in warnings} == {
        ("index.html", "data-composition-variables"),
        ("compositions/card.html", "data-composition-variables"),
    }
    assert sum('the default of variable "title"' in p.message for p in warnings) == 2
    assert (
        sum("declaration 4 of data-composition-variables has no id" in p.message for p in warnings)
        == 2
    )


def test_invalid_variables_json_is_an_error(write: Writer) -> None:
    problem = _only(check_project(write(root=f"{ROOT} data-composition-variables='[oops'")))
    assert problem.attribute == "data-composition-variables" and "not valid JSON" in problem.message


def test_fonts_that_will_be_substituted(write: Writer) -> None:
    text = (
        "<!doctype html>\n<html><head>"
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Anton&display=swap">'
        "<style>\n"
        "@import url('https://fonts.googleapis.com/css?family=DM+Sans:400,700|Space+Grotesk');\n"
        "@font-face { font-family: 'Brand Sans'; src: url(brand.woff2); }\n"
        ".a { font-family: 'Brand Sans', Arial, sans-serif; }\n"
        '.b { font-family: "Roboto", "DejaVu Sans", Montserrat, sans-serif; }\n'
        ".c { font: italic 700 48px/1.2 Lobster, serif; }\n"
        "/* .d { font-family: Commented; } */\n"
        ".e { font-family: var(--face); font: menu; font-family: inherit; }\n"
        ".f { font-family: roboto; }\n"
        ".g { font-family: Anton, 'dm sans', 'Space Grotesk', 'Bebas Neue', 'Courier New'; }\n"
        ".h { font-family: 'Fira Code'; }\n"
        f'</style></head><body><div id="root" {ROOT} data-no-timeline>\n'
        '<p id="t" style="font-family: Comic Sans MS">x</p>\n'
        "</div></body></html>\n"
    )
    project = write(text=text)
    (project / "brand.woff2").write_bytes(b"wOF2")
    problems = check_project(project)
    assert all(p.severity == "warning" for p in problems)
    shown = [(p.line, p.element_id, p.message.split('"')[1]) for p in problems]
    assert shown == [(7, None, "Lobster"), (12, None, "Fira Code"), (14, "t", "Comic Sans MS")]
    assert "renders in a fallback font" in problems[0].message and "@font-face" in problems[0].fix
    assert "fonts.googleapis.com/css2?family=Fira+Code" in problems[1].fix


def test_other_compositions_of_the_project_are_checked_too(write: Writer) -> None:
    write("other.html", root='data-composition-id="o" data-width="1" data-duration="1"')
    write("notes.html", text="<p>not a composition</p>")
    project = write()
    problem = _only(check_project(project))
    assert (problem.file, problem.attribute) == ("other.html", "data-height")
    assert check_project(project, "index.html") == []


def test_a_sub_composition_alone_is_checked_with_stand_ins(write: Writer, sub_page: Page) -> None:
    write("compositions/card.html", sub_page('<p class="clip" data-start="30">late</p>'))
    assert check_project(write()) == []


def test_unusable_project_folder_and_file(tmp_path: Path) -> None:
    problem = _only(check_project(tmp_path / "nope"))
    assert "the project folder does not exist" in problem.message
    (tmp_path / "p").mkdir()
    assert "has no index.html" in _only(check_project(tmp_path / "p", None)).message
    problem = _only(check_project(tmp_path / "p", "compositions/x.html"))
    assert problem.file == "compositions/x.html" and "does not exist" in problem.message


def test_problem_text_and_errors_first(write: Writer) -> None:
    body = (
        '<div id="a" class="clip" data-start="0" data-duration="2" data-track-index="0"></div>\n'
        '<div id="b" class="clip" data-start="1" data-duration="2" data-track-index="0"></div>\n'
        '<div id="c" class="clip" data-start="x y"></div>'
    )
    problems = check_project(write(body=body))
    assert [p.severity for p in problems] == ["error", "warning"]
    assert problems[0].text() == (
        'index.html:8: error: <div id="c"> data-start "x y" is not a valid start time. Fix: use '
        'seconds (data-start="1.5") or the id of another clip, optionally with an offset '
        '(data-start="intro + 0.5").'
    )


def test_raise_for_errors_lists_every_error(write: Writer) -> None:
    root = 'data-composition-id="main" data-width="0" data-height="0" data-duration="0"'
    project = write(root=root)
    with pytest.raises(ProjectProblems) as info:
        raise_for_errors(project)
    err = info.value
    assert len(err.problems) == 3 and isinstance(err, ProjectError)
    lines = str(err).splitlines()
    assert lines[0] == "the composition has 3 errors:"
    assert lines[1].startswith('  index.html:5: error: data-width "0"')
    assert lines[3].startswith('  index.html:5: error: data-duration "0"')
    assert lines[4].startswith("Fix: ")
    copy = pickle.loads(pickle.dumps(err))
    assert str(copy) == str(err) and copy.problems == err.problems
    # warnings never stop a render; one error is raised as the loader words it
    body = '<div id="c" class="clip" data-start="x y"></div>'
    with pytest.raises(ProjectError) as single:
        raise_for_errors(write(body=body))
    assert not isinstance(single.value, ProjectProblems)
    assert str(single.value).startswith('index.html: <div id="c"> (line 6) data-start "x y"')
    raise_for_errors(write(body='<p id="a" class="clip" data-start="9"></p>'))


def test_timed_ids_are_read_even_with_errors(write: Writer, sub_page: Page) -> None:
    write("compositions/card.html", sub_page('<p id="inner" class="clip">x</p>'))
    body = (
        '<div id="a" class="clip" data-start="ghost"></div><audio id="m" src="x.wav"></audio>'
        '<div id="host" data-composition-src="compositions/card.html" data-start="0"></div>'
        '<p id="deco">not timed</p>'
    )
    project = write(body=body, root='data-composition-id="main" data-width="0"')
    assert timed_ids(project) == {"a", "m", "host", "inner"}
    assert timed_ids(project, "nope.html") == set()


def test_a_root_without_timeline_or_data_no_timeline_is_a_warning(write: Writer) -> None:
    """HyperFrames renders it from data-duration and its lint warns: so do we (a warning,
    never an error that would refuse the render)."""
    bare = f'<!doctype html>\n<html><body>\n<div id="root" {ROOT}></div>\n</body></html>\n'
    problem = _only(check_project(write(text=bare)), "warning")
    assert (problem.line, problem.attribute) == (3, "data-no-timeline")
    assert 'window.__timelines["main"]' in problem.fix and "data-no-timeline" in problem.fix
    load_composition(write(text=bare))  # loads: nothing refuses it
    said = bare.replace("<div id", "<div data-no-timeline id")
    assert check_project(write(text=said)) == []
    scripted = bare.replace("<body>", '<body><script src="main.js"></script>')
    (write(text=scripted) / "main.js").write_text("// registers it\n", encoding="utf-8")
    assert check_project(write(text=scripted)) == []  # may register it there: not flagged
