"""Each gate alone stops every request; the decision is fresh on every event."""

from __future__ import annotations

import argparse
import io
import json
from typing import Any

import pytest
from telemetry_helpers import TEST_KEY, batches, sent_events

from hyperframes_desktop.cli import telemetry_cmd
from hyperframes_desktop.telemetry import build_config, config, gates, notice

TRUTHY_SPELLINGS = ["1", "true", "TRUE", "True", "yes", "YES", "Yes", "on", "ON", "On", " on "]


def _assert_gate_blocks(server: Any, make_client: Any, decided_by: str) -> None:
    state = gates.telemetry_state()
    assert state.enabled is False
    assert state.decided_by == decided_by, state
    c = make_client()
    assert c.track("render_complete", {"n": 1}) is False
    assert c.track("render_error", {"n": 2}) is False
    assert c.flush(1.0)
    assert c.recent_payloads() == []  # nothing is stored either
    assert c.stats().queued == 0
    assert batches(server) == []


def test_all_gates_open_sends(telemetry_on, make_client) -> None:
    c = make_client()
    assert c.track("render_complete", {"n": 1})
    assert c.flush(1.0)
    assert len(sent_events(telemetry_on)) == 1


@pytest.mark.parametrize("var", gates.OPT_OUT_ENV_VARS)
@pytest.mark.parametrize("value", TRUTHY_SPELLINGS)
def test_env_opt_out_blocks(telemetry_on, make_client, monkeypatch, var: str, value: str) -> None:
    monkeypatch.setenv(var, value)
    _assert_gate_blocks(telemetry_on, make_client, var)


@pytest.mark.parametrize("value", ["0", "false", "no", "off", "", "maybe"])
def test_env_opt_out_ignores_other_values(telemetry_on, monkeypatch, value: str) -> None:
    for var in gates.OPT_OUT_ENV_VARS:
        monkeypatch.setenv(var, value)
    assert gates.telemetry_state().enabled


@pytest.mark.parametrize("key", ["", "abc123", "PHC_uppercase", "phx_typo", " ", "ph_c"])
def test_key_without_phc_prefix_blocks(telemetry_on, make_client, monkeypatch, key: str) -> None:
    monkeypatch.setenv(gates.ENV_KEY, key)
    _assert_gate_blocks(telemetry_on, make_client, gates.BY_BUILD)


def test_unconfigured_source_tree_ships_no_key() -> None:
    assert build_config.POSTHOG_KEY == ""
    assert build_config.TELEMETRY_COMPILED_OUT is False


def test_build_config_key_and_host_are_used(telemetry_on, make_client, monkeypatch) -> None:
    monkeypatch.delenv(gates.ENV_KEY)
    monkeypatch.setattr(build_config, "POSTHOG_KEY", "phc_from_build")
    host = gates.api_host()
    monkeypatch.delenv(gates.ENV_HOST)
    monkeypatch.setattr(build_config, "POSTHOG_HOST", host + "/")
    c = make_client()
    assert c.track("x")
    assert c.flush(1.0)
    assert batches(telemetry_on)[0]["api_key"] == "phc_from_build"
    # The env var overrides the build configuration.
    monkeypatch.setenv(gates.ENV_KEY, TEST_KEY)
    assert gates.api_key() == TEST_KEY


def test_default_host_is_posthog_us(monkeypatch) -> None:
    monkeypatch.delenv(gates.ENV_HOST)
    assert gates.api_host() == "https://us.i.posthog.com"


def test_compiled_out_build_blocks(telemetry_on, make_client, monkeypatch) -> None:
    monkeypatch.setattr(build_config, "TELEMETRY_COMPILED_OUT", True)
    _assert_gate_blocks(telemetry_on, make_client, gates.BY_BUILD)


@pytest.mark.parametrize("host", ["ftp://127.0.0.1", "not a url", "http://"])
def test_invalid_host_blocks(telemetry_on, make_client, monkeypatch, host: str) -> None:
    monkeypatch.setenv(gates.ENV_HOST, host)
    _assert_gate_blocks(telemetry_on, make_client, gates.BY_BUILD)


