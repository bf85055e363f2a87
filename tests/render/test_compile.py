"""The compile stage's page: timing attributes, inlined children, media placement."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from support import write_project

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.render.compile import (
    compile_page,
    frame_count,
    place_media,
    sheet_digest,
)

ROOT = """<!doctype html><html><head><title>t</title></head><body>
<div id="r" data-composition-id="root" data-width="320" data-height="180" data-duration="6">
  <div id="a" class="clip" data-start="1" data-duration="2"></div>
  <audio id="music" class="clip" src="a.wav" data-start="0" data-duration="6"></audio>
  <div id="host" data-composition-id="kid" data-composition-src="compositions/kid.html"
       data-start="2" data-duration="1.5" data-playback-start="0.5"></div>
</div></body></html>"""

KID = """<template><div data-composition-id="kid" data-width="320" data-height="180"
  data-duration="4"><p id="k" class="clip" data-start="1" data-duration="1">hi</p>
  <audio id="voice" src="v.wav" data-start="0" data-duration="4"></audio></div></template>"""


def _project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "p", ROOT, {"compositions/kid.html": KID})


def test_page_carries_absolute_windows_and_inlined_child(tmp_path: Path) -> None:
    comp = load_composition(_project(tmp_path))
    page = compile_page(comp, tmp_path / "out")
    html = page.html_path.read_text()
    assert html.index("<base href=") < html.index("window.__HF_CONFIG") < html.index("<title>")
    assert '<div data-hf-start="1.0" data-hf-end="3.0" id="a" class="clip"' in html
    # host window 2..3.5; the child's local 0 falls at 2 - 0.5 = 1.5
    assert 'data-hf-origin="1.5"' in html and 'data-hf-comp="kid"' in html
    # the child clip at child 1..2 s lands at 2.5..3.5 on the root timeline
    assert '<p data-hf-start="2.5" data-hf-end="3.5" id="k"' in html
    assert "<template>" not in html


def test_media_are_placed_on_the_root_timeline_and_cut_at_the_host_end(tmp_path: Path) -> None:
    comp = load_composition(_project(tmp_path))
    placed = {m.element.element_id: m for m in place_media(comp)}
    assert (placed["music"].start, placed["music"].end) == (0.0, 6.0)
    # voice: child 0..4 s → root 1.5..5.5, but the host stops showing the child at 3.5
    assert (placed["voice"].start, placed["voice"].end) == (1.5, 3.5)
    page = compile_page(comp, tmp_path / "out")
    assert [m.key for m in page.media] == [m.key for m in place_media(comp)]


def test_frame_count_is_exact_for_rational_rates() -> None:
    assert frame_count(10.0, Fraction(30000, 1001)) == 300
    assert frame_count(5.0, Fraction(30)) == 150
    assert frame_count(0.01, Fraction(24)) == 1


def test_the_generated_sheet_link_carries_the_digest_of_its_text(tmp_path: Path) -> None:
    """The render cache's fingerprint hashes this digest instead of the sheet's rules, so it
    must be the digest of exactly what was written (and change with it)."""
    comp = load_composition(_project(tmp_path))
    found = []
    for name, extra in (("one", ".x { color: red; }"), ("two", ".x { color: blue; }")):
        page = compile_page(comp, tmp_path / name, extra_css=extra)
        html = page.html_path.read_text()
        link = re.search(r'<link rel="stylesheet" href="([^"]+)" data-hf-digest="(\w+)">', html)
        assert link is not None, "the generated sheet's link names its digest"
        sheet = page.html_path.parent / "hf-page.css"
        assert link[1].endswith("/hf-page.css") and sheet.read_text().endswith(extra)
        assert link[2] == sheet_digest(sheet.read_text(encoding="utf-8"))
        found.append(link[2])
    assert found[0] != found[1], "another sheet, another digest"
