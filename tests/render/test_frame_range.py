"""Frame-range renders (``RenderOptions.frames`` / ``render --frames START-END``): exactly the
frames asked for, with the pixels of those frames in a full render and sound as long as the
video, cut from the same place in the mix."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import all_frames_rgb, frame_md5s, video_info, write_project
from support.compositions import mixed_html
from support.rendering import run_cli
from test_audio_mix import audio_stream, level_db, make_tone

from hyperframes_desktop.render import RenderInputError, RenderJob, RenderOptions
from hyperframes_desktop.render.frame_range import parse_frame_range, resolve_frames

pytestmark = pytest.mark.slow

#: A tone heard from 1.0 s to 1.5 s of the 2 s (20-frame) composition.
TONE_CLIP = (
    '<audio id="tone" class="clip" src="tone.wav" data-start="1.0" data-duration="0.5"></audio>'
)
RANGE = (5, 14)  # 0.5 s .. 1.5 s: the tone starts half-way through the range


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_project(tmp_path_factory.mktemp("range") / "p", mixed_html(extra=TONE_CLIP))
    make_tone(folder / "tone.wav", seconds=3.0)
    return folder


def _render(project: Path, out: Path, **kw) -> Path:
    return RenderJob(RenderOptions(project=project, output=out, **kw)).run().output


@pytest.fixture(scope="module")
def full_pngs(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("full") / "frames"
    return _render(project, out, format="png-sequence", workers=1)


def _md5(png: Path) -> str:
    (digest,) = frame_md5s(png)
    return digest


def test_png_range_is_pixel_identical_to_those_frames_of_a_full_render(
    project: Path, full_pngs: Path, tmp_path: Path
) -> None:
    out = _render(project, tmp_path / "range", format="png-sequence", frames=RANGE, workers=2)
    files = sorted(p.name for p in out.iterdir())
    # absolute frame numbers, exactly END-START+1 of them
    assert files == [f"frame_{i:06d}.png" for i in range(RANGE[0], RANGE[1] + 1)]
    for name in files:
        assert _md5(out / name) == _md5(full_pngs / name), name


def test_mp4_range_has_the_frames_and_a_matching_slice_of_sound(
    project: Path, tmp_path: Path
) -> None:
    full = _render(project, tmp_path / "full.mp4", quality="draft", workers=1)
    job = RenderJob(
        RenderOptions(project=project, output=tmp_path / "r.mp4", quality="draft", frames=RANGE)
    )
    result = job.run()
    info = video_info(result.output)
    count = RANGE[1] - RANGE[0] + 1
    assert info.frames == count
    assert result.perf.totalFrames == count
    assert result.perf.compositionDurationSeconds == pytest.approx(count / 10)

    sound = audio_stream(result.output)
    assert abs(float(sound["duration"]) - count / 10) < 0.05, "audio as long as the video"
    assert level_db(result.output, 0.05, 0.45) < -60, "silent before the tone (0.5-0.95 s)"
    assert level_db(result.output, 0.55, 0.95) > -30, "the tone plays from 1.0 s = 0.5 s in"

    mine = all_frames_rgb(result.output)
    theirs = all_frames_rgb(full)[RANGE[0] : RANGE[1] + 1]
    for index, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        diff = sum(abs(x - y) for x, y in zip(a.data, b.data, strict=True)) / len(a.data)
        assert diff < 3.0, f"frame {RANGE[0] + index} differs from the full render ({diff:.2f})"


def test_parse_and_resolve() -> None:
    assert parse_frame_range("30-59") == (30, 59)
    assert parse_frame_range(" 7 ") == (7, 7)
    assert resolve_frames(None, 5) == range(5)
    assert resolve_frames((2, 4), 5) == range(2, 5)
    for bad in ("a-b", "3-", "-4", "1-2-3", ""):
        with pytest.raises(RenderInputError, match="not a frame range"):
            parse_frame_range(bad)
    with pytest.raises(RenderInputError, match="starts after it ends"):
        parse_frame_range("9-3")
    with pytest.raises(RenderInputError, match=r"outside the composition, which has 5 frames"):
        resolve_frames((3, 5), 5)


@pytest.mark.parametrize(
    ("arg", "words"),
    [
        ("18-25", "outside the composition, which has 20 frames (0-19)"),
        ("9-3", "starts after it ends"),
        ("ten-twenty", "is not a frame range"),
    ],
)
def test_cli_refuses_a_bad_range_with_exit_2(
    project: Path, tmp_path: Path, arg: str, words: str
) -> None:
    out = tmp_path / "x.mp4"
    proc = run_cli([str(project), "-o", str(out), f"--frames={arg}"], timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert words in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_cli_range_render(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.webm"
    proc = run_cli([str(project), "-o", str(out), "--format", "webm", "--quality", "draft",
                    "--frames", "12-19"])  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert video_info(out).frames == 8
    assert "640x360, 8 frames, 0.80 s of video" in proc.stdout
