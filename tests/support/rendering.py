"""Running the engine in-process (RenderJob) and the CLI as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from hyperframes_desktop.render import Progress, RenderJob, RenderOptions, RenderResult
from support.projects import REPO_ROOT

#: Environment variable the tests put a tmp_path into, so that every process a render starts
#: (which inherits it) can be found by ``child_processes_of_tmp``.
MARKER_ENV = "HF_TEST_MARKER"


@dataclass
class ApiRender:
    result: RenderResult
    progress: list[Progress] = field(default_factory=list)

    @property
    def output(self) -> Path:
        return self.result.output


def render_api(
    project: Path,
    output: Path | None,
    *,
    fps: Fraction | None = None,
    quality: str = "standard",
    workers: int | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> ApiRender:
    """Render through the engine API and keep every progress report."""
    seen: list[Progress] = []

    def collect(p: Progress) -> None:
        seen.append(p)
        if on_progress is not None:
            on_progress(p)

    options = RenderOptions(
        project=project, output=output, fps=fps, quality=quality, workers=workers
    )
    result = RenderJob(options, collect).run()
    return ApiRender(result, seen)


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "hyperframes_desktop.cli", "render", *args]


def cli_env(marker: Path | None = None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The session environment (telemetry off, temp XDG dirs); with ``marker``, TMPDIR and
    HF_TEST_MARKER point into it so the render's scratch folder and every process it starts
    are traceable."""
    env = dict(os.environ)
    if marker is not None:
        scratch = marker / "tmp"
        scratch.mkdir(parents=True, exist_ok=True)
        env["TMPDIR"] = str(scratch)
        env[MARKER_ENV] = str(marker)
    env.pop("PYTHONSTARTUP", None)
    env.update(extra or {})
    return env


def run_cli(
    args: Sequence[str],
    *,
    cwd: Path | None = None,
    marker: Path | None = None,
    timeout: float = 180.0,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli_command(*args),
        cwd=str(cwd or REPO_ROOT),
        env=cli_env(marker),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
