"""A private PulseAudio server with one null sink (a real audio output device for QtMultimedia),
started on its own socket in a test's folder and stopped by its process id."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PULSEAUDIO = shutil.which("pulseaudio")


@contextmanager
def pulse_server(folder: Path) -> Iterator[str]:
    """Run the server in ``folder``; yields its address for ``PULSE_SERVER``."""
    assert PULSEAUDIO is not None, "pulseaudio is not installed (scripts/bootstrap.sh adds it)"
    home = folder / "pulse"
    home.mkdir(parents=True)
    socket = home / "native"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    proc = subprocess.Popen(
        [PULSEAUDIO, "-n", "--daemonize=no", "--exit-idle-time=-1", "--disable-shm=true",
         "--log-target=stderr", "-L", "module-null-sink sink_name=hf_test",
         "-L", f"module-native-protocol-unix socket={socket} auth-anonymous=1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 15
        while not socket.exists():
            assert proc.poll() is None, f"pulseaudio did not start: {proc.stderr.read()}"
            assert time.monotonic() < deadline, "pulseaudio did not open its socket"
            time.sleep(0.05)
        yield f"unix:{socket}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stderr.close()
