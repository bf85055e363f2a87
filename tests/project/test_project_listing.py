"""list_compositions: order, sub-compositions and broken files."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from hyperframes_desktop.project import ProjectError, list_compositions

Writer = Callable[..., Path]
Page = Callable[..., str]


def test_listing(write: Writer, sub_page: Page, page: Page) -> None:
    write(
        "zeta.html",
        root='data-composition-id="z" data-width="10" data-height="20" '
        'data-duration="2" data-fps="60"',
    )
    write("alpha.html", text="<html><body><p>not a composition</p></body></html>")
    write("broken.html", root='data-composition-id="b" data-width="0"')
    write("compositions/card.html", sub_page(root='data-composition-id="card" data-duration="2"'))
    write(
        "compositions/bad-sub.html",
        sub_page('<i class="clip" data-start="x y"></i>', root='data-composition-id="bs"'),
    )
    write("compositions/readme.txt", text="<p data-composition-id='no'>")
    project = write()
    (project / "assets.html").write_bytes(b"\x00\x01")
    infos = list_compositions(project)
    names = [i.path.relative_to(project).as_posix() for i in infos]
    assert names == [
        "index.html",
        "broken.html",
        "zeta.html",
        "compositions/bad-sub.html",
        "compositions/card.html",
    ]
    by_name = dict(zip(names, infos, strict=True))
    index = by_name["index.html"]
    assert (index.composition_id, index.width, index.height, index.duration, index.fps) == (
        "main",
        640,
        360,
        4.0,
        Fraction(30),
    )
    assert index.error is None and not index.is_sub
    assert by_name["zeta.html"].fps == 60
    broken = by_name["broken.html"]
    assert broken.composition_id == "b" and broken.width is None
    assert broken.error and broken.error.startswith('broken.html: data-width "0"')
    card = by_name["compositions/card.html"]
    assert card.is_sub and card.error is None
    assert (card.composition_id, card.width, card.height, card.duration, card.fps) == (
        "card",
        None,
        None,
        2.0,
        None,
    )
    bad_sub = by_name["compositions/bad-sub.html"]
    assert bad_sub.is_sub and bad_sub.error and "not a valid start time" in bad_sub.error


def test_listing_broken_index_and_no_index(write: Writer, tmp_path: Path) -> None:
    project = write(text="<html><body>nothing</body></html>")
    (info,) = list_compositions(project)
    assert info.composition_id is None and "no element has data-composition-id" in (
        info.error or ""
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    assert list_compositions(empty) == []
    with pytest.raises(ProjectError, match="does not exist"):
        list_compositions(tmp_path / "missing")
