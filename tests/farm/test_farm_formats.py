"""A sample through the farm in every format equals a local render: exact frame count, mean
PSNR of at least 40 dB (both at ``standard``) and the same sound length."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from support.media import frame_rgb, moov_first, probe, video_info
from support.projects import copy_sample, gsap_js, write_project

from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.farm import FarmBackend, FarmSettings

FPS = 10  # kinetic-css is 3 s: 30 frames, joined from 3 chunks
SIZE = "640x360"  # half the sample's size: small and quick


def _sample_with_sound(folder: Path) -> Path:
    """kinetic-css (CSS only) with a 1.5 s tone starting at 0.5 s added to its root."""
    project = copy_sample("kinetic-css", folder, with_gsap=False)
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
         "sine=frequency=330:duration=3", "-ar", "48000", "-ac", "2", "-y",
         str(project / "tone.wav")],
        check=True,
    )  # fmt: skip
    index = project / "index.html"
    html = index.read_text(encoding="utf-8")
    clip = (
        '<audio id="farm-tone" class="clip" src="tone.wav" data-start="0.5" '
        'data-duration="1.5" data-track-index="9"></audio>'
    )
    root_open = re.search(r"<div[^>]*data-composition-id[^>]*>", html)
    assert root_open, "kinetic-css has no root element"
    html = html[: root_open.end()] + clip + html[root_open.end() :]
    index.write_text(html, encoding="utf-8")
    return project


def _input(path: Path) -> list[str]:
    if path.is_dir():
        return ["-framerate", str(FPS), "-i", str(path / "frame_%06d.png")]
    return ["-i", str(path)]


def mean_psnr(a: Path, b: Path) -> float:
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", *_input(a), *_input(b), "-lavfi",
         "[0:v]format=rgb24[x];[1:v]format=rgb24[y];[x][y]psnr", "-f", "null", "-"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    match = re.search(r"average:(inf|[\d.]+)", result.stderr)
    assert match, result.stderr
    return float("inf") if match.group(1) == "inf" else float(match.group(1))


def alpha_psnr(a: Path, b: Path) -> float:
    decoder = ["-c:v", "libvpx-vp9"] if a.suffix == ".webm" else []  # VP9 alpha: libvpx only
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", *decoder, "-i", str(a), *decoder, "-i", str(b),
         "-lavfi", "[0:v]alphaextract[x];[1:v]alphaextract[y];[x][y]psnr", "-f", "null", "-"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    match = re.search(r"average:(inf|[\d.]+)", result.stderr)
    assert match, result.stderr[-2000:]
    return float("inf") if match.group(1) == "inf" else float(match.group(1))


def frame_count(path: Path) -> int:
    if path.is_dir():
        return len(list(path.glob("frame_*.png")))
    return video_info(path).frames


def audio_duration(path: Path) -> float | None:
    streams = [s for s in probe(path)["streams"] if s.get("codec_type") == "audio"]
    if not streams:
        return None
    return float(streams[0].get("duration") or probe(path)["format"]["duration"])


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    return _sample_with_sound(tmp_path_factory.mktemp("sample") / "kinetic-css")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["mp4", "webm", "mov", "gif", "png-sequence"])
def test_farm_render_equals_local_render(render_both, sample: Path, fmt: str):
    ext = {"mp4": ".mp4", "webm": ".webm", "mov": ".mov", "gif": ".gif", "png-sequence": ""}[fmt]
    both = render_both(12, ext, project=sample, format=fmt, resolution=SIZE, fps=FPS)
    local, farm = both.local, both.farm
    assert frame_count(farm) == frame_count(local) == 30
    assert mean_psnr(farm, local) >= 40.0
    if fmt in ("mp4", "webm", "mov"):
        local_sound, farm_sound = audio_duration(local), audio_duration(farm)
        assert local_sound is not None and farm_sound is not None
        assert farm_sound == pytest.approx(local_sound, abs=1e-3)
    if fmt in ("mp4", "mov"):  # the join keeps +faststart: the index before the media data
        assert moov_first(local) and moov_first(farm)
    if fmt in ("webm", "mov"):  # transparency survives the join
        assert alpha_psnr(farm, local) >= 40.0


# Each .call() widens the bar by 40 px; calls sit on frames 5, 10 and 15 (10 fps), where a
# seek that nudges past a frame and back would fire them twice, and where the chunks start.
CALLS = """<!doctype html><html><head><script src="gsap.min.js"></script>
<style>html, body { margin: 0; background: #000; }
#count { position: absolute; left: 0; top: 0; width: 0; height: 60px; background: #f07814; }
#mover { position: absolute; left: 0; top: 100px; width: 40px; height: 40px; background: #fff; }
</style></head><body>
<div data-composition-id="calls" data-width="320" data-height="180" data-duration="2"
     data-fps="10"><div id="count"></div><div id="mover"></div></div>
<script>
  var fired = 0;
  function bump() { fired += 1; document.getElementById("count").style.width = fired * 40 + "px"; }
  var tl = gsap.timeline({ paused: true });
  tl.to("#mover", { x: 280, duration: 2, ease: "none" }, 0);
  tl.call(bump, null, 0.5); tl.call(bump, null, 1.0); tl.call(bump, null, 1.5);
  window.__timelines = window.__timelines || {};
  window.__timelines["calls"] = tl;
</script></body></html>"""


@pytest.mark.slow
def test_a_farm_chunk_starting_at_frame_n_shows_the_whole_renders_frame_n(cluster, tmp_path):
    """The seek invariant on the farm: frame N of a chunk that starts at N (a fresh page,
    seeked straight to N) equals frame N of a whole local render, callbacks included."""
    project = write_project(tmp_path / "calls", CALLS)
    shutil.copyfile(gsap_js(), project / "gsap.min.js")
    common = {"project": project, "format": "png-sequence"}
    local = RenderJob(RenderOptions(output=tmp_path / "local", **common)).run().output
    farm = FarmBackend(FarmSettings(cluster.address, chunk_frames=5)).render(
        RenderOptions(output=tmp_path / "farm", **common)
    ).output  # fmt: skip
    assert frame_count(farm) == frame_count(local) == 20
    for n in (5, 10, 15, 19):  # chunk starts (5, 10, 15) and a chunk's last frame
        want = frame_rgb(local / f"frame_{n:06d}.png", 0)
        got = frame_rgb(farm / f"frame_{n:06d}.png", 0)
        assert got.data == want.data, f"frame {n} differs on the farm"
