"""End to end: a rendered file carries the mixed sound, encoded per format, as long as the
video, audible where a clip plays and silent where none does."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import write_project
from support.rendering import run_cli
from test_audio_mix import audio_stream, level_db, make_tone

pytestmark = pytest.mark.slow

HTML = """<!doctype html><html><head><style>html,body{margin:0;width:160px;height:90px;
background:#123}</style></head><body>
<div id="r" data-composition-id="sound" data-width="160" data-height="90" data-duration="2"
     data-fps="10" data-no-timeline>
  <audio id="tone" class="clip" src="tone.wav" data-start="0.5" data-duration="1"></audio>
  <audio id="quiet" class="clip" src="tone.wav" data-start="1.5" data-duration="0.5"
         data-volume="0.5"></audio>
</div></body></html>"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_project(tmp_path_factory.mktemp("sound") / "p", HTML)
    make_tone(folder / "tone.wav", seconds=3.0)
    return folder


@pytest.mark.parametrize(("fmt", "codec"), [("mp4", "aac"), ("webm", "opus"), ("mov", "aac")])
def test_sound_is_muxed_and_placed(project: Path, tmp_path: Path, fmt: str, codec: str) -> None:
    out = tmp_path / f"out.{fmt}"
    proc = run_cli([str(project), "-o", str(out), "--format", fmt, "--quality", "draft"])
    assert proc.returncode == 0, proc.stderr
    stream = audio_stream(out)
    assert stream["codec_name"] == codec
    assert int(stream["sample_rate"]) == 48000
    if fmt != "webm":  # WebM keeps no per-stream duration
        assert abs(float(stream["duration"]) - 2.0) < 0.05
    assert level_db(out, 0.05, 0.45) < -60, "silent before the first clip"
    loud = level_db(out, 0.6, 1.4)
    quiet = level_db(out, 1.6, 1.95)
    assert loud > -30, "the tone plays in its window"
    assert 4.5 < loud - quiet < 7.5, "data-volume=0.5 is about 6 dB quieter"


def test_gif_has_no_sound_and_still_renders(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.gif"
    proc = run_cli([str(project), "-o", str(out), "--format", "gif", "--quality", "draft"])
    assert proc.returncode == 0, proc.stderr


def test_missing_audio_file_is_exit_2_naming_clip_and_file(tmp_path: Path) -> None:
    folder = write_project(tmp_path / "p", HTML)
    proc = run_cli([str(folder), "-o", str(tmp_path / "x.mp4")])
    assert proc.returncode == 2, proc.stderr
    assert "tone" in proc.stderr and "tone.wav" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "x.mp4").exists()
