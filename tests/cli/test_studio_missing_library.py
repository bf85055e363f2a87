"""A studio that cannot load a system library says which one and what to install, never a
traceback (a pip-installed app on a machine without PulseAudio's client library, libpulse0,
which QtMultimedia links for the preview's sound)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.rendering import cli_env

from hyperframes_desktop.cli.studio_cmd import missing_studio_library

REPO = Path(__file__).resolve().parents[2]


def test_nothing_is_missing_here() -> None:
    assert missing_studio_library() is None


def test_a_missing_libpulse_is_named_with_its_package(tmp_path: Path) -> None:
    broken = tmp_path / "lib"
    broken.mkdir()
    (broken / "libpulse.so.0").write_bytes(b"")  # found first, cannot be loaded
    env = cli_env(extra={
        "LD_LIBRARY_PATH": str(broken),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(REPO),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "HYPERFRAMES_NO_TELEMETRY": "1",
    })  # fmt: skip
    demo = str(REPO / "resources" / "demo")
    proc = subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", "studio", demo],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-3000:])
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    message = proc.stderr.strip().splitlines()[-1]
    assert message.startswith("hyperframes-desktop: the studio cannot start: the system library "
                              "libpulse.so.0 could not be loaded"), message  # fmt: skip
    assert "Fix: install it (Debian/Ubuntu: sudo apt install libpulse0)" in message
