"""``hyperframes-desktop render`` as users run it: a real subprocess, real renders."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import threading
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from support import (
    child_processes_of_tmp,
    describe,
    partial_files,
    scratch_left,
    video_info,
    wait_until_gone,
    write_project,
)
from support.compositions import broken_timeline_html, long_html, mixed_html
from support.rendering import cli_command, cli_env, run_cli

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 1, 2, 130
_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert 'File "' not in stderr, stderr


def videos_under(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.mp4"))


# --------------------------------------------------------------------------- success


@pytest.mark.slow
def test_render_exits_0_and_prints_a_summary(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", mixed_html())
    # no PROJECT argument (defaults to the current folder), no -o (defaults to renders/ID.mp4)
    result = run_cli([], cwd=project, marker=tmp_path)
    assert result.returncode == EXIT_OK, result.stderr
    no_traceback(result.stderr)
    output = (project / "renders" / "mixed.mp4").resolve()
    assert output.is_file()
    info = video_info(output)
    assert (info.codec, info.pix_fmt, info.frames) == ("h264", "yuv420p", 20)

    out = result.stdout
    assert f"Rendered {output}" in out
    assert "640x360, 20 frames, 2.00 s of video" in out
    size = re.search(r"of video, (\d+(?:\.\d)?) (B|KB|MB|GB)", out)
    assert size is not None, out
    shown = float(size[1]) * _UNITS[size[2]]
    assert shown == pytest.approx(output.stat().st_size, rel=0.05)
    assert re.search(r"took \d+\.\d\d s \(\d+\.\d\dx real time\)", out), out
    stages = re.search(r"stages: (.+)", out)
    assert stages is not None, out
    for name in ("compile", "capture", "encode"):
        assert re.search(rf"\b{name} \d+\.\d\ds", stages[1]), stages[1]
    # plain progress lines on a non-terminal stderr
    assert "Capturing..." in result.stderr
    assert re.search(r"\d+/20 frames", result.stderr), result.stderr
    assert partial_files(project) == []


@pytest.fixture(scope="module")
def json_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    root = tmp_path_factory.mktemp("cli-json")
    project = write_project(root / "project", mixed_html())
    output = root / "out" / "ntsc.mp4"
    result = run_cli(
        [str(project), "-o", str(output), "--fps", "30000/1001", "--quality", "draft", "--json"]
    )
    assert result.returncode == EXIT_OK, result.stderr
    no_traceback(result.stderr)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, f"--json must print one JSON object: {result.stdout!r}"
    data = json.loads(lines[0])
    assert isinstance(data, dict)
    return data, output


@pytest.mark.slow
def test_json_prints_the_perf_summary(json_run: tuple[dict[str, Any], Path]) -> None:
    data, output = json_run
    assert Path(data["output"]) == output.resolve()
    # ceil(2 s x 30000/1001 fps) = 60 frames
    assert data["totalFrames"] == 60
    assert data["fps"] == pytest.approx(30000 / 1001)
    assert data["compositionDurationSeconds"] == pytest.approx(2.0)
    assert data["resolution"] == {"width": 640, "height": 360}
    assert data["quality"] == "draft"
    stages = data["stages"]
    for key in ("compileMs", "captureMs", "encodeMs", "assembleMs"):
        assert isinstance(stages[key], int | float) and stages[key] >= 0, key
    assert stages["captureMs"] > 0
    assert 0 < data["captureP50Ms"] <= data["capturePeakMs"]
    assert 0 < data["captureAvgMs"] <= data["capturePeakMs"]
    assert data["peakRssMb"] > 0
    assert data["tmpPeakBytes"] > 0
    assert data["totalElapsedMs"] > 0
    assert data["workers"] >= 1
    assert data["outputBytes"] == output.stat().st_size


@pytest.mark.slow
def test_json_render_has_the_rational_frame_rate(json_run: tuple[dict[str, Any], Path]) -> None:
    _, output = json_run
    info = video_info(output)
    assert info.frames == 60
    assert info.rate == Fraction(30000, 1001)
    assert info.duration == pytest.approx(60 * 1001 / 30000, abs=0.01)


@pytest.mark.slow
def test_json_includes_the_speed_ratio(json_run: tuple[dict[str, Any], Path]) -> None:
    data, _ = json_run
    speed = {k: v for k, v in data.items() if k.lower().replace("_", "").startswith("speed")}
    assert speed, f"no speed field among {sorted(data)}"
    (value,) = speed.values()
    expected = data["compositionDurationSeconds"] * 1000 / data["totalElapsedMs"]
    assert value == pytest.approx(expected, rel=0.01)


# --------------------------------------------------------------------------- bad input

ROOT = 'data-composition-id="main" data-width="640" data-height="360" data-duration="2"'


def page(root: str = ROOT, body: str = "") -> str:
    return (
        "<!doctype html>\n<html><head><title>t</title></head><body>\n"
        f'<div id="root" {root} data-no-timeline>\n{body}\n</div>\n</body></html>\n'
    )


def _root_without(attribute: str) -> str:
    return re.sub(rf'\s{attribute}="[^"]*"', "", ROOT)


BAD_PROJECTS: list[tuple[str, str | None, dict[str, str], list[str], list[str]]] = [
    # id, index.html (None: none), other files, extra args, expected message parts
    ("no-index", None, {}, [], ["has no index.html"]),
    (
        "missing-width",
        page(_root_without("data-width")),
        {},
        [],
        ["index.html: the root element has no data-width", 'add data-width="1920"'],
    ),
    (
        "invalid-height",
        page(ROOT.replace('data-height="360"', 'data-height="abc"')),
        {},
        [],
        ['index.html: data-height "abc" must be a positive whole number of pixels'],
    ),
    (
        "invalid-width-px",
        page(ROOT.replace('data-width="640"', 'data-width="640px"')),
        {},
        [],
        ['index.html: data-width "640px" must be a positive whole number of pixels'],
    ),
    (
        "missing-duration",
        page(_root_without("data-duration")),
        {},
        [],
        [
            "index.html: the root element has no data-duration and the composition registers "
            "no GSAP timeline"
        ],
    ),
    (
        "zero-duration",
        page(ROOT.replace('data-duration="2"', 'data-duration="0"')),
        {},
        [],
        ['index.html: data-duration "0" must be a positive number of seconds'],
    ),
    (
        "negative-duration",
        page(ROOT.replace('data-duration="2"', 'data-duration="-2"')),
        {},
        [],
        ['index.html: data-duration "-2" must be a positive number of seconds'],
    ),
    (
        "unknown-clip",
        page(
            body='<div id="a" class="clip" data-start="0" data-duration="1"></div>\n'
            '<div id="b" class="clip" data-start="intro + 0.5" data-duration="1"></div>'
        ),
        {},
        [],
        ['data-start "intro + 0.5" refers to an unknown clip', 'no clip with id "intro"'],
    ),
    (
        "cycle",
        page(
            body='<div id="a" class="clip" data-start="b" data-duration="1"></div>\n'
            '<div id="b" class="clip" data-start="a + 0.5" data-duration="1"></div>'
        ),
        {},
        [],
        ["relative data-start values form a cycle", "a -> b -> a"],
    ),
    (
        "not-html",
        page(),
        {"notes.txt": "<p>some notes</p>"},
        ["-c", "notes.txt"],
        ["notes.txt: this is not an HTML text file"],
    ),
    (
        "missing-composition",
        page(),
        {},
        ["-c", "compositions/gone.html"],
        ["compositions/gone.html: the composition file does not exist"],
    ),
]


@pytest.mark.parametrize(
    ("index_html", "files", "extra", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_PROJECTS],
)
def test_bad_project_exits_2_with_its_message(
    tmp_path: Path,
    index_html: str | None,
    files: dict[str, str],
    extra: list[str],
    expected: list[str],
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    if index_html is not None:
        write_project(project, index_html, files)
    result = run_cli([str(project), *extra], timeout=60)
    assert result.returncode == EXIT_BAD_INPUT, (result.returncode, result.stderr)
    no_traceback(result.stderr)
    assert result.stdout == ""
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("hyperframes-desktop: "), result.stderr
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"
    assert "Fix:" in message  # every project error says how to fix it
    assert videos_under(tmp_path) == []
    assert not (project / "renders").exists()


def test_missing_project_folder_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    result = run_cli([str(missing)], timeout=60)
    assert result.returncode == EXIT_BAD_INPUT, (result.returncode, result.stderr)
    no_traceback(result.stderr)
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith(f"hyperframes-desktop: {missing}: the project folder does not exist.")
    assert "Fix:" in message
    assert not missing.exists()


@pytest.mark.parametrize(
    ("fps", "expected"),
    [
        ("0", 'frame rate "0" must be greater than 0 and at most 240'),
        ("500", 'frame rate "500" must be greater than 0 and at most 240'),
        ("-24", "must be greater than 0 and at most 240"),
        ("abc", 'frame rate "abc" is not a number or a fraction like 30000/1001'),
        ("30/0", 'frame rate "30/0" divides by zero'),
    ],
    ids=["zero", "too-high", "negative", "not-a-number", "divide-by-zero"],
)
def test_bad_fps_exits_2(tmp_path: Path, fps: str, expected: str) -> None:
    project = write_project(tmp_path / "project", page())
    result = run_cli([str(project), "--fps", fps], timeout=60)
    assert result.returncode == EXIT_BAD_INPUT, (result.returncode, result.stderr)
    no_traceback(result.stderr)
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith(f'hyperframes-desktop: --fps "{fps}": '), message
    assert expected in message
    assert videos_under(tmp_path) == []


def test_bad_quality_is_rejected_by_argparse_with_exit_2(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", page())
    result = run_cli([str(project), "--quality", "ultra"], timeout=60)
    assert result.returncode == EXIT_BAD_INPUT
    no_traceback(result.stderr)
    assert "usage:" in result.stderr
    assert "invalid choice: 'ultra'" in result.stderr
    assert "draft" in result.stderr and "standard" in result.stderr and "high" in result.stderr
    assert videos_under(tmp_path) == []


# --------------------------------------------------------------------------- failure


@pytest.mark.slow
def test_render_failure_exits_1_and_keeps_the_existing_file(tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", broken_timeline_html())
    output = tmp_path / "out" / "broken.mp4"
    output.parent.mkdir()
    output.write_bytes(b"previous render")
    result = run_cli([str(project), "-o", str(output)], marker=tmp_path, timeout=120)
    assert result.returncode == EXIT_FAILED, (result.returncode, result.stderr)
    no_traceback(result.stderr)
    assert result.stdout == ""
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("hyperframes-desktop: render failed during capture: ")
    assert 'window.__timelines["broken"]' in message
    assert output.read_bytes() == b"previous render"
    assert [p.name for p in output.parent.iterdir()] == ["broken.mp4"]
    assert scratch_left(tmp_path / "tmp") == []
    left = wait_until_gone(lambda: child_processes_of_tmp(str(tmp_path)), timeout=5)
    assert left == [], describe(left)


# --------------------------------------------------------------------------- Ctrl+C


class StderrReader(threading.Thread):
    """Collects a child's stderr lines as they arrive."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        super().__init__(daemon=True)
        self.proc = proc
        self.lines: list[str] = []
        self._lock = threading.Lock()

    def run(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._lock:
                self.lines.append(line)

    def text(self) -> str:
        with self._lock:
            return "".join(self.lines)

    def wait_for(self, pattern: str, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.text()):
                return True
            if self.proc.poll() is not None:
                time.sleep(0.2)
                return bool(re.search(pattern, self.text()))
            time.sleep(0.05)
        return False


@pytest.mark.slow
def test_ctrl_c_exits_130_and_leaves_nothing(tmp_path: Path) -> None:
    marker = str(tmp_path)
    project = write_project(tmp_path / "project", long_html())
    output = tmp_path / "out" / "long.mp4"
    proc = subprocess.Popen(
        cli_command(str(project), "-o", str(output)),
        env=cli_env(tmp_path),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reader = StderrReader(proc)
    reader.start()
    try:
        assert reader.wait_for(r"\d+/300 frames", timeout=90), reader.text()
        running = child_processes_of_tmp(marker)
        names = {p.name() for p in running if p.is_running()}
        assert "ffmpeg" in names, describe(running)  # the scan sees the render's processes
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(10)
    assert proc.stdout is not None
    stdout = proc.stdout.read()
    stderr = reader.text()
    assert code == EXIT_CANCELLED, stderr
    no_traceback(stderr)
    assert "render cancelled; no file was written" in stderr
    assert stdout == ""
    assert not output.exists()
    assert partial_files(output.parent) == []
    assert videos_under(tmp_path) == []
    time.sleep(2)
    left = wait_until_gone(lambda: child_processes_of_tmp(marker), timeout=5)
    assert left == [], f"processes outlived Ctrl+C: {describe(left)}"
    assert scratch_left(tmp_path / "tmp") == []
