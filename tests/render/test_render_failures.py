"""Renders that fail: a clear RenderError, an untouched existing file, nothing left behind.
Bad requests fail before anything starts."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest
from support import (
    child_processes_of_tmp,
    describe,
    live_children,
    partial_files,
    scratch_left,
    wait_until_gone,
    write_project,
)
from support.compositions import THROWN_MESSAGE, broken_timeline_html, mixed_html
from support.rendering import MARKER_ENV

from hyperframes_desktop.project import ProjectError
from hyperframes_desktop.render import (
    RenderError,
    RenderInputError,
    RenderJob,
    RenderOptions,
)

SENTINEL = b"the previous, good render"
READY_LIMIT_S = 40  # below the parent's silence limit (45 s), far above the grace


@dataclass
class Failure:
    error: BaseException | None
    elapsed_s: float
    output: Path
    left_processes: str
    left_children: str
    scratch_entries: list[str]


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Failure:
    """A composition whose script throws before registering its GSAP timeline, rendered
    over an existing file of the same name, with a page-ready limit far above what the
    failure should take."""
    root = tmp_path_factory.mktemp("broken")
    project = write_project(root / "project", broken_timeline_html())
    output = root / "out" / "broken.mp4"
    output.parent.mkdir()
    output.write_bytes(SENTINEL)
    scratch = root / "tmp"
    scratch.mkdir()
    error: BaseException | None = None
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tempfile, "tempdir", str(scratch))
        mp.setenv(MARKER_ENV, str(root))
        mp.setenv("HYPERFRAMES_READY_TIMEOUT_S", str(READY_LIMIT_S))
        started = time.monotonic()
        try:
            RenderJob(RenderOptions(project=project, output=output)).run()
        except BaseException as exc:
            error = exc
        elapsed = time.monotonic() - started
    return Failure(
        error=error,
        elapsed_s=elapsed,
        output=output,
        left_processes=describe(wait_until_gone(lambda: child_processes_of_tmp(str(root)), 5)),
        left_children=describe(wait_until_gone(live_children, 5)),
        scratch_entries=scratch_left(scratch),
    )


@pytest.mark.slow
def test_missing_timeline_is_a_capture_error_that_names_window_timelines(
    broken: Failure,
) -> None:
    assert isinstance(broken.error, RenderError), repr(broken.error)
    assert not isinstance(broken.error, RenderInputError)
    assert broken.error.stage == "capture"
    message = str(broken.error)
    assert 'window.__timelines["broken"]' in message
    assert "data-no-timeline" in message  # the way out for compositions without GSAP
    assert THROWN_MESSAGE in message  # what the page said went wrong


@pytest.mark.slow
def test_a_page_that_threw_fails_without_waiting_for_the_ready_limit(broken: Failure) -> None:
    """The page reported its error and still has no timeline: the worker gives up after a
    short grace, not after HYPERFRAMES_READY_TIMEOUT_S (a generous correctness bound)."""
    assert THROWN_MESSAGE in str(broken.error)
    assert broken.elapsed_s < READY_LIMIT_S / 4, broken.elapsed_s


@pytest.mark.slow
def test_failed_render_keeps_the_existing_file_and_leaves_no_temp_file(broken: Failure) -> None:
    assert broken.output.read_bytes() == SENTINEL
    assert partial_files(broken.output.parent) == []
    assert [p.name for p in broken.output.parent.iterdir()] == ["broken.mp4"]


@pytest.mark.slow
def test_failed_render_leaves_no_process_and_no_scratch(broken: Failure) -> None:
    assert broken.left_children == ""
    assert broken.left_processes == ""
    assert broken.scratch_entries == []


@pytest.mark.slow
def test_page_error_points_at_the_users_file(broken: Failure) -> None:
    message = str(broken.error)
    assert THROWN_MESSAGE in message
    assert "composition.html" not in message
    assert "(index.html:" in message


# --------------------------------------------------------------------------- bad requests


def test_fps_out_of_range_is_an_input_error_before_anything_starts(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", mixed_html())
    for fps in (Fraction(0), Fraction(500), Fraction(-30)):
        job = RenderJob(RenderOptions(project=project, output=tmp_path / "o.mp4", fps=fps))
        with pytest.raises(RenderInputError, match="out of range"):
            job.run()
    assert not (tmp_path / "o.mp4").exists()
    assert live_children() == []


def test_unknown_quality_and_format_are_input_errors(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", mixed_html())
    with pytest.raises(RenderInputError, match="Unknown quality"):
        RenderJob(RenderOptions(project=project, quality="ultra")).run()
    with pytest.raises(RenderInputError, match="Unknown format"):
        RenderJob(RenderOptions(project=project, format="avi")).run()
    assert not (project / "renders").exists()


def test_bad_project_raises_project_error_from_the_api(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="the project folder does not exist"):
        RenderJob(RenderOptions(project=tmp_path / "missing")).run()
    (tmp_path / "empty").mkdir()
    with pytest.raises(ProjectError, match=r"has no index\.html"):
        RenderJob(RenderOptions(project=tmp_path / "empty")).run()


def test_output_with_a_foreign_extension_is_refused(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", mixed_html())
    with pytest.raises(RenderInputError, match=r"does not end in \.mp4"):
        RenderJob(RenderOptions(project=project, output=tmp_path / "video.mov")).run()
    assert not (tmp_path / "video.mov").exists()


ENDLESS = """<!doctype html><html><body>
<div id="r" data-composition-id="stuck" data-width="160" data-height="90" data-duration="1"
     data-no-timeline></div>
<script>while (true) {}</script></body></html>"""


@pytest.mark.slow
def test_a_page_stuck_in_an_endless_script_fails_clearly(tmp_path: Path) -> None:
    """No hang (run_cli's own timeout would fail the test): the worker gives up after the
    page-ready limit and the render ends with a sentence, not a traceback."""
    from support.rendering import run_cli

    project = write_project(tmp_path / "project", ENDLESS)
    out = tmp_path / "out.mp4"
    proc = run_cli([str(project), "-o", str(out)], marker=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "endless loop" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists() and partial_files(tmp_path) == []
    assert wait_until_gone(lambda: child_processes_of_tmp(str(tmp_path))) == []
