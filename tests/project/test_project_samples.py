"""The five shared sample projects load with the documented numbers."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from hyperframes_desktop.project import (
    Composition,
    CompositionHost,
    list_compositions,
    load_composition,
)

EXPECTED = {
    # name: (id, width, height, duration, fps, frames)
    "lower-third": ("lower-third", 1280, 720, 4.0, 30, 120),
    "kinetic-css": ("kinetic-css", 1280, 720, 3.0, 30, 90),
    "clips-and-tracks": ("clips-and-tracks", 1280, 720, 6.0, 24, 144),
    "nested": ("nested-main", 1920, 1080, 5.0, 30, 150),
    "portrait-60fps": ("portrait-60fps", 1080, 1920, 2.0, 60, 120),
}


def _check_spans(comp: Composition) -> None:
    text = comp.text
    assert text[comp.root_span[0] : comp.root_span[1]].endswith(">")
    assert "data-composition-id" in text[comp.root_span[0] : comp.root_span[1]]
    assert text[comp.root_name_end] in " \t\n/>"
    for clip in comp.clips + comp.media + comp.hosts:
        tag_text = text[clip.span[0] : clip.span[1]]
        assert tag_text.lower().startswith("<" + clip.tag), tag_text
        assert tag_text.endswith(">"), tag_text
        assert text[clip.span[0] : clip.name_end].lower() == "<" + clip.tag
        if clip.element_id:
            assert f'id="{clip.element_id}"' in tag_text
    for host in comp.hosts:
        _check_spans(host.child)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_loads(samples: Path, name: str) -> None:
    cid, width, height, duration, fps, frames = EXPECTED[name]
    comp = load_composition(samples / name)
    assert (comp.composition_id, comp.width, comp.height) == (cid, width, height)
    assert comp.duration == duration
    assert comp.fps == fps
    assert comp.frame_count == frames
    assert comp.path == (samples / name / "index.html").resolve()
    assert comp.warnings == []
    assert not comp.is_template and comp.template_span is None
    _check_spans(comp)


def test_kinetic_css_has_no_timeline(samples: Path) -> None:
    assert load_composition(samples / "kinetic-css").no_timeline
    assert not load_composition(samples / "lower-third").no_timeline


def test_clips_and_tracks_relative_starts(samples: Path) -> None:
    comp = load_composition(samples / "clips-and-tracks")
    clips = {c.element_id: c for c in comp.clips}
    assert list(clips) == ["intro", "harbour", "finale", "badge", "caption"]
    assert clips["harbour"].start == pytest.approx(2.5)
    assert clips["harbour"].duration == pytest.approx(1.5)
    assert clips["harbour"].raw_start == "intro + 0.5"
    assert clips["caption"].start == pytest.approx(3.0)
    assert clips["caption"].track_index == 1
    assert comp.frame_time(48) == pytest.approx(2.0)


def test_nested_host_and_child(samples: Path) -> None:
    comp = load_composition(samples / "nested")
    assert len(comp.hosts) == 1
    host = comp.hosts[0]
    assert isinstance(host, CompositionHost)
    assert host in comp.clips  # timed host counts as a clip
    assert (host.element_id, host.composition_id, host.src) == (
        "card-host",
        "card",
        "compositions/card.html",
    )
    assert host.path == (samples / "nested" / "compositions" / "card.html").resolve()
    assert (host.start, host.duration, host.playback_start) == (1.0, 3.0, 0.0)
    child = host.child
    assert child.composition_id == "card" and child.is_template
    assert child.duration == 3.0 and (child.width, child.height) == (1920, 1080)
    assert child.template_span is not None
    inner = child.text[child.template_span[0] : child.template_span[1]]
    assert inner.strip().startswith("<div data-composition-id")
    assert child.text[child.template_span[1] :].startswith("</template>")
    (stamp,) = child.clips
    assert stamp.element_id == "card-stamp"
    assert stamp.start == pytest.approx(1.5)  # child time


def test_nested_listing(samples: Path) -> None:
    infos = list_compositions(samples / "nested")
    assert [i.path.name for i in infos] == ["index.html", "card.html"]
    assert [i.is_sub for i in infos] == [False, True]
    assert all(i.error is None for i in infos)
    assert infos[0].fps == Fraction(30) and infos[1].composition_id == "card"


def test_sub_composition_loads_alone(samples: Path) -> None:
    comp = load_composition(samples / "nested", "compositions/card.html")
    assert comp.is_template and comp.frame_count == 90
