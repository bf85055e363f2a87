"""``doctor``'s preview-sound checks, run as users run it (a subprocess with the real Qt):
QtMultimedia loads or names the missing system library and its package; an audio output is
found on a real (PulseAudio null sink) device, and its absence is a warning that the preview
will be silent. Neither blocks rendering."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import REPO_ROOT
from support.pulse import PULSEAUDIO, pulse_server
from support.rendering import cli_env


def doctor_json(tmp_path: Path, extra: dict[str, str]) -> tuple[int, dict[str, Any], str]:
    env = cli_env(extra={"PYTHONPATH": str(REPO_ROOT), **extra})
    proc = subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "doctor", "--json"],
        cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return proc.returncode, json.loads(proc.stdout), proc.stderr


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in report["checks"]}


def test_no_audio_device_warns_that_the_preview_is_silent(tmp_path: Path) -> None:
    # a sound server address nobody answers on: the machine has no audio output
    code, report, stderr = doctor_json(
        tmp_path, {"PULSE_SERVER": f"unix:{tmp_path / 'nobody'}", "PIPEWIRE_REMOTE": "nobody"}
    )
    checks = by_id(report)
    assert checks["qtmultimedia"]["status"] == "ok", checks["qtmultimedia"]
    output = checks["audio_output"]
    assert output["status"] == "warning", output
    assert "no audio output device" in output["detail"]
    assert "preview will be silent" in output["detail"]
    assert "renders still have their sound" in output["detail"]
    assert "sound server" in output["fix"]
    assert output["data"] == {"outputs": [], "default": None}
    assert "audio_output" in report["warnings"]
    assert code == 0 and report["ok"] is True and "audio_output" not in report["blocking"]
    # Qt's own probing chatter is kept out of the user's terminal
    assert "pa_context_connect" not in stderr and "qt.multimedia" not in stderr, stderr


@pytest.mark.skipif(PULSEAUDIO is None, reason="pulseaudio is not installed (bootstrap adds it)")
def test_an_audio_device_is_found_and_named(tmp_path: Path) -> None:
    with pulse_server(tmp_path) as address:
        code, report, _ = doctor_json(tmp_path, {"PULSE_SERVER": address})
    output = by_id(report)["audio_output"]
    assert output["status"] == "ok", output
    assert output["fix"] is None
    assert output["data"]["outputs"], output
    assert output["data"]["default"] in output["data"]["outputs"]
    assert output["detail"].startswith(output["data"]["default"])
    assert "audio_output" not in report["warnings"] and code == 0


def test_a_missing_libpulse_is_a_warning_naming_its_package(tmp_path: Path) -> None:
    broken = tmp_path / "lib"
    broken.mkdir()
    (broken / "libpulse.so.0").write_bytes(b"")  # found first, cannot be loaded
    code, report, _ = doctor_json(tmp_path, {"LD_LIBRARY_PATH": str(broken)})
    checks = by_id(report)
    multimedia = checks["qtmultimedia"]
    assert multimedia["status"] == "warning", multimedia
    assert "libpulse.so.0" in multimedia["detail"] and "renders still work" in multimedia["detail"]
    assert multimedia["fix"] == "install it (Debian/Ubuntu: sudo apt install libpulse0)"
    assert multimedia["data"] == {"library": "libpulse.so.0", "package": "libpulse0"}
    assert checks["audio_output"]["status"] == "skipped"
    # not a blocker (Debian's own FFmpeg links libpulse too, so here it cannot run either,
    # which doctor reports as the blocker it is)
    assert checks["qtwebengine"]["status"] == "ok"
    assert not {"qtmultimedia", "audio_output"} & set(report["blocking"]), report["blocking"]
    assert code == (1 if report["blocking"] else 0)
