"""Redaction, and the privacy check itself (which runs over every payload of the suite)."""

from __future__ import annotations

import getpass
import socket
from pathlib import Path

import pytest
from telemetry_helpers import leaks, sent_events

from hyperframes_desktop.telemetry import events
from hyperframes_desktop.telemetry.redact import redact_text

USER = getpass.getuser()
HOST = socket.gethostname()


@pytest.mark.parametrize(
    "message",
    [
        "No such file: /home/alice/Projects/Launch Video/index.html",
        "No such file: '/Users/alice/My Projects/promo.html'",
        'cannot open "C:\\Users\\alice\\Videos\\Launch Video\\clip.mp4"',
        "write failed C:/Users/alice/out.mp4",
        "share \\\\fileserver\\team\\Launch Video\\a.webm unreachable",
        "see file:///home/alice/Projects/index.html",
        "relative compositions/launch-intro.html broke",
        "cwd ./alice-project/media and ~/Projects/launch",
        "asset launch-secret.png failed to decode",
        "reported by alice@example.com",
    ],
)
def test_redact_removes_paths_and_names(message: str) -> None:
    out = redact_text(message)
    for secret in ("alice", "Launch", "launch", "Projects", "fileserver", "promo"):
        assert secret not in out, out


def test_redact_removes_this_machines_identity(tmp_path: Path) -> None:
    message = f"{USER}@{HOST}: {Path.home()} {tmp_path} user={USER} host={HOST.upper()}"
    out = redact_text(message)
    assert leaks(out, extra=(str(tmp_path),)) == []
    assert "<user>" in out and "<host>" in out


def test_redact_keeps_useful_text() -> None:
    out = redact_text("ffmpeg exited with code 1: Invalid argument at 30000/1001 fps, frame 12")
    assert out == "ffmpeg exited with code 1: Invalid argument at 30000/1001 fps, frame 12"


def test_redact_truncates_and_copes_with_huge_input() -> None:
    out = redact_text("x " * 100_000)
    assert len(out) <= 300


def test_privacy_check_catches_leaks(tmp_path: Path) -> None:
    """The suite-wide check is only worth something if it can fail."""
    assert leaks({"m": f"{Path.home()}/x"}) != []
    assert leaks({"m": f"user {USER}"}) != []
    assert leaks({"m": f"on {HOST}"}) != []
    assert leaks({"m": str(tmp_path)}) != []
    assert leaks({"m": "C:\\Users\\x"}, extra=("C:\\Users\\x",)) != []
    assert leaks({"m": "<path> <user> <host>", "n": 3}) == []


def test_worst_case_error_is_clean_end_to_end(telemetry_on, make_client, tmp_path: Path) -> None:
    project = tmp_path / f"{USER}'s Project on {HOST}"
    error = FileNotFoundError(2, f"missing asset for {USER}", str(project / "assets" / "a.mp4"))
    c = make_client()
    assert events.track_render_error("video_extract", 10, error, client=c)
    assert events.track_studio_render_start(30, "draft", "mp4", (1280, 720), project, client=c)
    assert c.flush(1.0)
    for event in sent_events(telemetry_on):
        assert leaks(event, extra=(str(project), str(tmp_path))) == []


def test_suite_cannot_reach_the_real_network() -> None:
    with pytest.raises(OSError, match="network guard"):
        socket.getaddrinfo("us.i.posthog.com", 443)
