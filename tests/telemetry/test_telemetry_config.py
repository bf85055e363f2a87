"""Config file: creation, atomic writes, corrupt / unreadable / read-only cases."""

from __future__ import annotations

import argparse
import io
import json
import os
import stat
import uuid
from pathlib import Path

import pytest
from telemetry_helpers import batches

from hyperframes_desktop.cli import telemetry_cmd
from hyperframes_desktop.telemetry import config, gates, notice
from hyperframes_desktop.telemetry.config import ConfigUnavailable

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
needs_non_root = pytest.mark.skipif(IS_ROOT, reason="root ignores file permissions")


def test_honours_xdg_config_home(isolated: Path) -> None:
    assert config.config_path() == isolated / "hyperframes-desktop" / "config.json"


@posix_only
def test_first_load_creates_a_private_config(isolated: Path) -> None:
    cfg = config.load_config()
    path = config.config_path()
    data = json.loads(path.read_text())
    assert data == {
        "schema_version": config.SCHEMA_VERSION,
        "anonymous_id": cfg.anonymous_id,
        "telemetry_enabled": True,
        "notice_shown": False,
    }
    assert uuid.UUID(cfg.anonymous_id).version == 4
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_anonymous_id_is_created_once(isolated: Path) -> None:
    first = config.load_config().anonymous_id
    assert config.load_config().anonymous_id == first
    assert config.update_config(telemetry_enabled=False).anonymous_id == first
    assert config.update_config(notice_shown=True).anonymous_id == first


def test_writes_are_atomic_and_leave_no_temp_files(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.update_config(notice_shown=True)
    before = config.config_path().read_bytes()

    def crash(*_a: object, **_k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(config.os, "replace", crash)
    with pytest.raises(ConfigUnavailable):
        config.update_config(telemetry_enabled=False)
    # The old file is intact (the write went to a temp file), and the temp file is gone.
    assert config.config_path().read_bytes() == before
    assert sorted(p.name for p in config.config_dir().iterdir()) == ["config.json"]


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"",
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b'{"schema_version": 1, "anonymous_id": "not-a-uuid", '
        b'"telemetry_enabled": true, "notice_shown": true}',
        b'{"schema_version": 1, "anonymous_id": "6f1c3c55-8e55-4c3f-9d5e-0b8f6f0b6c11", '
        b'"telemetry_enabled": "yes", "notice_shown": true}',
        b'{"anonymous_id": "6f1c3c55-8e55-4c3f-9d5e-0b8f6f0b6c11"}',
    ],
    ids=["truncated", "empty", "binary", "list", "bad-uuid", "bad-type", "missing-keys"],
)
def test_corrupt_config_is_kept_aside_and_recreated_off(
    isolated: Path, content: bytes, telemetry_on: object
) -> None:
    path = config.config_path()
    path.write_bytes(content)
    cfg = config.load_config()
    assert cfg.telemetry_enabled is False
    backups = list(path.parent.glob("config.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == content
    assert json.loads(path.read_text())["telemetry_enabled"] is False
    state = gates.telemetry_state()
    assert not state.enabled and state.decided_by == gates.BY_CONFIG


def test_corrupt_file_with_gates_sends_nothing(telemetry_on, make_client) -> None:
    config.config_path().write_text("{{{")
    c = make_client()
    assert c.track("x") is False
    assert c.flush(1.0)
    assert batches(telemetry_on) == []
    # A second corruption does not overwrite the first backup.
    config.config_path().write_text("[[[")
    config.load_config()
    assert len(list(config.config_dir().glob("config.json.corrupt-*"))) == 2


def _assert_off_and_app_still_works(server: object, make_client) -> None:
    state = gates.telemetry_state()
    assert not state.enabled and state.decided_by == gates.BY_CONFIG, state
    c = make_client()
    assert c.track("x", {"a": 1}) is False
    assert c.flush(1.0)
    assert notice.ensure_cli_notice(io.StringIO()) is False
    out = io.StringIO()
    assert telemetry_cmd.run(argparse.Namespace(telemetry_action="status"), out) == 0
    assert "Telemetry:    off" in out.getvalue()
    assert batches(server) == []


def test_unreadable_config_means_off(telemetry_on, make_client) -> None:
    path = config.config_path()
    path.unlink()
    path.mkdir()  # reading a directory fails like an unreadable file, even for root
    with pytest.raises(ConfigUnavailable):
        config.load_config()
    _assert_off_and_app_still_works(telemetry_on, make_client)


@posix_only
@needs_non_root
def test_unreadable_config_permissions_mean_off(telemetry_on, make_client) -> None:
    path = config.config_path()
    path.chmod(0)
    try:
        _assert_off_and_app_still_works(telemetry_on, make_client)
    finally:
        path.chmod(0o600)


def test_uncreatable_config_folder_means_off(
    telemetry_on, make_client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    with pytest.raises(ConfigUnavailable):
        config.load_config()
    _assert_off_and_app_still_works(telemetry_on, make_client)
    rc = telemetry_cmd.run(argparse.Namespace(telemetry_action="disable"), io.StringIO())
    assert rc == 1


def test_read_only_folder_with_valid_config_means_off(
    telemetry_on, make_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An opt-out could not be saved there, so we do not send (os.access says read-only)."""
    real_access = os.access
    folder = str(config.config_dir())
    monkeypatch.setattr(
        config.os,
        "access",
        lambda p, mode, **kw: False if str(p) == folder else real_access(p, mode, **kw),
    )
    _assert_off_and_app_still_works(telemetry_on, make_client)


@posix_only
@needs_non_root
def test_read_only_folder_permissions_mean_off(telemetry_on, make_client) -> None:
    folder = config.config_dir()
    folder.chmod(0o500)
    try:
        _assert_off_and_app_still_works(telemetry_on, make_client)
        with pytest.raises(ConfigUnavailable):
            config.update_config(telemetry_enabled=False)
    finally:
        folder.chmod(0o700)


def test_set_telemetry_enabled_reports_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert config.set_telemetry_enabled(False) is True
    assert config.load_config().telemetry_enabled is False
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    assert config.set_telemetry_enabled(True) is False
