"""Remote media clips (issue 20): a ``<video>``/``<audio>`` whose src is an https URL (as in
HyperFrames' catalog example ``kinetic-type``) is fetched through the resolver and played by
the media stages from the cache. A loopback server stands in for the S3 host (the resolver's
test-only origin override). The source video paints its own frame number as a flat colour,
so one decoded pixel of an output frame says which source frame it shows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import all_frames_rgb, pixel, write_project
from support.media import write_tone
from support.static_server import serve_folder

from hyperframes_desktop.cli.lint_resources import check_remote
from hyperframes_desktop.render import RenderError, RenderJob, RenderOptions, tools
from hyperframes_desktop.render.resources.settings import CACHE_DIR_ENV, ORIGIN_OVERRIDES_ENV
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

HOST = "https://media-bucket.s3.us-east-1.amazonaws.com"
CLIP = f"{HOST}/clips/clip.mp4"
TONE = f"{HOST}/clips/tone.wav"
FPS, SOURCE_FPS = 10, 30


def _ffmpeg(*args: str) -> str:
    result = tools.run_tool("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", *args], 120)
    assert result.returncode == 0, result.stderr
    return result.stderr


def _counter_video(path: Path, frames: int = 30) -> None:
    """Frame n is the flat colour (25·(n mod 10), 25·⌊n/10⌋, 128)."""
    source = (
        f"color=c=black:s=64x36:r={SOURCE_FPS},format=rgb24,"
        "geq=r='mod(N\\,10)*25':g='floor(N/10)*25':b='128'"
    )
    _ffmpeg("-f", "lavfi", "-i", source, "-frames:v", str(frames), "-c:v", "libx264",
            "-preset", "ultrafast", "-qp", "4", "-g", "12", "-pix_fmt", "yuv420p",
            "-colorspace", "smpte170m",  # the matrix FFmpeg used (untagged reads as BT.709)
            "-y", str(path))  # fmt: skip


def _frame_number(rgb: tuple[int, int, int], tol: int = 14) -> int | None:
    units, tens = round(rgb[0] / 25), round(rgb[1] / 25)
    expected = ((units % 10) * 25, tens * 25, 128)
    if max(abs(a - b) for a, b in zip(expected, rgb, strict=True)) > tol:
        return None
    return tens * 10 + units


def _html(video: str, audio: str) -> str:
    return f"""<!doctype html><html><head><style>html,body{{margin:0;width:160px;height:90px;
background:#202020}} #a-roll-video{{position:absolute;left:0;top:0;width:160px;height:90px}}
</style></head><body>
<div id="root" data-composition-id="main" data-width="160" data-height="90" data-duration="1"
     data-fps="{FPS}" data-no-timeline>
  <video id="a-roll-video" class="clip" src="{video}" data-start="0" data-duration="1"
         data-track-index="0" muted playsinline></video>
  <audio id="music" class="clip" src="{audio}" data-start="0" data-duration="1"
         data-track-index="1"></audio>
</div></body></html>"""


@pytest.fixture(scope="module")
def remote_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The stand-in S3 host, one resolver cache and one video-frame cache for the module;
    yields the cache folder."""
    site = tmp_path_factory.mktemp("site")
    (site / "clips").mkdir()
    _counter_video(site / "clips" / "clip.mp4")
    write_tone(site / "clips" / "tone.wav", 1.0)
    cache = tmp_path_factory.mktemp("remote-media-cache")
    with serve_folder(site) as origin, pytest.MonkeyPatch.context() as env:
        env.setenv(CACHE_DIR_ENV, str(cache))
        env.setenv(ORIGIN_OVERRIDES_ENV, json.dumps({HOST: origin}))
        env.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))
        yield cache


