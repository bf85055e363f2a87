"""The render's x264 thread count (render.encoder_threads): one thread where one keeps pace
with the capture (fewer CPU-seconds for the same quality), x264's own frame threads where
the machine has cores to spare, and a render's MP4 stays valid either way."""

from __future__ import annotations

import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from support import write_project

import hyperframes_desktop.render.capture_stage as capture_stage
from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.encoder_threads import (
    THREADS_ENV,
    encoder_cores_needed,
    x264_threads,
)
from hyperframes_desktop.render.encoders import encode_command
from hyperframes_desktop.render.formats import FORMATS
from hyperframes_desktop.render.worker_model import cpu_workers

NO_ENV: dict[str, str] = {}


def test_two_cores_encode_standard_on_one_thread_and_bigger_machines_keep_x264s_threads() -> None:
    choices = {c: x264_threads("medium", c, cpu_workers(c), NO_ENV) for c in (1, 2, 4, 8, 16)}
    assert choices == {1: 1, 2: 1, 4: None, 8: None, 16: None}
    # the encoder's need grows with the capture it must keep pace with
    needs = [encoder_cores_needed("medium", c, cpu_workers(c)) for c in (2, 4, 8, 16)]
    assert needs == sorted(needs) and needs[0] < 1 < needs[1]


def test_a_slow_preset_keeps_its_threads_and_a_capture_of_one_worker_needs_one_thread() -> None:
    # "high" (x264 slow) costs about twice medium: one thread could not keep pace on 2 cores
    assert x264_threads("slow", 2, 2, NO_ENV) is None
    assert x264_threads("ultrafast", 2, 2, NO_ENV) == 1
    # a short render with one capture worker on 4 cores: frames come at one worker's pace
    assert x264_threads("medium", 4, 1, NO_ENV) == 1
    # a preset the model has not measured is costed as the slowest one it has
    assert x264_threads("veryslow", 2, 2, NO_ENV) is None


def test_the_environment_overrides_the_model() -> None:
    assert x264_threads("medium", 2, 2, {THREADS_ENV: "auto"}) is None
    assert x264_threads("medium", 16, 10, {THREADS_ENV: "3"}) == 3
    assert x264_threads("medium", 2, 2, {THREADS_ENV: "many"}) == 1  # not a count: the model


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
def test_a_render_encodes_on_the_threads_its_machine_gets(tmp_path: Path, monkeypatch) -> None:
    """On 2 cores the render's x264 runs one thread; on 16 x264 picks its own frame threads;
    both files are whole H.264 videos of every frame."""
    monkeypatch.delenv(THREADS_ENV, raising=False)
    project = write_project(tmp_path / "p", _html())
    options = {}
    for cores in (2, 16):
        monkeypatch.setattr(capture_stage, "usable_cores", lambda cores=cores: cores)
        out = tmp_path / f"cores{cores}.mp4"
        RenderJob(RenderOptions(project=project, output=out, workers=2)).run()
        assert _frames(out) == 6
        options[cores] = _x264_options(out)
    assert " threads=1 " in options[2] and " lookahead_threads=1 " in options[2]
    assert " threads=1 " not in options[16]
