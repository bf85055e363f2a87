"""A sample through the farm in every format equals a local render: exact frame count, mean
PSNR of at least 40 dB (both at ``standard``) and the same sound length."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from support.media import moov_first, probe, video_info
from support.projects import copy_sample

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