@pytest.mark.parametrize("override", [None, "0", "false", ""])
def test_dev_mode_blocks_without_override(
    telemetry_on, make_client, monkeypatch, override: str | None
) -> None:
    monkeypatch.setattr(gates, "_is_source_checkout", lambda: True)
    if override is None:
        monkeypatch.delenv(gates.ENV_DEV_OVERRIDE)
    else:
        monkeypatch.setenv(gates.ENV_DEV_OVERRIDE, override)
    _assert_gate_blocks(telemetry_on, make_client, gates.BY_DEV)


def test_this_checkout_counts_as_dev_mode(monkeypatch) -> None:
    monkeypatch.delenv(gates.ENV_DEV_OVERRIDE, raising=False)
    assert gates._is_source_checkout() is True
    assert gates.is_dev_mode() is True
    monkeypatch.setenv(gates.ENV_DEV_OVERRIDE, "1")
    assert gates.is_dev_mode() is False


def test_installed_package_is_not_dev_mode(telemetry_on, monkeypatch) -> None:
    monkeypatch.setattr(gates, "_is_source_checkout", lambda: False)
    monkeypatch.delenv(gates.ENV_DEV_OVERRIDE)
    assert gates.telemetry_state().enabled


def test_opt_out_via_cli_disable_blocks(telemetry_on, make_client) -> None:
    rc = telemetry_cmd.run(argparse.Namespace(telemetry_action="disable"), io.StringIO())
    assert rc == 0
    _assert_gate_blocks(telemetry_on, make_client, gates.BY_CONFIG)


def test_notice_not_shown_blocks(telemetry_on, make_client) -> None:
    config.update_config(notice_shown=False)
    _assert_gate_blocks(telemetry_on, make_client, gates.BY_NOTICE)
    assert notice.ensure_cli_notice(io.StringIO()) is True
    assert gates.telemetry_state().enabled


def test_error_while_deciding_blocks(telemetry_on, make_client, monkeypatch) -> None:
    def boom() -> None:
        raise RuntimeError("surprise")

    monkeypatch.setattr(config, "load_config", boom)
    _assert_gate_blocks(telemetry_on, make_client, gates.BY_ERROR)
    assert "RuntimeError" in gates.telemetry_state().reason


def test_opt_out_between_two_events_stops_the_second(telemetry_on, make_client) -> None:
    c = make_client()
    assert c.track("first")
    assert c.flush(1.0)
    config.set_telemetry_enabled(False)
    assert c.track("second") is False
    assert c.flush(1.0)
    assert [e["event"] for e in sent_events(telemetry_on)] == ["first"]


def test_opt_out_stops_events_already_queued(telemetry_on, make_client) -> None:
    """Gates are checked again at send time, so an opt-out also drops what is queued."""
    c = make_client(debounce_s=30)
    assert c.track("queued before the opt-out")
    config.set_telemetry_enabled(False)
    assert c.flush(1.0)
    assert batches(telemetry_on) == []
    assert c.stats().dropped_by_gate == 1


def test_opt_out_written_by_another_process_is_seen_at_once(telemetry_on, make_client) -> None:
    """No cache: editing the file directly (as a second process would) takes effect."""
    c = make_client()
    path = config.config_path()
    data = json.loads(path.read_text())
    data["telemetry_enabled"] = False
    path.write_text(json.dumps(data))
    assert c.track("x") is False
    data["telemetry_enabled"] = True
    path.write_text(json.dumps(data))
    assert c.track("x") is True
    assert c.flush(1.0)
    assert len(sent_events(telemetry_on)) == 1


def test_env_opt_out_takes_effect_at_once(telemetry_on, make_client, monkeypatch) -> None:
    c = make_client(debounce_s=30)
    assert c.track("a")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    assert c.track("b") is False
    assert c.flush(1.0)
    assert batches(telemetry_on) == []  # "a" was dropped at send time as well


def test_state_reason_is_readable() -> None:
    state = gates.telemetry_state()
    assert isinstance(state.reason, str) and state.reason
    assert state.enabled is False  # the default test environment has no key
