"""``still``: one frame to an image, with exactly the pixels of that frame in a png-sequence
render, without starting any encoder."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from support import frame_md5s, frame_rgb, write_project
from support.compositions import CLIP_A_COLOUR, CLIP_A_POINT, mixed_html
from support.media import near, pixel
from support.rendering import cli_env

from hyperframes_desktop.render import RenderInputError, RenderJob, RenderOptions
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow


def _md5(png: Path) -> str:
    (digest,) = frame_md5s(png)
    return digest


def _sequence(project: Path, out: Path) -> Path:
    return RenderJob(RenderOptions(project=project, output=out, format="png-sequence")).run().output


@pytest.fixture(scope="module")
def css_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("still-css") / "p", mixed_html())


@pytest.fixture(scope="module")
def css_sequence(css_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sequence(css_project, tmp_path_factory.mktemp("seq-css") / "frames")


@pytest.mark.parametrize("frame", [0, 7, 19])
def test_css_still_equals_that_frame_of_a_png_sequence(
    css_project: Path, css_sequence: Path, tmp_path: Path, frame: int
) -> None:
    result = render_still(StillOptions(css_project, frame=frame, output=tmp_path / "s.png"))
    assert result.output == (tmp_path / "s.png").absolute()
    assert (result.width, result.height) == (640, 360)
    assert _md5(result.output) == _md5(css_sequence / f"frame_{frame:06d}.png")
    assert [p.name for p in tmp_path.iterdir()] == ["s.png"], "no partial left"


def test_gsap_still_equals_that_frame_of_a_png_sequence(gsap_project: Path, tmp_path: Path) -> None:
    sequence = _sequence(gsap_project, tmp_path / "frames")
    for frame in (3, 16):  # before and after the onUpdate colour changes
        still = render_still(StillOptions(gsap_project, frame=frame, output=tmp_path / "g.png"))
        assert _md5(still.output) == _md5(sequence / f"frame_{frame:06d}.png"), frame


def _logging_ffmpeg(folder: Path) -> tuple[Path, Path]:
    """An ffmpeg wrapper that records every invocation, then runs the real one."""
    log = folder / "ffmpeg-calls.log"
    wrapper = folder / "ffmpeg"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{shutil.which("ffmpeg")}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    return wrapper, log


def test_cli_time_picks_the_frame_and_no_encoder_is_started(
    css_project: Path, css_sequence: Path, tmp_path: Path
) -> None:
    import subprocess
    import sys

    wrapper, log = _logging_ffmpeg(tmp_path)
    env = cli_env(tmp_path, {"HYPERFRAMES_FFMPEG_PATH": str(wrapper)})
    # 0.79 s x 10 fps = 7.9: frame 7, saved under the default name
    proc = subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "still", str(css_project),
         "--time", "0.79"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    default = css_project / "renders" / "mixed_frame7.png"
    assert f"Saved frame 7 (640x360) to {default.resolve()}" in proc.stdout
    assert _md5(default) == _md5(css_sequence / "frame_000007.png")
    assert not log.exists(), f"FFmpeg was started: {log.read_text()}"


def test_jpeg_still(css_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "clip.jpg"
    result = render_still(StillOptions(css_project, time="0.7", output=out))
    assert result.frame == 7
    frame = frame_rgb(out, 0)
    assert (frame.width, frame.height) == (640, 360)
    assert near(pixel(frame, *CLIP_A_POINT), CLIP_A_COLOUR, 10)


def test_resolution_supersamples(css_project: Path, tmp_path: Path) -> None:
    out = render_still(
        StillOptions(css_project, frame=7, output=tmp_path / "big.png", resolution="1280x720")
    ).output
    frame = frame_rgb(out, 0)
    assert (frame.width, frame.height) == (1280, 720)
    x, y = CLIP_A_POINT
    assert near(pixel(frame, x * 2, y * 2), CLIP_A_COLOUR, 10)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"frame": 20}, "Frame 20 is outside the composition, which has 20 frames (0-19)"),
        ({"frame": -1}, "Frame -1 is outside the composition"),
        ({"time": "2.0"}, "The time 2 s is outside the composition, which is 2 s long"),
        ({"time": "soon"}, '--time "soon" is not a time'),
        ({"frame": 1, "output": "x.gif"}, "does not end in .png or .jpg"),
    ],
)
def test_bad_requests_are_sentences(
    css_project: Path, tmp_path: Path, options: dict, words: str
) -> None:
    if "output" in options:
        options["output"] = tmp_path / options["output"]
    with pytest.raises(RenderInputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        render_still(StillOptions(css_project, **options))
    assert os.listdir(tmp_path) == []


def test_cli_exit_codes(css_project: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    base = [sys.executable, "-m", "hyperframes_desktop.cli", "still", str(css_project)]
    for extra, code, words in [
        (["--frame", "99"], 2, "outside the composition"),
        (["--frame", "1", "--time", "0.1"], 2, "not allowed with argument"),
        ([], 2, "one of the arguments --frame --time is required"),
    ]:
        proc = subprocess.run([*base, *extra], env=cli_env(tmp_path), capture_output=True,
                              text=True, timeout=120, check=False)  # fmt: skip
        assert proc.returncode == code, proc.stderr
        assert words in proc.stderr
        assert "Traceback" not in proc.stderr


def test_cli_still_takes_variables(tmp_path: Path) -> None:
    import subprocess
    import sys

    from test_resolution_and_variables import CHILD, VARS

    project = write_project(tmp_path / "v", VARS, {"compositions/child.html": CHILD})
    out = tmp_path / "v.png"
    proc = subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "still", str(project), "--frame", "2",
         "-o", str(out), "--variables", '{"bg": "#ffff00"}'],
        env=cli_env(tmp_path), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    frame = frame_rgb(out, 0)
    assert pixel(frame, 80, 90) == (255, 255, 0), "the root variable's value"
    assert pixel(frame, 240, 90) == (0, 0, 255), "the host's value for the child"


def _rgba(png: Path) -> bytes:
    result = subprocess.run(
        [shutil.which("ffmpeg") or "ffmpeg", "-v", "error", "-i", str(png), "-f", "rawvideo",
         "-pix_fmt", "rgba", "-"],
        capture_output=True, check=True, timeout=60,
    )  # fmt: skip
    return result.stdout


@pytest.mark.parametrize(("sample", "frame"), [("kinetic-css", 40), ("lower-third", 55)])
def test_shared_sample_still_equals_its_png_sequence_frame(
    sample: str, frame: int, tmp_path: Path
) -> None:
    """The shared CSS and GSAP samples: the still equals that frame of a png-sequence render
    (a one-frame range render, whose frames equal a full render's: see test_frame_range),
    byte for byte: kinetic-css's scaling CSS animation is the case that once depended on the
    frames a view drew before (see test_render_determinism)."""
    from support import copy_sample

    project = copy_sample(sample, tmp_path / sample)
    sequence = RenderJob(
        RenderOptions(project=project, output=tmp_path / "seq", format="png-sequence",
                      frames=(frame, frame))
    ).run().output  # fmt: skip
    still = render_still(StillOptions(project, frame=frame, output=tmp_path / "still.png"))
    mine, theirs = _rgba(still.output), _rgba(sequence / f"frame_{frame:06d}.png")
    assert len(mine) == len(theirs) == 1280 * 720 * 4
    differ = sum(1 for a, b in zip(mine, theirs, strict=True) if a != b)
    assert differ == 0, f"{differ} channel values differ"
