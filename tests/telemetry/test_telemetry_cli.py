"""The first-run notice and ``telemetry status|enable|disable`` (in process and as a CLI)."""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import pytest
from telemetry_helpers import (
    ROOT,
    TEST_KEY,
    batches,
    collect_payloads,
    debug_payloads,
    run_py,
    sent_events,
    subprocess_env,
)

from hyperframes_desktop.cli import telemetry_cmd
from hyperframes_desktop.telemetry import config, gates, notice

HAS_CLI_MAIN = (ROOT / "hyperframes_desktop" / "cli" / "__main__.py").exists()
needs_cli_main = pytest.mark.skipif(
    not HAS_CLI_MAIN, reason="hyperframes_desktop.cli.__main__ (the lead's CLI) not there yet"
)


def run_cmd(action: str | None) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    telemetry_cmd.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["telemetry"] if action is None else ["telemetry", action])
    out = io.StringIO()
    rc = args.func(args, out)
    return rc, out.getvalue()


# --------------------------------------------------------------------------- notice


def test_notice_says_what_is_collected_what_never_is_and_how_to_opt_out() -> None:
    text = notice.NOTICE_TEXT
    assert "Collected:" in text and "Never collected:" in text
    assert "hyperframes-desktop telemetry disable" in text
    assert "HYPERFRAMES_NO_TELEMETRY=1" in text and "DO_NOT_TRACK=1" in text


def test_cli_notice_is_printed_once_and_recorded_before_the_first_event(
    telemetry_on, make_client
) -> None:
    config.update_config(notice_shown=False)
    c = make_client()
    assert c.track("before notice") is False
    err = io.StringIO()
    assert notice.ensure_cli_notice(err) is True
    assert "Never collected" in err.getvalue()
    assert config.load_config().notice_shown is True
    assert notice.ensure_cli_notice(err) is False  # once only
    assert c.track("after notice") is True
    assert c.flush(1.0)
    assert [e["event"] for e in sent_events(telemetry_on)] == ["after notice"]


def test_cli_notice_defaults_to_stderr(telemetry_on, capsys) -> None:
    config.update_config(notice_shown=False)
    assert notice.ensure_cli_notice() is True
    captured = capsys.readouterr()
    assert "Never collected" in captured.err and captured.out == ""


def test_no_notice_when_telemetry_is_off_for_another_reason(monkeypatch) -> None:
    # Default test env: no key -> nothing to announce, nothing recorded.
    assert notice.ensure_cli_notice(io.StringIO()) is False
    assert config.load_config().notice_shown is False


def test_studio_notice_flow(telemetry_on) -> None:
    config.update_config(notice_shown=False)
    assert notice.notice_pending() is True
    assert notice.record_notice_shown() is True
    assert notice.notice_pending() is False
    assert gates.telemetry_state().enabled


# --------------------------------------------------------------------------- command


def test_status_prints_state_decider_path_and_id(telemetry_on) -> None:
    rc, out = run_cmd("status")
    assert rc == 0
    assert "Telemetry:    on" in out
    assert "Decided by:   config" in out
    assert f"Config file:  {config.config_path()}" in out
    assert f"Anonymous id: {config.load_config().anonymous_id}" in out


def test_status_is_the_default_action(telemetry_on) -> None:
    assert run_cmd(None) == run_cmd("status")


@pytest.mark.parametrize(
    ("setup", "decider"),
    [
        ({"DO_NOT_TRACK": "yes"}, "env var DO_NOT_TRACK"),
        ({"HYPERFRAMES_NO_TELEMETRY": "1"}, "env var HYPERFRAMES_NO_TELEMETRY"),
        ({gates.ENV_KEY: "nope"}, "unconfigured build"),
        ({gates.ENV_DEV_OVERRIDE: "0"}, "dev mode"),
    ],
)
def test_status_names_what_decided(telemetry_on, monkeypatch, setup, decider) -> None:
    monkeypatch.setattr(gates, "_is_source_checkout", lambda: True)
    for name, value in setup.items():
        monkeypatch.setenv(name, value)
    rc, out = run_cmd("status")
    assert rc == 0 and "Telemetry:    off" in out and f"Decided by:   {decider}" in out


