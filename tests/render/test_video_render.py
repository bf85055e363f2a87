"""End to end through the CLI: a ``<video>`` clip renders as the source frame a browser shows
at each output time, its frames are extracted once and then reused from the cache by the next
render of the same project, and a missing video file is a plain input error (exit code 2).

The source video is made by FFmpeg at test time and paints its own frame number as a flat
colour (``video_support.counter_colour``), so one pixel of a decoded output frame says which
source frame it shows.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from support import all_frames_rgb, pixel, write_project
from support.rendering import run_cli
from video_support import composition_html, frame_number, make_counter_video, video_tag

from hyperframes_desktop.render.video_extract import ENTRY_FILE, default_cache_root

pytestmark = pytest.mark.slow

F = Fraction
WIDTH, HEIGHT = 160, 90
FPS = 10
DURATION = 2
SOURCE_FPS = 30  # make_counter_video's default rate; 90 frames = 3 s
#: The clip: shown from 0.5 s for 1 s, starting 1 s into the source, at 1.5x speed.
START, LENGTH, MEDIA_START, RATE = F(1, 2), F(1), F(1), F(3, 2)
BACKGROUND = (0x20, 0x20, 0x20)  # video_support.STAGE_CSS
CSS = f"#v {{ position: absolute; left: 0; top: 0; width: {WIDTH}px; height: {HEIGHT}px; }}"


def project_html(src: str) -> str:
    video = video_tag(
        src,
        float(START),
        float(LENGTH),
        element_id="v",
        media_start=float(MEDIA_START),
        rate=float(RATE),
    )
    return composition_html(video, DURATION, width=WIDTH, height=HEIGHT, fps=str(FPS), css=CSS)


def expected_source_frame(f: int) -> int | None:
    """The source frame output frame ``f`` shows; None outside the clip's window."""
    t = F(f, FPS)
    if not START <= t < START + LENGTH:
        return None
    return math.floor((MEDIA_START + (t - START) * RATE) * SOURCE_FPS)


@dataclass(frozen=True)
class Render:
    perf: dict[str, Any]
    shown: list[int | None]  # the source frame each output frame shows (None: none)
    backgrounds: list[bool]  # whether each output frame is the stage background


def render(project: Path, output: Path) -> Render:
    proc = run_cli([str(project), "-o", str(output), "--json"])
    assert proc.returncode == 0, proc.stderr
    perf = json.loads(proc.stdout)
    frames = all_frames_rgb(output)
    centre = [pixel(frame, WIDTH // 2, HEIGHT // 2) for frame in frames]
    return Render(
        perf=perf,
        shown=[frame_number(rgb) for rgb in centre],
        backgrounds=[
            max(abs(a - b) for a, b in zip(rgb, BACKGROUND, strict=True)) <= 12 for rgb in centre
        ],
    )


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Render, Render, Path]:
    """The same project rendered twice with a cache of its own; and that cache's folder.

    The engine's cache is ``platformdirs.user_cache_path(...)/video-frames``, which honours
    XDG_CACHE_HOME; the CLI inherits this environment, and ``default_cache_root()`` called
    under it names the folder the renders used.
    """
    base = tmp_path_factory.mktemp("video-render")
    project = base / "project"
    make_counter_video(project / "clip.mp4")
    write_project(project, project_html("clip.mp4"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_CACHE_HOME", str(base / "cache"))
        first = render(project, base / "first.mp4")
        second = render(project, base / "second.mp4")
        cache_root = default_cache_root()
    return first, second, cache_root


def test_output_frames_show_the_source_frame_of_their_time(
    renders: tuple[Render, Render, Path],
) -> None:
    first, _, _ = renders
    assert len(first.shown) == FPS * DURATION
    wrong = []
    for f, shown in enumerate(first.shown):
        expected = expected_source_frame(f)
        on_background = first.backgrounds[f]
        if shown != expected or on_background != (expected is None):
            wrong.append((f, shown, expected, on_background))
    assert not wrong, f"(frame, shown, expected, background): {wrong}"
    # the window is really covered: 0.5 s → source frame 30, 1.4 s → 1 + 0.9 × 1.5 s = 70
    assert first.shown[5] == 30 and first.shown[14] == 70


def test_perf_summary_counts_the_video_and_the_cache_miss(
    renders: tuple[Render, Render, Path],
) -> None:
    first, _, _ = renders
    assert first.perf["videoCount"] == 1
    breakdown = first.perf["videoExtractBreakdown"]
    assert breakdown["cacheMisses"] == 1 and breakdown["cacheHits"] == 0
    # 10 output frames in the window, each a different source frame
    assert breakdown["framesExtracted"] == 10


def test_second_render_reuses_the_cached_frames(renders: tuple[Render, Render, Path]) -> None:
    first, second, cache_root = renders
    assert second.perf["videoCount"] == 1
    breakdown = second.perf["videoExtractBreakdown"]
    assert breakdown["cacheHits"] == 1 and breakdown["cacheMisses"] == 0
    assert breakdown["framesExtracted"] == 0
    assert second.shown == first.shown
    entries = sorted(p for p in cache_root.iterdir() if p.is_dir())
    assert [p.name.startswith(".") for p in entries] == [False], entries  # one, no partials
    assert (entries[0] / ENTRY_FILE).is_file()


def test_missing_video_file_is_exit_2_naming_clip_and_file(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", project_html("missing.mp4"))
    output = tmp_path / "x.mp4"
    proc = run_cli([str(project), "-o", str(output)])
    assert proc.returncode == 2, proc.stderr
    assert 'video clip "v"' in proc.stderr and "missing.mp4" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not output.exists()
