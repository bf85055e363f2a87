"""The weights of a bundled family, as HyperFrames declares them: its static files at their own
weights (400/700/900: the exact bytes HF embeds), the variable file only for the weights
between them; and with ``HYPERFRAMES_HF_OFFLINE_FONTS=1``, only the static faces, so a weight
the bundle lacks is matched to the nearest one, as HF renders offline (Inter 800 → 900)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_rgb, write_project

from hyperframes_desktop.render.fonts import bundled_font_file
from hyperframes_desktop.render.fonts.faces import OFFLINE_ENV
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

WIDTH, ROW = 480, 60
#: (font-family, weight) per row; the probe is HF's static Inter 400 file under another name.
ROWS = [("Inter", 400), ("'Probe Inter'", 400), ("Inter", 800), ("Inter", 900), ("Inter", 500)]


def _html() -> str:
    static = bundled_font_file("@fontsource/inter", None, "files/inter-latin-400-normal.woff2")
    assert static is not None
    rows = "".join(
        f'<div style="position:absolute;left:6px;top:{i * ROW}px;'
        f'font:{weight} 40px/{ROW}px {family}">Wavy Quartz 80</div>'
        for i, (family, weight) in enumerate(ROWS)
    )
    return (
        "<!doctype html><html><head><style>"
        f'@font-face{{font-family:"Probe Inter";src:url("{static.as_uri()}") format("woff2");'
        "font-weight:400}html,body{margin:0;background:#fff;color:#000}</style></head><body>"
        f'<div data-composition-id="weights" data-width="{WIDTH}" data-height="{ROW * len(ROWS)}"'
        ' data-duration="1" data-no-timeline style="position:relative;overflow:hidden">'
        f"{rows}</div></body></html>"
    )


def _rows(project: Path, out: Path) -> list[bytes]:
    frame = frame_rgb(render_still(StillOptions(project, time="0", output=out)).output, 0)
    stride = frame.width * 3 * ROW
    return [frame.data[i * stride : (i + 1) * stride] for i in range(len(ROWS))]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("weights") / "p", _html())


def test_bundled_weights_use_hf_static_files_and_the_rest_are_exact(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(OFFLINE_ENV, raising=False)
    inter400, probe400, inter800, inter900, inter500 = _rows(project, tmp_path / "a.png")
    assert inter400 == probe400  # the static file HF embeds, not the variable one
    assert inter800 != inter900  # 800 is drawn at 800 (the variable file between 700 and 900)
    assert inter500 != inter400


def test_offline_hf_fonts_match_a_missing_weight_to_the_nearest_bundled_one(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(OFFLINE_ENV, "1")
    inter400, probe400, inter800, inter900, inter500 = _rows(project, tmp_path / "b.png")
    assert inter400 == probe400
    assert inter800 == inter900  # CSS font matching: 800 → the 900 face
    assert inter500 == inter400  # 500 → the 400 face
