"""The render's x264 thread count (render.encoder_threads): x264's own choice unless
HYPERFRAMES_X264_THREADS names one, only for the H.264 encoder, and a valid MP4 either way."""

from __future__ import annotations

import os
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from support import write_project

from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.encoder_threads import THREADS_ENV, x264_threads
from hyperframes_desktop.render.encoders import encode_command
from hyperframes_desktop.render.formats import FORMATS


def test_x264_chooses_unless_the_environment_names_a_count() -> None:
    assert x264_threads({}) is None
    assert x264_threads({THREADS_ENV: "auto"}) is None
    assert x264_threads({THREADS_ENV: " 1 "}) == 1
    assert x264_threads({THREADS_ENV: "3"}) == 3
    for bad in ("0", "-2", "many", "1.5"):
        assert x264_threads({THREADS_ENV: bad}) is None, bad


def test_only_the_h264_encoder_gets_the_thread_count(tmp_path: Path) -> None:
    for name in FORMATS:
        cmd = encode_command("ffmpeg", 64, 36, Fraction(30), FORMATS[name], "standard",
                             tmp_path / "o", threads=1)  # fmt: skip
        assert ("-threads" in cmd) == (name == "mp4"), name
    mp4 = encode_command("ffmpeg", 64, 36, Fraction(30), FORMATS["mp4"], "standard",
                         tmp_path / "o.mp4", threads=1)  # fmt: skip
    assert mp4[mp4.index("-threads") + 1] == "1"
    assert mp4.index("-threads") > mp4.index("libx264")  # an output option of the encoder
    assert "-threads" not in encode_command(
        "ffmpeg", 64, 36, Fraction(30), FORMATS["mp4"], "standard", tmp_path / "o.mp4"
    )


def _html() -> str:
    return (
        "<!doctype html><html><head><style>html,body{margin:0}</style></head><body>"
        '<div data-composition-id="t" data-width="320" data-height="180" data-duration="0.6"'
        ' data-fps="10" data-no-timeline style="position:relative;width:320px;height:180px;'
        'background:linear-gradient(90deg,#123,#9ab)"><div style="position:absolute;left:40px;'
        'top:40px;width:100px;height:60px;background:#e33"></div></div></body></html>'
    )


def _x264_options(mp4: Path) -> str:
    """The option string x264 writes into its stream (a SEI message of the first frame)."""
    data = mp4.read_bytes()
    at = data.index(b"options: ")
    return data[at : data.index(b"\0", at)].decode()


def _frames(mp4: Path) -> int:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
         "stream=codec_name,nb_read_frames", "-of", "csv=p=0", str(mp4)],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip()  # fmt: skip
    codec, count = out.split(",")
    assert codec == "h264"
    return int(count)


@pytest.mark.slow
def test_a_render_encodes_on_the_threads_the_environment_names(tmp_path: Path, monkeypatch) -> None:
    """HYPERFRAMES_X264_THREADS=1: the render's x264 runs one thread (its own record in the
    stream says so); unset, x264 picks its frame threads. Both files are whole H.264 videos."""
    project = write_project(tmp_path / "p", _html())
    options = {}
    for wanted in ("1", None):
        if wanted is None:
            monkeypatch.delenv(THREADS_ENV, raising=False)
        else:
            monkeypatch.setenv(THREADS_ENV, wanted)
        out = tmp_path / f"threads-{wanted}.mp4"
        RenderJob(RenderOptions(project=project, output=out, workers=2)).run()
        assert _frames(out) == 6
        options[wanted] = _x264_options(out)
    assert " threads=1 " in options["1"] and " lookahead_threads=1 " in options["1"]
    assert " threads=1 " not in options[None] or os.cpu_count() == 1
