"""``hyperframes-desktop doctor`` as users run it: a subprocess with the real FFmpeg, Qt and
folders, and the environment changed the way a broken machine would have it."""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import REPO_ROOT
from support.rendering import cli_env

from hyperframes_desktop import resource_paths
from hyperframes_desktop.cli import doctor_checks, doctor_cmd

EXPECTED_IDS = [
    "app",
    "python",
    "qt",
    "qtwebengine",
    "qtmultimedia",
    "audio_output",
    "ffmpeg",
    "ffprobe",
    "encoders",
    "sandbox",
    "fonts",
    "webgl",
    "config",
    "data",
    "cache",
    "temp",
    "display",
    "telemetry",
    "registry",
    "resource_cache",
    "render_cache",
]
_TOOL_VARS = ("HYPERFRAMES_FFMPEG_PATH", "HYPERFRAMES_FFPROBE_PATH")


def run_doctor(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    base = cli_env()
    for name in _TOOL_VARS:
        base.pop(name, None)
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "doctor", *args],
        cwd=str(cwd or REPO_ROOT),
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def parsed(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout)


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in report["checks"]}


def test_json_report_on_a_working_machine(tmp_path: Path) -> None:
    result = run_doctor("--json", cwd=tmp_path)
    report = parsed(result)
    assert result.returncode == 0, result.stdout
    assert report["ok"] is True and report["blocking"] == []
    checks = by_id(report)
    assert [c["id"] for c in report["checks"]] == EXPECTED_IDS
    for check in report["checks"]:
        assert check["status"] in ("ok", "warning"), check
        assert (check["fix"] is None) == (check["status"] == "ok"), check

    assert checks["app"]["data"]["install"] == "checkout"
    assert checks["python"]["data"]["version"] == ".".join(map(str, sys.version_info[:3]))
    import PySide6
    from PySide6 import QtCore

    assert checks["qt"]["data"] == {"version": QtCore.qVersion(), "pyside6": PySide6.__version__}
    assert checks["qtwebengine"]["data"]["chromium"]
    for tool in ("ffmpeg", "ffprobe"):
        assert Path(checks[tool]["data"]["path"]).samefile(shutil.which(tool))
        first_line = subprocess.run(
            [shutil.which(tool), "-version"], capture_output=True, text=True, check=True
        ).stdout.splitlines()[0]
        assert checks[tool]["data"]["version"] in first_line

    formats = checks["encoders"]["data"]["formats"]
    assert formats["mp4"] == {"libx264": True, "aac": True}
    assert formats["webm"] == {"libvpx-vp9": True, "libopus": True}
    assert formats["mov"] == {"prores_ks": True, "aac": True}

    fonts = checks["fonts"]["data"]
    assert fonts["found"] is True
    assert Path(fonts["folder"]) == REPO_ROOT / "resources" / "fonts"
    assert fonts["fonts"][:2] == ["Inter", "Montserrat"] and len(fonts["fonts"]) == 18
    assert all((Path(fonts["folder"]) / f).is_file() for f in fonts["files"])

    for folder in ("config", "data", "cache", "temp"):
        data = checks[folder]["data"]
        assert data["writable"] is True and data["free_bytes"] > 0, data
    # conftest points the XDG folders into a session folder
    assert checks["config"]["data"]["path"].startswith(os.environ["XDG_CONFIG_HOME"])
    assert checks["cache"]["data"]["path"].startswith(os.environ["XDG_CACHE_HOME"])

    root = hasattr(os, "geteuid") and os.geteuid() == 0
    assert checks["sandbox"]["data"]["enabled"] is (not root)
    assert checks["display"]["status"] == "ok"  # QT_QPA_PLATFORM=offscreen, as in CI
    telemetry = checks["telemetry"]["data"]
    assert telemetry["enabled"] is False and telemetry["decided_by"] == "HYPERFRAMES_NO_TELEMETRY"


