"""Transform-only animations, which Chromium runs on its compositor thread, must be seeked
as exactly as everything else, including on the first frame a capture view grabs."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import all_frames_rgb, span, write_project
from support.compositions import SPIN_COLOUR, SPIN_ROWS, composited_html, spin_left_at
from support.rendering import render_api

pytestmark = pytest.mark.slow

FPS = 10
WORKERS = 4  # every chunk's first frame is a capture view's first seek
ATTEMPTS = 6  # the failure is a race: give it several chances, stop at the first one


def test_transform_only_animations_are_exact_on_every_frame(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", composited_html())
    wrong: list[str] = []
    for attempt in range(ATTEMPTS):
        output = render_api(
            project, tmp_path / f"spin-{attempt}.mp4", quality="draft", workers=WORKERS
        ).output
        frames = all_frames_rgb(output)
        assert len(frames) == 40
        for index, frame in enumerate(frames):
            expected = spin_left_at(index / FPS)
            for name, row in SPIN_ROWS.items():
                found = span(frame, row, SPIN_COLOUR, tol=12)
                if found is None or abs(found[0] - expected) > 2:
                    wrong.append(
                        f"render {attempt}, frame {index}, {name} box: left edge "
                        f"{found[0] if found else None}, expected {expected:g}"
                    )
        if wrong:
            break
    assert not wrong, "; ".join(wrong)
