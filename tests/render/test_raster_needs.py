"""Only pages that provably run no CSS or Web Animation skip whole-tile raster
(render/raster_needs.py); anything unread counts as "may animate"."""

from __future__ import annotations

from pathlib import Path

import pytest

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.render.compile import compile_page
from hyperframes_desktop.render.raster_needs import may_animate

_GSAP_LIKE = "function Animation(t){this.keyframes=t};var gsap={to:function(){}};"


def _page(tmp_path: Path, body: str, files: dict[str, str] | None = None) -> bool:
    for name, text in (files or {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    own = tmp_path / "compiled"
    own.mkdir(exist_ok=True)
    (own / "hf-runtime.js").write_text("el.animate([], 1)", encoding="utf-8")
    head = f'<script src="{(own / "hf-runtime.js").as_uri()}"></script>'
    return may_animate(f"<html><head>{head}</head><body>{body}</body></html>", tmp_path, own)


def test_a_gsap_page_with_local_files_does_not_animate(tmp_path: Path) -> None:
    body = '<script src="gsap.min.js"></script><link rel="stylesheet" href="a.css"><div></div>'
    files = {"gsap.min.js": _GSAP_LIKE, "a.css": "div{transform:scale(2)}"}
    assert _page(tmp_path, body, files) is False


@pytest.mark.parametrize(
    ("body", "files"),
    [
        ("<style>@keyframes spin{to{transform:rotate(1turn)}}</style>", {}),
        ('<link rel="stylesheet" href="a.css">', {"a.css": "@-webkit-keyframes x{}"}),
        ("<script>document.body.animate([{opacity:0}], 500)</script>", {}),
        ('<script src="w.js"></script>', {"w.js": "new KeyframeEffect(el, [], 1)"}),
        ('<script src="w.js"></script>', {"w.js": "const a = new Animation(effect)"}),
        ("<script>sheet.insertRule('@keyframes x{}')</script>", {}),
        ('<script src="https://cdn.jsdelivr.net/npm/gsap@3/dist/gsap.min.js"></script>', {}),
        ('<link rel="stylesheet" href="//fonts.example/x.css">', {}),
        ('<script src="missing.js"></script>', {}),
        ('<script type="module">import "./m.js"</script>', {}),
        ('<link rel="stylesheet" href="a.css">', {"a.css": "@import url(b.css);"}),
        ("<script>var s = document.createElement('script'); s.src = u</script>", {}),
        ('<link rel="modulepreload" href="m.js">', {}),
    ],
)
def test_anything_that_may_animate_or_is_unread_keeps_whole_tiles(
    tmp_path: Path, body: str, files: dict[str, str]
) -> None:
    assert _page(tmp_path, body, files) is True


def test_compile_decides_per_page(tmp_path: Path) -> None:
    def project(name: str, style: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        (folder / "index.html").write_text(
            '<div data-composition-id="r" data-width="64" data-height="36" data-duration="1" '
            f'data-start="0" data-no-timeline><style>{style}</style><p>x</p></div>',
            encoding="utf-8",
        )
        return folder

    still = compile_page(load_composition(project("still", "p{color:red}")), tmp_path / "o1")
    moving = compile_page(
        load_composition(project("moving", "@keyframes m{to{transform:scale(2)}}")),
        tmp_path / "o2",
    )
    assert still.whole_tile_raster is False
    assert moving.whole_tile_raster is True