def test_text_report_says_ready(tmp_path: Path) -> None:
    result = run_doctor(cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Bundled fonts" in result.stdout and "Inter, Montserrat" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1].startswith("Ready to render")


def test_ffmpeg_hidden_from_path_blocks_rendering_and_names_the_fix(tmp_path: Path) -> None:
    """PATH without FFmpeg: ffprobe is missing (no fallback exists for it), so rendering is
    blocked; FFmpeg itself may still come from imageio-ffmpeg, which doctor says."""
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_doctor("--json", env={"PATH": str(empty)})
    assert result.returncode == 1
    report = parsed(result)
    checks = by_id(report)
    assert report["ok"] is False and "ffprobe" in report["blocking"]
    assert checks["ffprobe"]["status"] == "error"
    assert "apt install ffmpeg" in checks["ffprobe"]["fix"]
    ffmpeg = checks["ffmpeg"]
    if ffmpeg["status"] == "error":
        assert "apt install ffmpeg" in ffmpeg["fix"]
    else:  # the binary that comes with imageio-ffmpeg, not on PATH
        import imageio_ffmpeg

        assert ffmpeg["status"] == "warning"
        assert ffmpeg["data"]["source"] == "imageio-ffmpeg"
        assert ffmpeg["data"]["path"] == imageio_ffmpeg.get_ffmpeg_exe()
        assert "apt install ffmpeg" in ffmpeg["fix"]

    text = run_doctor(env={"PATH": str(empty)})
    assert text.returncode == 1
    assert "ERROR    FFprobe" in text.stdout
    assert "Fix: Install FFmpeg, which includes ffprobe" in text.stdout
    assert "Rendering is blocked by: FFprobe" in text.stdout


def test_tool_variables_pointing_at_non_executables(tmp_path: Path) -> None:
    not_a_program = tmp_path / "ffmpeg.txt"
    not_a_program.write_text("not a program", encoding="utf-8")
    env = {name: str(not_a_program) for name in _TOOL_VARS}
    result = run_doctor("--json", env=env)
    assert result.returncode == 1
    report = parsed(result)
    checks = by_id(report)
    assert {"ffmpeg", "ffprobe"} <= set(report["blocking"])
    assert "HYPERFRAMES_FFMPEG_PATH" in checks["ffmpeg"]["fix"]
    assert str(not_a_program) in checks["ffmpeg"]["detail"]
    assert "HYPERFRAMES_FFPROBE_PATH" in checks["ffprobe"]["fix"]
    assert checks["encoders"]["status"] == "skipped"


def test_an_ffmpeg_without_an_encoder_blocks_that_format(tmp_path: Path) -> None:
    """An FFmpeg built without libopus (the real binary, its encoder list filtered)."""
    wrapper = tmp_path / "ffmpeg"
    wrapper.write_text(
        f'#!/bin/sh\n"{shutil.which("ffmpeg")}" "$@" | grep -v " libopus "\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    result = run_doctor("--json", env={"HYPERFRAMES_FFMPEG_PATH": str(wrapper)})
    assert result.returncode == 1
    encoders = by_id(parsed(result))["encoders"]
    assert encoders["status"] == "error"
    assert encoders["data"]["missing"] == ["libopus"]
    assert encoders["data"]["formats"]["webm"] == {"libvpx-vp9": True, "libopus": False}
    assert "webm cannot be rendered" in encoders["detail"]
    assert "mp4" not in encoders["detail"]
    assert "HYPERFRAMES_FFMPEG_PATH" in encoders["fix"]


def test_no_display_is_only_a_warning(tmp_path: Path) -> None:
    env = cli_env()
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "doctor", "--json"],
        cwd=str(tmp_path),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = parsed(result)
    display = by_id(report)["display"]
    if sys.platform.startswith("linux"):
        assert display["status"] == "warning"
        assert "hyperframes-desktop render" in display["fix"]
        assert "display" in report["warnings"]
    assert result.returncode == 0 and report["ok"] is True


def test_missing_fonts_block_rendering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(resource_paths, "package_dir", lambda: tmp_path / "site" / "hf")
    out = io.StringIO()
    code = doctor_cmd.run(argparse.Namespace(json=True), out)
    assert code == 1
    report = json.loads(out.getvalue())
    fonts = by_id(report)["fonts"]
    assert fonts["status"] == "error" and fonts["data"] == {"found": False}
    assert "Fix:" not in fonts["detail"]
    assert fonts["fix"] == resource_paths.REINSTALL_FIX + "."
    assert by_id(report)["app"]["data"]["install"] == "incomplete"


def test_an_unwritable_temp_folder_blocks_rendering_other_folders_warn(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    temp = doctor_checks.check_folder("temp", "Temp folder", a_file / "tmp", True)
    assert temp.status == "error" and temp.blocks_rendering
    assert "TMPDIR" in (temp.fix or "")
    cache = doctor_checks.check_folder("cache", "Cache folder", a_file / "cache", False)
    assert cache.status == "warning" and not cache.blocks_rendering
    assert "XDG_CACHE_HOME" in (cache.fix or "")
    fresh = doctor_checks.check_folder("data", "Data folder", tmp_path / "not" / "yet", False)
    assert fresh.status == "ok" and fresh.data["exists"] is False
    assert not (tmp_path / "not").exists()  # checking creates nothing


def test_needed_encoders_follow_the_formats() -> None:
    needed = doctor_checks.needed_encoders()
    assert needed["mp4"] == ["libx264", "aac"]
    assert needed["webm"] == ["libvpx-vp9", "libopus"]
    assert needed["mov"] == ["prores_ks", "aac"]


def test_software_webgl_names_its_rasterizer_and_a_missing_swiftshader_is_a_warning(
    tmp_path: Path,
) -> None:
    from hyperframes_desktop.render import qt_env

    if qt_env.find_swiftshader() is None:
        pytest.skip("SwiftShader is not installed (apt package chromium-common)")
    env = {qt_env.SOFTWARE_WEBGL_ENV: "auto"}
    webgl = by_id(parsed(run_doctor("--json", env=env, cwd=tmp_path)))["webgl"]
    assert webgl["status"] == "ok" and "SwiftShader" in webgl["detail"], webgl
    assert webgl["data"]["backend"] == "swiftshader"
    env[qt_env.SWIFTSHADER_DIR_ENV] = str(tmp_path / "nowhere")
    result = run_doctor("--json", env=env, cwd=tmp_path)
    webgl = by_id(parsed(result))["webgl"]
    assert webgl["status"] == "warning" and "llvmpipe" in webgl["detail"], webgl
    assert "apt install chromium-common" in webgl["fix"]
    assert result.returncode == 0  # renders still work
