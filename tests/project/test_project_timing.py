"""fps parsing, frame counts, relative starts, overlap warnings and start-tag spans."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from hyperframes_desktop.project import load_composition, parse_fps

Writer = Callable[..., Path]
ROOT = 'data-composition-id="main" data-width="640" data-height="360"'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30", Fraction(30)),
        (" 24 ", Fraction(24)),
        ("29.97", Fraction(2997, 100)),
        ("30000/1001", Fraction(30000, 1001)),
        ("240", Fraction(240)),
        ("0.5", Fraction(1, 2)),
    ],
)
def test_parse_fps(text: str, expected: Fraction) -> None:
    assert parse_fps(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "0", "-24", "241", "30/0", "nan", "inf", "1/2/3"])
def test_parse_fps_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="frame rate"):
        parse_fps(text)


def test_ntsc_frame_count(write: Writer) -> None:
    comp = load_composition(write(root=f'{ROOT} data-duration="10" data-fps="30000/1001"'))
    assert comp.fps == Fraction(30000, 1001)
    assert comp.frame_count == 300
    assert comp.fps_float == pytest.approx(29.97002997)
    assert comp.frame_time(300) == pytest.approx(10.01)


def test_defaults(write: Writer) -> None:
    comp = load_composition(write(root=f'{ROOT} data-duration="0.01"'))
    assert comp.fps == 30 and comp.frame_count == 1 and comp.frame_time(0) == 0.0
    assert not comp.no_timeline and comp.variables_schema is None and comp.clips == []


def test_relative_starts(write: Writer) -> None:
    body = (
        '<div id="intro" class="clip" data-duration="2"></div>\n'
        '<div id="next" class="clip" data-start="intro" data-duration="1"></div>\n'
        '<div id="late" class="clip" data-start="next + 0.5" data-duration="1"></div>\n'
        '<div id="early" class="clip" data-start="intro - 0.5"></div>\n'
        '<div id="badge-dot" class="clip" data-start="1" data-duration="1"></div>\n'
        '<div id="after-dot" class="clip" data-start="badge-dot+0.25"></div>\n'
        '<div id="fwd" class="clip" data-start="later-one" data-duration="1"></div>\n'
        '<div id="later-one" class="clip" data-start="3" data-duration="0.5"></div>'
    )
    comp = load_composition(write(root=f'{ROOT} data-duration="9"', body=body))
    starts = {c.element_id: c.start for c in comp.clips}
    assert starts == pytest.approx(
        {
            "intro": 0,
            "next": 2,
            "late": 3.5,
            "early": 1.5,
            "badge-dot": 1,
            "after-dot": 2.25,
            "fwd": 3.5,
            "later-one": 3,
        }
    )
    raw = {c.element_id: c.raw_start for c in comp.clips}
    assert raw["intro"] == "0" and raw["late"] == "next + 0.5"
    assert comp.clips[3].duration is None and comp.clips[3].end is None
    assert comp.clips[0].is_visible(1.99) and not comp.clips[0].is_visible(2.0)


def test_overlap_is_a_warning(write: Writer) -> None:
    body = (
        '<div id="a" class="clip" data-start="0" data-duration="2" data-track-index="0"></div>'
        '<div id="b" class="clip" data-start="1.5" data-duration="1" data-track-index="0"></div>'
        '<div id="c" class="clip" data-start="2.5" data-track-index="0"></div>'
        '<div id="d" class="clip" data-start="1" data-duration="1" data-track-index="1"></div>'
        '<div id="e" class="clip" data-start="2" data-duration="1" data-track-index="1"></div>'
        '<div id="f" class="clip" data-start="0"></div><div id="g" class="clip"></div>'
    )
    comp = load_composition(write(root=f'{ROOT} data-duration="4"', body=body))
    assert comp.warnings == [
        'index.html: clips "a" (0-2 s) and "b" (1.5-2.5 s) overlap on data-track-index 0; '
        "move one to another track or change its timing"
    ]


def test_clip_after_end_warns(write: Writer) -> None:
    body = '<div id="z" class="clip" data-start="5" data-duration="1"></div>'
    comp = load_composition(write(root=f'{ROOT} data-duration="4"', body=body))
    assert len(comp.warnings) == 1 and "never shows" in comp.warnings[0]


def test_only_elements_inside_the_root_are_clips(write: Writer) -> None:
    text = (
        '<div class="clip" id="before"></div>\n'
        f'<DIV id="root" {ROOT} data-duration="2" data-no-timeline>\n'
        '  <P class="big clip other" id="inner">x<br>y<img src="a.png"><p>unclosed\n'
        "  <svg class=clip id=s viewBox='0 0 1 1'><stop offset=\"0\"/></svg>\n"
        "</DIV>\n"
        '<div class="clip" id="after"></div>\n'
        '<script>var s = \'<div class="clip" id="in-script">\';</script>\n'
    )
    comp = load_composition(write(text=text))
    assert comp.no_timeline
    assert [c.element_id for c in comp.clips] == ["inner", "s"]
    assert comp.text[comp.root_span[0] : comp.root_name_end] == "<DIV"


def test_spans_are_exact_offsets(write: Writer) -> None:
    text = (
        "\ufeff<!doctype html>\r\n<html><body>\r\n"
        f'<div {ROOT} data-duration="3"\r\n   data-fps="25">\r\n'
        '  <!-- <div class="clip" id="commented"> -->\r\n'
        '  <h1 class="clip" id="t\u00e9">caf\u00e9 \u2014 \U0001f600</h1><Video\r\n'
        '     class="clip" id="v"\r\n     src="v.mp4" muted>\r\n  </Video>\r\n'
        '  <span title="a > b" class="clip" id="gt">x</span>\r\n'
        "</div></body></html>\r\n"
    )
    comp = load_composition(write(text=text))
    assert not comp.text.startswith("\ufeff")
    assert comp.fps == 25
    assert [c.element_id for c in comp.clips] == ["t\u00e9", "v", "gt"]
    for clip in comp.clips:
        tag = comp.text[clip.span[0] : clip.span[1]]
        assert tag.lower().startswith("<" + clip.tag) and tag.endswith(">")
        assert comp.text[clip.span[0] : clip.name_end].lower() == "<" + clip.tag
    video = comp.clips[1]
    assert comp.text[video.span[0] : video.name_end] == "<Video"
    assert comp.text[video.span[1] - 7 : video.span[1]] == " muted>"
    assert comp.text[comp.clips[2].span[0] : comp.clips[2].span[1]].endswith('id="gt">')
    # a splice at name_end yields valid markup at the right place
    spliced = comp.text[: video.name_end] + ' data-x="1"' + comp.text[video.name_end :]
    assert '<Video data-x="1"\r\n     class="clip"' in spliced
