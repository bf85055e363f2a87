"""The bundled demo is a new user's first look: it declares variables, carries a sound bed,
lints clean, and its render shows the variables and plays the sound for the whole length."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import REPO_ROOT
from support.media import Frame, assert_colour, frame_rgb, pixel, probe
from support.rendering import run_cli

from hyperframes_desktop.project import variables
from hyperframes_desktop.project.loader import load_composition
from hyperframes_desktop.project.timeline import build_timeline
from hyperframes_desktop.render import tools

DEMO = REPO_ROOT / "resources" / "demo"


def test_the_demo_declares_a_title_and_an_accent_colour() -> None:
    comp = load_composition(DEMO)
    decls = variables.declarations(comp.variables_schema)
    assert decls["title"]["type"] == "string"
    assert decls["accent"]["type"] == "color"
    assert variables.schema_mismatches(comp.variables_schema) == []


def test_the_variables_panel_offers_the_demos_title_and_accent(qtbot) -> None:
    from hyperframes_desktop.ui.variable_fields import ColorField, TextField
    from hyperframes_desktop.ui.variables_panel import VariablesPanel

    panel = VariablesPanel()
    qtbot.addWidget(panel)
    panel.set_composition(DEMO, load_composition(DEMO))
    assert {name: type(field) for name, field in panel.fields.items()} == {
        "title": TextField,
        "accent": ColorField,
    }
    assert panel.fields["title"].value() == "HyperFrames"
    assert panel.fields["accent"].value() == "#ffb547"


def test_the_demo_has_a_sound_bed_clip_over_its_whole_length() -> None:
    comp = load_composition(DEMO)
    (bed,) = [m for m in comp.media if m.path is not None and m.path.suffix == ".ogg"]
    assert bed.path is not None and bed.path.is_file()
    assert bed.start == 0 and bed.duration == comp.duration and 0 < bed.volume <= 1
    # small enough to ship, long enough to cover the composition
    assert bed.path.stat().st_size < 64_000
    info = probe(bed.path)
    (stream,) = info["streams"]
    assert stream["codec_type"] == "audio" and stream["codec_name"] == "opus"
    assert float(info["format"]["duration"]) >= comp.duration


def test_the_timeline_shows_the_sound_bed_as_an_audio_clip_on_its_own_track() -> None:
    timeline = build_timeline(DEMO)
    audio = [c for track in timeline.tracks for c in track.clips if c.kind == "audio"]
    assert [(c.key, c.start_frame, c.end_frame) for c in audio] == [("soundbed", 0, 120)]
    visual_tracks = {c.track for track in timeline.tracks for c in track.clips if c.kind != "audio"}
    assert audio[0].track not in visual_tracks


def test_the_demo_lints_clean_in_strict_mode() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "lint", str(DEMO), "--strict"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _mean_db(path: Path) -> float:
    result = tools.run_tool(
        "ffmpeg",
        [
            "-hide_banner",
            "-nostdin",
            "-i",
            str(path),
            "-vn",
            "-af",
            "volumedetect",
            "-f",
            "null",
            "-",
        ],
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found = re.search(r"mean_volume:\s*(-?[\d.]+|-inf) dB", result.stderr)
    assert found, result.stderr
    return float("-inf") if found.group(1) == "-inf" else float(found.group(1))


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_demo_renders_its_variables_and_its_sound(tmp_path: Path) -> None:
    out = tmp_path / "demo.mp4"
    values = '{"title": "Hello", "accent": "#3080ff"}'
    proc = run_cli(
        [str(DEMO), "-o", str(out), "--quality", "draft", "--variables", values], timeout=600
    )
    assert proc.returncode == 0, proc.stderr

    comp = load_composition(DEMO)
    info = probe(out)
    (audio,) = [s for s in info["streams"] if s["codec_type"] == "audio"]
    assert audio["codec_name"] == "aac"
    assert abs(float(audio["duration"]) - comp.duration) <= 1 / float(comp.fps)
    assert _mean_db(out) > -40, "the sound bed is silent in the render"

    # the page read getVariables(): the accent colours the progress bar, and the title is the
    # short "Hello" (light text where it is, none where the default "HyperFrames" would run on)
    late = frame_rgb(out, comp.frame_count - 10)
    assert_colour(late, 40, 710, (0x30, 0x80, 0xFF), tol=30, what="accent-coloured bar")
    assert _light_pixels(late, range(110, 300)) > 200
    assert _light_pixels(late, range(400, 640)) == 0


def _light_pixels(frame: Frame, xs: range) -> int:
    """Near-white pixels of the title row band (y 240..310) within ``xs``."""
    return sum(1 for y in range(240, 310, 2) for x in xs if min(pixel(frame, x, y)) > 200)
