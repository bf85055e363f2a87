"""Media elements, composition hosts, inherited child values and variables."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hyperframes_desktop.project import (
    CompositionHost,
    MediaElement,
    ProjectError,
    load_composition,
)

Writer = Callable[..., Path]
Page = Callable[..., str]
ROOT = 'data-composition-id="main" data-width="640" data-height="360" data-duration="6"'


def test_media_elements(write: Writer) -> None:
    body = (
        '<video id="v" class="clip" src="media/clip%20one.mp4#t=2" data-start="1"\n'
        '  data-duration="2" data-media-start="0.5" data-volume="0.4"\n'
        '  data-playback-rate="2" data-has-audio="true" muted playsinline></video>\n'
        '<video id="bg" src="https://example.com/bg.mp4"></video>\n'
        '<audio id="music" data-start="0" data-volume="3" data-playback-rate="0.01">\n'
        '  <source src="/media/music.ogg" type="audio/ogg"></audio>\n'
        '<audio id="bare" class="clip"></audio>\n'
    )
    project = write(body=body)
    (project / "media").mkdir()
    (project / "media" / "clip one.mp4").write_bytes(b"x")
    comp = load_composition(project)
    media = {m.element_id: m for m in comp.media}
    assert list(media) == ["v", "bg", "music", "bare"]
    assert all(isinstance(m, MediaElement) for m in comp.media)
    # timed ones are clips too; "bg" has no class and no data-start
    assert [c.element_id for c in comp.clips] == ["v", "music", "bare"]
    v = media["v"]
    assert v.path == (project / "media" / "clip one.mp4").resolve()
    assert (v.start, v.duration, v.media_start, v.volume, v.playback_rate) == (1, 2, 0.5, 0.4, 2)
    assert v.has_audio and v.muted and v.src == "media/clip%20one.mp4#t=2"
    bg = media["bg"]
    assert bg.path is None and not bg.has_audio and not bg.muted and bg.duration is None
    assert bg.remote_url == "https://example.com/bg.mp4" and v.remote_url is None
    music = media["music"]
    assert music.src == "/media/music.ogg"
    assert music.path == (project / "media" / "music.ogg").resolve()
    assert music.has_audio and music.volume == 1.0 and music.playback_rate == 0.1
    warnings = "\n".join(comp.warnings)
    assert "data-volume 3 is outside 0-1; using 1" in warnings
    assert "data-playback-rate 0.01 is outside 0.1-5; using 0.1" in warnings
    assert 'src "/media/music.ogg" not found (media/music.ogg)' in warnings
    assert '<audio id="bare"> (line 12) has no src' in warnings


def test_media_bad_numbers(write: Writer) -> None:
    with pytest.raises(ProjectError, match='data-volume "loud" is not a number'):
        load_composition(write(body='<audio src="a.wav" data-volume="loud"></audio>'))
    with pytest.raises(ProjectError, match='data-media-start "-1" must be a number of seconds'):
        load_composition(write(body='<audio src="a.wav" data-media-start="-1"></audio>'))


def test_host_inherits_and_values(write: Writer, sub_page: Page) -> None:
    write(
        "compositions/lower.html",
        sub_page(
            '<div id="x" class="clip" data-start="0.5" data-duration="1"></div>\n'
            '<video src="compositions/v.webm" data-start="0"></video>',
            root='data-composition-id="lower" data-composition-variables=\'[{"id": "name"}]\'',
        ),
    )
    body = (
        '<div id="h" class="clip" data-composition-id="lower-1"\n'
        '  data-composition-src="./compositions/lower.html" data-start="2" data-duration="3"\n'
        '  data-playback-start="0.25" data-variable-values=\'{"name": "Ada"}\'></div>\n'
        '<section data-composition-src="compositions/lower.html"></section>'
    )
    comp = load_composition(write(root=f'{ROOT} data-fps="25"', body=body))
    first, second = comp.hosts
    assert isinstance(first, CompositionHost) and first in comp.clips
    assert second not in comp.clips  # untimed host: a host, not a clip
    assert (first.start, first.duration, first.playback_start) == (2, 3, 0.25)
    assert first.variable_values == {"name": "Ada"}
    assert first.composition_id == "lower-1" and second.composition_id == "lower"
    child = first.child
    assert (child.width, child.height, child.duration, child.fps) == (640, 360, 3.0, 25)
    assert child.variables_schema == [{"id": "name"}]
    assert child.clips[0].start == 0.5 and child.media[0].element_id is None
    assert second.child.duration == 6.0  # host without duration: until the parent's end
    assert any("differs from" in w for w in comp.warnings)
    assert any("compositions/v.webm" in w and "not found" in w for w in comp.warnings)


def test_error_in_child_names_child_file(write: Writer, sub_page: Page) -> None:
    write("compositions/bad.html", sub_page('<p class="clip" data-start="nope"></p>'))
    project = write(body='<div data-composition-src="compositions/bad.html"></div>')
    with pytest.raises(ProjectError) as info:
        load_composition(project)
    assert str(info.value).startswith("compositions/bad.html: <p> (line 3) data-start")
    assert info.value.file == (project / "compositions" / "bad.html").resolve()


def test_host_src_must_be_local_html(write: Writer) -> None:
    with pytest.raises(ProjectError, match="is not a file in the project"):
        load_composition(write(body='<div data-composition-src="https://x.org/a.html"></div>'))
    project = write(body='<div data-composition-src="notes.txt"></div>')
    (project / "notes.txt").write_text("hi")
    with pytest.raises(ProjectError, match=r"is not an \.html file"):
        load_composition(project)


def test_json_must_have_the_right_shape(write: Writer, sub_page: Page) -> None:
    write("compositions/c.html", sub_page())
    body = "<div data-composition-src='compositions/c.html' data-variable-values='[1]'></div>"
    with pytest.raises(ProjectError, match="data-variable-values must be a JSON object"):
        load_composition(write(body=body))
    with pytest.raises(ProjectError, match="must be a JSON array or object"):
        load_composition(write(root=f"{ROOT} data-composition-variables='3'"))


def test_composition_argument(write: Writer, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write("scenes/alt.html", root=ROOT.replace('"main"', '"alt"'))
    write()
    assert load_composition(project, "scenes/alt.html").composition_id == "alt"
    absolute = project / "scenes" / "alt.html"
    assert load_composition(project, absolute).path == absolute.resolve()
    monkeypatch.chdir(project / "scenes")
    assert load_composition(project, "alt.html").composition_id == "alt"  # via the cwd
    assert load_composition(str(project)).composition_id == "main"
