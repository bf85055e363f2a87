"""Rate control: ``--crf`` and ``--video-bitrate`` replace the preset's rate control where the
codec has one (x264 MP4, VP9 WebM), are validated per codec, and are refused for formats that
would ignore them."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from support import probe, write_project
from support.compositions import mixed_html
from support.rendering import run_cli

from hyperframes_desktop.render import RenderInputError, RenderOptions
from hyperframes_desktop.render.encoders import encode_command
from hyperframes_desktop.render.formats import FORMATS
from hyperframes_desktop.render.rate_control import parse_bitrate, validate_rate_control

pytestmark = pytest.mark.slow

NOISE_SECONDS, NOISE_FPS = 4, 30

#: Fresh fine noise over the whole frame, every frame (drawn from the frame number, so seeking
#: is exact): more than fits the asked bitrate at any sane quality, yet not so wild that x264's
#: highest quantiser still overshoots it, so the bitrate target is what decides the size.
NOISE_HTML = f"""<!doctype html><html><head><meta charset="utf-8">
<script src="gsap.min.js"></script>
<style>html,body{{margin:0;width:640px;height:360px;background:#000}}</style></head><body>
<div id="root" data-composition-id="noise" data-width="640" data-height="360"
     data-duration="{NOISE_SECONDS}" data-fps="{NOISE_FPS}">
  <canvas id="c" width="640" height="360"></canvas>
</div>
<script>
  var ctx = document.getElementById("c").getContext("2d");
  var img = ctx.createImageData(640, 360);
  function draw(frame) {{
    var s = ((frame + 1) * 2654435761) >>> 0, d = img.data;
    for (var i = 0; i < d.length; i += 4) {{
      s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
      var v = 112 + (s & 31);  // grey with fine noise: detail an encoder has to pay for
      d[i] = v; d[i + 1] = v; d[i + 2] = v; d[i + 3] = 255;
    }}
    ctx.putImageData(img, 0, 0);
  }}
  var tl = gsap.timeline({{ paused: true,
    onUpdate: function () {{ draw(Math.round(tl.time() * {NOISE_FPS})); }} }});
  tl.to({{}}, {{ duration: {NOISE_SECONDS} }});
  window.__timelines = {{ noise: tl }};
</script></body></html>"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("rate") / "p", mixed_html())


def test_crf_20_is_in_the_x264_settings(small: Path, tmp_path: Path) -> None:
    out = tmp_path / "crf.mp4"
    proc = run_cli([str(small), "-o", str(out), "--quality", "draft", "--crf", "20"])
    assert proc.returncode == 0, proc.stderr
    data = out.read_bytes()
    assert b"x264 - core" in data, "the encoder's settings string (SEI) is in the file"
    assert b" crf=20.0 " in data
    assert b" crf=28.0 " not in data, "the draft preset's CRF was replaced"


def test_video_bitrate_lands_within_15_percent(tmp_path: Path, gsap_file: Path) -> None:
    project = write_project(tmp_path / "noise", NOISE_HTML)
    shutil.copyfile(gsap_file, project / "gsap.min.js")
    out = tmp_path / "rate.mp4"
    proc = run_cli(
        [str(project), "-o", str(out), "--quality", "draft", "--video-bitrate", "1M"],
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    (video,) = [s for s in probe(out)["streams"] if s["codec_type"] == "video"]
    assert int(video["nb_read_frames"]) == NOISE_SECONDS * NOISE_FPS
    rate = int(video["bit_rate"])
    assert abs(rate - 1_000_000) <= 0.15 * 1_000_000, f"{rate} bit/s for 1M asked"


def test_vp9_gets_the_crf_or_the_bitrate() -> None:
    def command(**kw) -> list[str]:
        return encode_command(
            "ffmpeg", 64, 64, Fraction(30), FORMATS["webm"], "standard", Path("o.webm"), **kw
        )

    crf = command(crf=40)
    assert crf[crf.index("-crf") + 1] == "40" and crf[crf.index("-b:v") + 1] == "0"
    rate = command(video_bitrate="800k")
    assert "-crf" not in rate and rate[rate.index("-b:v") + 1] == "800000"
    assert command()[command().index("-crf") + 1] == "31"  # the preset's own


def test_parse_bitrate() -> None:
    assert parse_bitrate("5M") == 5_000_000
    assert parse_bitrate("800k") == 800_000
    assert parse_bitrate("2.5m") == 2_500_000
    with pytest.raises(RenderInputError, match="not a bitrate"):
        parse_bitrate("fast")
    with pytest.raises(RenderInputError, match="out of range"):
        parse_bitrate("10")


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        (
            {"format": "mp4", "crf": 52},
            "--crf 52 is out of range for H.264 (mp4). Fix: choose 0 to 51",
        ),
        ({"format": "webm", "crf": 64}, "out of range for VP9 (webm). Fix: choose 0 to 63"),
        ({"format": "mov", "crf": 20}, "The mov format (ProRes) ignores --crf"),
        ({"format": "gif", "video_bitrate": "2M"}, "The gif format (GIF) ignores --video-bitrate"),
        ({"format": "png-sequence", "crf": 20}, "ignores --crf"),
        ({"format": "mp4", "crf": 20, "video_bitrate": "2M"}, "Fix: give only one"),
    ],
)
def test_validation_sentences(kw: dict, words: str) -> None:
    with pytest.raises(RenderInputError) as caught:
        validate_rate_control(RenderOptions(project=Path("."), **kw))
    assert words in str(caught.value)
    validate_rate_control(RenderOptions(project=Path("."), format="webm", crf=63))


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "mov", "--crf", "20"], "ignores --crf"),
        (["--crf", "60"], "out of range for H.264"),
        (["--video-bitrate", "lots"], "is not a bitrate"),
        (["--crf", "20", "--video-bitrate", "2M"], "not allowed with argument"),
    ],
)
def test_cli_refuses_with_exit_2(small: Path, tmp_path: Path, args: list[str], words: str) -> None:
    proc = run_cli([str(small), "-o", str(tmp_path / "x"), *args], timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert words in proc.stderr
    assert "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []
