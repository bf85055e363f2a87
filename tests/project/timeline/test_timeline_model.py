"""The timeline model resolves clips exactly as the renderer does: for every shared sample (and
a project with media, relative starts and nesting), each clip's window equals the compile
stage's ``data-hf-start``/``data-hf-end``, media windows equal the audio/video stages' windows,
and frame edges follow the seek runtime's visibility rule."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import pytest

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.project.scanner import scan
from hyperframes_desktop.project.timeline import build_timeline
from hyperframes_desktop.render.compile import compile_page, place_media

DATA = Path(__file__).parent / "data"
SAMPLE_NAMES = ["clips-and-tracks", "kinetic-css", "lower-third", "nested", "portrait-60fps"]
RUNTIME_EPS = 1e-9  # render/js/seek_runtime.js


def _page_windows(html: str) -> dict[str, tuple[float, float]]:
    windows = {}
    for element in scan(html):
        if "data-hf-start" in element.attrs and element.attrs.get("id"):
            windows[element.attrs["id"]] = (
                float(element.attrs["data-hf-start"]),
                float(element.attrs["data-hf-end"]),
            )
    return windows


def _first_frame_shown(seconds: float, fps: Fraction) -> int:
    """The smallest frame f the seek runtime shows for t = f/fps >= seconds - EPS."""
    guess = max(0, math.floor(seconds * fps) - 2)
    while float(Fraction(guess) / fps) < seconds - RUNTIME_EPS:
        guess += 1
    return guess


def _check_against_renderer(project: Path, tmp_path: Path) -> int:
    timeline = build_timeline(project)
    comp = load_composition(project)
    page = compile_page(comp, tmp_path / "page")
    windows = _page_windows(page.html_path.read_text(encoding="utf-8"))
    clips = {c.id: c for c in timeline.all_clips() if c.id}
    timed_ids = {
        c.id for c in timeline.all_clips() if c.id and (c.timed or c.kind == "composition")
    }
    assert timed_ids == set(windows), "the model and the page disagree on which clips are timed"
    for element_id, (start, end) in windows.items():
        clip = clips[element_id]
        assert clip.start == pytest.approx(start, abs=1e-9), element_id
        assert clip.end == pytest.approx(end, abs=1e-9), element_id
        assert clip.start_frame == _first_frame_shown(start, page.fps), element_id
        assert clip.end_frame == _first_frame_shown(end, page.fps), element_id
    for placed in place_media(comp):
        media = [c for c in timeline.all_clips() if c.is_media and c.src == placed.element.src]
        assert len(media) == 1
        assert media[0].start == pytest.approx(placed.start, abs=1e-9)
        assert media[0].media_start == placed.element.media_start
        assert media[0].volume == placed.element.volume
    assert timeline.frame_count == page.frame_count
    assert timeline.fps == page.fps
    return len(windows)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_clips_match_the_renderer(name: str, samples: Path, tmp_path: Path) -> None:
    assert _check_against_renderer(samples / name, tmp_path) >= 5


def test_media_relative_and_nested_clips_match_the_renderer(tmp_path: Path) -> None:
    assert _check_against_renderer(DATA / "edit-project", tmp_path) == 8


def test_clips_and_tracks_layout(samples: Path) -> None:
    timeline = build_timeline(samples / "clips-and-tracks")
    rows = {t.index: [c.id for c in t.clips] for t in timeline.tracks}
    assert rows == {0: ["intro", "harbour", "finale"], 1: ["badge", "caption"]}
    harbour = timeline.clip("harbour")
    assert harbour is not None and harbour.start_ref is not None
    assert (harbour.start_ref.ref, harbour.start_ref.offset) == ("intro", 0.5)
    assert (harbour.start_frame, harbour.end_frame) == (60, 96)  # 2.5 s and 4 s at 24 fps
    assert all(c.kind == "element" for c in timeline.all_clips())


def test_nested_composition_has_its_own_tracks(samples: Path) -> None:
    timeline = build_timeline(samples / "nested")
    host = next(c for c in timeline.all_clips() if c.kind == "composition")
    assert host.children, "the host shows the sub-composition's tracks"
    child = host.children[0].clips[0]
    assert child.key.startswith(host.key + "/")
    assert child.file.name == "card.html" and child.depth == 1
    assert child.origin == pytest.approx(host.start - (host.playback_start or 0.0))
    assert timeline.siblings(child) == host.children


def test_kinds_media_fields_and_anonymous_keys() -> None:
    timeline = build_timeline(DATA / "edit-project")
    kinds = {c.key: c.kind for c in timeline.all_clips()}
    assert kinds["reel"] == "video" and kinds["music"] == "audio"
    assert kinds["card-host"] == "composition" and kinds["title"] == "element"
    assert kinds["<div>#0"] == "element"
    reel = timeline.clip("reel")
    assert reel is not None and reel.media_start == 1.0 and reel.track == 2
    assert reel.media_time_at(5.0) == pytest.approx(2.0)
    assert reel.source_range == pytest.approx((1.0, 3.0))
    music = timeline.clip("music")
    assert music is not None and music.volume == 0.8
    host = timeline.clip("card-host")
    assert host is not None and host.playback_start == 0.5 and host.start == 4.5
    assert host.source_range == pytest.approx((0.5, 3.0))
    assert timeline.clip("title").source_range is None
    # the sources are the exact bytes the model was built from (for the write-back's check)
    assert timeline.sources[timeline.file] == (DATA / "edit-project" / "index.html").read_bytes()


def test_untimed_media_plays_throughout(tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(
        '<div data-composition-id="m" data-width="64" data-height="36" data-duration="3">'
        '<audio src="bed.wav"></audio></div>',
        encoding="utf-8",
    )
    timeline = build_timeline(project)
    (clip,) = list(timeline.all_clips())
    assert clip.kind == "audio" and not clip.timed
    assert (clip.start_frame, clip.end_frame) == (0, 90)


def test_anonymous_clips_are_numbered_per_file(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "sub").mkdir(parents=True)
    (project / "sub" / "c.html").write_text(
        '<template><div data-composition-id="c" data-duration="2">'
        '<p class="clip" data-start="0" data-duration="1"></p></div></template>',
        encoding="utf-8",
    )
    (project / "index.html").write_text(
        '<div data-composition-id="m" data-width="64" data-height="36" data-duration="3">'
        '<p class="clip" data-start="0" data-duration="1" data-track-index="0"></p>'
        '<div id="h" class="clip" data-composition-src="sub/c.html" data-start="1" '
        'data-track-index="1"></div>'
        '<p class="clip" data-start="2" data-duration="1" data-track-index="0"></p></div>',
        encoding="utf-8",
    )
    timeline = build_timeline(project)
    keys = [c.key for c in timeline.all_clips()]
    assert keys == ["<p>#0", "<p>#1", "h", "h/<p>#0"]
    assert timeline.clip("<p>#1").start_frame == 60
    assert timeline.clip("h/<p>#0").start_frame == 30


def test_lookups_and_a_composition_other_than_index(samples: Path) -> None:
    timeline = build_timeline(samples / "nested", "compositions/card.html")
    assert timeline.file.name == "card.html" and timeline.composition_id == "card"
    nested = build_timeline(samples / "nested")
    host = next(c for c in nested.all_clips() if c.kind == "composition")
    child = host.children[0].clips[0]
    assert nested.host_of(child) is host and nested.host_of(host) is None
    assert nested.clip_by_id(child.id) is child
    at = nested.clips_at(child.start_frame)
    assert at[0] is child and host in at
    assert nested.seconds(45) == 1.5 and nested.frame(1.5) == 45