def _audio(path: Path) -> tuple[float, float]:
    """(duration of the audio stream, its mean level in dBFS)."""
    probe = tools.run_tool("ffprobe", ["-v", "error", "-show_streams", "-of", "json", str(path)])
    (stream,) = [s for s in json.loads(probe.stdout)["streams"] if s["codec_type"] == "audio"]
    chain = "atrim=start=0.1:end=0.9,volumedetect"
    err = _ffmpeg("-v", "info", "-i", str(path), "-af", chain, "-f", "null", "-")
    level = re.search(r"mean_volume:\s*(-?[\d.]+|-inf) dB", err)
    assert level, err
    return float(stream["duration"]), float(level.group(1).replace("-inf", "-999"))


def test_remote_video_and_audio_render_from_the_resolver(remote_host: Path, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", _html(CLIP, TONE))
    out = tmp_path / "out.mp4"
    result = RenderJob(RenderOptions(project=project, output=out, format="mp4")).run()
    shown = [_frame_number(pixel(frame, 80, 45)) for frame in all_frames_rgb(result.output)]
    assert shown == [f * SOURCE_FPS // FPS for f in range(FPS)], "each frame shows the video"
    duration, level = _audio(result.output)
    assert abs(duration - 1.0) < 0.05, "the sound lasts as long as the composition"
    assert level > -30, "the remote tone is mixed in"
    assert CLIP in result.fetched_urls and TONE in result.fetched_urls
    # a second render, offline, plays the cached copies
    again = RenderJob(
        RenderOptions(project=project, output=tmp_path / "again.mp4", format="mp4", offline=True)
    ).run()
    assert again.fetched_urls == []
    assert [_frame_number(pixel(f, 80, 45)) for f in all_frames_rgb(again.output)] == shown


def test_offline_and_uncached_is_a_sentence(remote_host: Path, tmp_path: Path) -> None:
    url = f"{HOST}/clips/never-fetched.mp4"
    project = write_project(tmp_path / "p", _html(url, TONE))
    with pytest.raises(RenderError) as caught:
        RenderJob(
            RenderOptions(project=project, output=tmp_path / "o.mp4", format="mp4", offline=True)
        ).run()
    message = str(caught.value)
    assert url in message and "offline" in message and "Fix:" in message
    assert "a-roll-video" in message


def test_missing_remote_file_is_a_sentence_naming_the_url(
    remote_host: Path, tmp_path: Path
) -> None:
    url = f"{HOST}/clips/gone.wav"
    project = write_project(tmp_path / "p", _html(CLIP, url))
    with pytest.raises(RenderError) as caught:
        RenderJob(RenderOptions(project=project, output=tmp_path / "o.mp4", format="mp4")).run()
    message = str(caught.value)
    assert url in message and "404" in message and "Fix:" in message
    assert "Traceback" not in message


def test_lint_lists_remote_clips_and_a_missing_played_clip_is_an_error(
    remote_host: Path, tmp_path: Path
) -> None:
    gone = f"{HOST}/clips/gone.mp4"
    project = write_project(tmp_path / "p", _html(gone, TONE))
    statuses, problems = check_remote(project, None, offline=False)
    shown = {item.ref.url: item.status for item in statuses}
    assert shown[gone] == "unavailable" and shown[TONE] in ("cached", "resolvable")
    (problem,) = problems
    assert problem.severity == "error" and gone in problem.message and "404" in problem.message


def test_a_remote_file_that_is_not_video_is_a_sentence_naming_the_url(
    remote_host: Path, tmp_path: Path
) -> None:
    url = f"{HOST}/clips/tone.wav"  # sound only: no frames to show
    project = write_project(tmp_path / "p", _html(url, TONE))
    with pytest.raises(RenderError) as caught:
        RenderJob(RenderOptions(project=project, output=tmp_path / "o.mp4", format="mp4")).run()
    message = str(caught.value)
    assert url in message and "a-roll-video" in message, message
    assert str(remote_host) not in message, "the URL, not the cache's file, is named"


def test_still_shows_the_remote_video(remote_host: Path, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", _html(CLIP, TONE))
    still = render_still(StillOptions(project, frame=3, output=tmp_path / "still.png"))
    (frame,) = all_frames_rgb(still.output)
    assert _frame_number(pixel(frame, 80, 45)) == 3 * SOURCE_FPS // FPS