def test_disable_then_enable(telemetry_on, make_client) -> None:
    rc, out = run_cmd("disable")
    assert rc == 0 and "Telemetry:    off" in out and "Decided by:   config" in out
    assert config.load_config().telemetry_enabled is False
    assert make_client().track("x") is False
    rc, out = run_cmd("enable")
    assert rc == 0 and "Never collected" in out and "Telemetry:    on" in out
    assert config.load_config().telemetry_enabled is True


def test_enable_records_the_notice(telemetry_on) -> None:
    config.update_config(notice_shown=False, telemetry_enabled=False)
    rc, _ = run_cmd("enable")
    assert rc == 0 and config.load_config().notice_shown is True


def test_unknown_action_is_rejected() -> None:
    with pytest.raises(SystemExit):
        run_cmd("maybe")


# --------------------------------------------------------------------------- processes


def _cli(*args: str, **env: str):
    return run_py(["-m", "hyperframes_desktop.cli", "telemetry", *args], subprocess_env(**env))


@needs_cli_main
def test_cli_status_process(isolated: Path) -> None:
    proc = _cli("status")
    assert proc.returncode == 0, proc.stderr
    assert "Telemetry:" in proc.stdout and str(isolated) in proc.stdout


@needs_cli_main
def test_cli_disable_process_stops_events(telemetry_on, make_client) -> None:
    proc = _cli("disable")
    assert proc.returncode == 0, proc.stderr
    assert config.load_config().telemetry_enabled is False
    c = make_client()
    assert c.track("x") is False
    assert c.flush(1.0)
    assert batches(telemetry_on) == []
    proc = _cli("enable")
    assert proc.returncode == 0 and config.load_config().telemetry_enabled is True


TRACK_AND_FLUSH = """
import sys, time
from hyperframes_desktop.telemetry import ensure_cli_notice, get_client, track_render_error
ensure_cli_notice()
track_render_error("capture", 12.0, OSError(2, "No such file", sys.argv[1]))
t0 = time.monotonic()
ok = get_client().flush(1.0)
print(f"{ok} {time.monotonic() - t0:.3f} {time.monotonic():.6f}")
"""


def test_cli_like_process_exits_promptly_with_a_hanging_endpoint(
    telemetry_on, hanging_url: str, tmp_path: Path
) -> None:
    config.update_config(notice_shown=False)
    env = subprocess_env(
        **{gates.ENV_HOST: hanging_url, "HYPERFRAMES_TELEMETRY_DEBOUNCE_MS": "1000"}
    )
    proc = run_py(["-c", TRACK_AND_FLUSH, str(tmp_path / "project" / "index.html")], env)
    ended = time.monotonic()
    assert proc.returncode == 0, proc.stderr
    ok, flush_s, printed_at = proc.stdout.split()
    assert ok == "False"  # the endpoint never answered...
    assert float(flush_s) <= 1.2  # ...but flush kept its bound
    assert ended - float(printed_at) < 1.0, "interpreter exit waited on the hung sender"
    assert "Never collected" in proc.stderr  # the notice came first, on stderr
    assert config.load_config().notice_shown is True


def test_debug_mode_process_prints_payload_and_sends_nothing(telemetry_on, tmp_path: Path) -> None:
    env = subprocess_env(HYPERFRAMES_TELEMETRY_DEBUG="1")
    proc = run_py(["-c", TRACK_AND_FLUSH, str(tmp_path / "Secret Client" / "index.html")], env)
    assert proc.returncode == 0, proc.stderr
    (payload,) = debug_payloads(proc.stderr)
    collect_payloads([payload])
    (event,) = payload["batch"]
    assert payload["api_key"] == TEST_KEY and event["event"] == "render_error"
    assert "Secret" not in event["properties"]["error_message"]
    assert batches(telemetry_on) == []
