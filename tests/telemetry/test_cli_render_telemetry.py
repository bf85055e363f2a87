"""The render CLI reports how a render went: one render_complete (or render_error) event with
source "cli" and every mapped perf field, delivered to a real loopback server before exit."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from telemetry_helpers import ROOT, TEST_KEY, batches, subprocess_env

from hyperframes_desktop.telemetry import config, gates

pytestmark = pytest.mark.slow

DEMO = ROOT / "resources" / "demo"
MAPPED_FIELDS = {
    "stage_compile_ms", "stage_video_extract_ms", "stage_audio_process_ms", "stage_capture_ms",
    "stage_capture_setup_ms", "stage_capture_frame_ms", "stage_encode_ms", "stage_assemble_ms",
    "capture_avg_ms", "capture_p50_ms", "capture_peak_ms", "extract_phase3_ms",
    "extract_resolve_ms", "extract_cache_hits", "extract_cache_misses",
    "composition_duration_ms", "composition_width", "composition_height", "total_frames",
    "video_count", "speed_ratio", "peak_memory_mb", "memory_free_mb", "tmp_peak_bytes",
    "duration_ms", "fps", "quality", "format", "workers", "source",
}  # fmt: skip


def _render(server: Any, project: Path, out: Path) -> subprocess.CompletedProcess:
    env = subprocess_env(
        **{
            gates.ENV_KEY: TEST_KEY,
            gates.ENV_HOST: server.url_for("/").rstrip("/"),
            gates.ENV_DEV_OVERRIDE: "1",
        }
    )
    env.pop("HYPERFRAMES_NO_TELEMETRY", None)
    cmd = [sys.executable, "-m", "hyperframes_desktop.cli", "render", str(project), "-o", str(out)]
    return subprocess.run(
        [*cmd, "--quality", "draft"], env=env, capture_output=True, text=True, timeout=180
    )


def _events(server: Any) -> list[dict[str, Any]]:
    return [event for body in batches(server) for event in body["batch"]]


def test_cli_render_delivers_one_render_complete(telemetry_on: Any, tmp_path: Path) -> None:
    project = tmp_path / "demo"
    shutil.copytree(DEMO, project)
    proc = _render(telemetry_on, project, tmp_path / "out.mp4")
    assert proc.returncode == 0, proc.stderr
    events = _events(telemetry_on)
    assert [e["event"] for e in events] == ["render_complete"]
    event = events[0]
    props = event["properties"]
    assert props["source"] == "cli"
    assert props["$ip"] is None
    assert event["distinct_id"] == config.load_config().anonymous_id
    assert len(event["uuid"]) == 36
    missing = MAPPED_FIELDS - props.keys()
    assert not missing, f"mapped fields missing: {sorted(missing)}"
    assert props["total_frames"] == 120
    assert props["composition_width"] == 1280 and props["composition_height"] == 720
    assert props["quality"] == "draft" and props["format"] == "mp4"
    assert props["stage_capture_ms"] > 0 and props["speed_ratio"] > 0


def test_failing_cli_render_delivers_render_error(telemetry_on: Any, tmp_path: Path) -> None:
    project = tmp_path / "broken"
    project.mkdir()
    (project / "index.html").write_text(
        '<div data-composition-id="x" data-width="320" data-height="180" data-duration="0"></div>'
    )
    proc = _render(telemetry_on, project, tmp_path / "out.mp4")
    assert proc.returncode == 2
    events = _events(telemetry_on)
    assert [e["event"] for e in events] == ["render_error"]
    props = events[0]["properties"]
    assert props["source"] == "cli"
    assert props["failed_stage"] == "compile"
    assert "data-duration" in props["error_message"]
    assert str(project) not in props["error_message"]
    assert isinstance(props["elapsed_ms"], (int, float))
