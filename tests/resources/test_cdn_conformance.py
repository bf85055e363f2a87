"""The conformance suite: compositions written as HyperFrames' catalog writes them (see
conformance.py) render through the resolver; each frame shows what the page meant (GSAP
moved the box, the indicator the page paints is green), and a still equals the render's
frame."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from cdn_compositions import (
    BUNDLED_FONT_COMPOSITIONS,
    COMPOSITIONS,
    GSAP_TAG,
    MEDIA,
    MEDIA_FILES,
    MISSING_FAMILY,
    MISSING_FONT,
    WEBGL_COMPOSITIONS,
    Conformance,
    page,
    script,
)
from support import frame_md5s, frame_rgb, write_project
from support.media import near, pixel
from support.npm_registry import real_tarball
from support.projects import gsap_js
from support.static_server import serve_folder

from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.resources.settings import CACHE_DIR_ENV, ORIGIN_OVERRIDES_ENV
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow
WHITE, BLACK, GREEN = (255, 255, 255), (0, 0, 0), (0, 255, 0)


@pytest.fixture(scope="module")
def conformance_env(npm_registry, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The fake registry (with three.js), one resource cache for the module, and a loopback
    server standing in for the remote media host."""
    npm_registry.add_real("three", "0.147.0")
    npm_registry.add_real("@fontsource/anton", "5.3.0")
    media = tmp_path_factory.mktemp("media")
    for name, text in MEDIA_FILES.items():
        (media / name).write_text(text, encoding="utf-8")
    with serve_folder(media) as origin, pytest.MonkeyPatch.context() as mp:
        mp.setenv("NPM_CONFIG_REGISTRY", npm_registry.url)
        mp.setenv(CACHE_DIR_ENV, str(tmp_path_factory.mktemp("conformance-cache")))
        mp.setenv(ORIGIN_OVERRIDES_ENV, f'{{"{MEDIA}": "{origin}"}}')
        yield


def _gsap_1125_sri() -> str:
    with tarfile.open(fileobj=io.BytesIO(real_tarball("gsap", "3.12.5").read_bytes())) as tar:
        data = tar.extractfile("package/dist/gsap.min.js").read()
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def _html(c: Conformance) -> str:
    if c.head == "@INTEGRITY@":
        src = "https://cdnjs.cloudflare.com/ajax/libs/gsap/3.12.5/gsap.min.js"
        sri = _gsap_1125_sri()
        c = Conformance(
            c.name, f'<script src="{src}" integrity="{sri}" crossorigin="anonymous"></script>',
            c.script, c.body,
        )  # fmt: skip
    return page(c)


def test_there_are_at_least_25_compositions() -> None:
    assert len({c.name for c in COMPOSITIONS}) == len(COMPOSITIONS) >= 25


@pytest.mark.parametrize("comp", COMPOSITIONS, ids=lambda c: c.name)
def test_composition_renders_as_written(conformance_env, comp: Conformance, tmp_path: Path) -> None:
    project = write_project(tmp_path / comp.name, _html(comp))
    result = RenderJob(
        RenderOptions(project=project, output=tmp_path / "frames", format="png-sequence")
    ).run()
    frames = sorted(result.output.iterdir())
    assert len(frames) == 4
    first, last = frame_rgb(frames[0], 0), frame_rgb(frames[3], 0)
    assert near(pixel(first, 5, 5), WHITE) and near(pixel(last, 5, 5), BLACK), "GSAP moved"
    assert near(pixel(last, 50, 5), WHITE), "the box is where GSAP put it at 0.75 s"
    assert near(pixel(last, 86, 44), GREEN), "the page got what it loaded"
    still = render_still(StillOptions(project, frame=2, output=tmp_path / "still.png"))
    assert frame_md5s(still.output) == frame_md5s(frames[2]), "still equals the render's frame"
    if comp is MISSING_FONT:
        assert any(MISSING_FAMILY in w for w in result.resource_warnings), result.resource_warnings


def _render(project: Path, out: Path, *, offline: bool = False) -> tuple[list[Path], list[str]]:
    options = RenderOptions(project=project, output=out, format="png-sequence", offline=offline)
    result = RenderJob(options).run()
    return sorted(result.output.iterdir()), result.fetched_urls


@pytest.mark.parametrize("comp", BUNDLED_FONT_COMPOSITIONS, ids=lambda c: c.name)
def test_bundled_google_fonts_need_no_network(
    comp: Conformance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offline, with an empty cache and a registry that does not exist: the bundled family
    is still the one the text is set in."""
    monkeypatch.setenv("NPM_CONFIG_REGISTRY", "http://127.0.0.1:9")  # nothing listens
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "empty-cache"))
    local = Conformance(comp.name, comp.head.replace(GSAP_TAG, script("gsap.min.js")),
                        comp.script, comp.body)  # fmt: skip
    project = write_project(
        tmp_path / comp.name, page(local), {"gsap.min.js": gsap_js().read_bytes()}
    )
    frames, fetched = _render(project, tmp_path / "frames", offline=True)
    assert near(pixel(frame_rgb(frames[3], 0), 86, 44), GREEN), "the text is set in the family"
    assert fetched == []


def test_webgl_frames_follow_gsap_time_and_are_identical_run_to_run(
    conformance_env, tmp_path: Path
) -> None:
    shader = next(c for c in WEBGL_COMPOSITIONS if c.name == "webgl-shader-transition")
    project = write_project(tmp_path / "p", page(shader))
    once, _ = _render(project, tmp_path / "once")
    again, _ = _render(project, tmp_path / "again")
    assert [frame_md5s(f) for f in once] == [frame_md5s(f) for f in again]
    assert near(pixel(frame_rgb(once[0], 0), 86, 44), (255, 0, 0)), "red before 0.5 s"
    assert near(pixel(frame_rgb(once[3], 0), 86, 44), GREEN), "green after 0.5 s"
