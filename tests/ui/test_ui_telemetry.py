"""Telemetry in the studio, against a real loopback HTTP server."""

from __future__ import annotations

import json
import time
from pathlib import Path

from PySide6.QtCore import Qt
from ui_helpers import BROKEN_PAGE, TEST_KEY, css_page, event_names, make_project, sent_events

from hyperframes_desktop import telemetry
from hyperframes_desktop.telemetry import client as client_mod
from hyperframes_desktop.telemetry import config, gates

SESSION = "studio_session_start"


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _flush() -> None:
    assert telemetry.get_client().flush(5.0)


def test_first_run_notice_comes_once_and_nothing_is_sent_before(
    open_window, telemetry_configured, qtbot
) -> None:
    server = telemetry_configured
    assert telemetry.notice_pending()
    window = open_window(None)
    qtbot.waitUntil(lambda: window.session.dialog is not None, timeout=3000)
    dialog = window.session.dialog
    assert dialog.isVisible() and dialog.continue_button.isDefault()
    assert "Never collected" in dialog.text.toPlainText()
    qtbot.wait(300)
    assert telemetry.get_client().stats().queued == 0
    assert telemetry.get_client().flush(1.0)
    assert server.log == []

    _click(qtbot, dialog.continue_button)
    qtbot.waitUntil(lambda: window.session.dialog is None, timeout=3000)
    assert config.load_config().notice_shown
    _flush()
    events = sent_events(server)
    assert [e["event"] for e in events] == [SESSION]
    props = events[0]["properties"]
    assert props["has_project"] is False
    for key in ("screen_width", "screen_height", "device_pixel_ratio", "language"):
        assert props.get(key) is not None, key
    assert isinstance(props["timezone_offset_minutes"], int)

    second = open_window(None)
    qtbot.wait(200)
    assert second.session.dialog is None
    _flush()
    assert event_names(server) == [SESSION]


def test_turning_usage_data_off_in_the_notice_sends_nothing(
    open_window, telemetry_configured, qtbot
) -> None:
    window = open_window(None)
    qtbot.waitUntil(lambda: window.session.dialog is not None, timeout=3000)
    _click(qtbot, window.session.dialog.off_button)
    qtbot.waitUntil(lambda: window.session.dialog is None, timeout=3000)
    cfg = config.load_config()
    assert cfg.notice_shown and not cfg.telemetry_enabled
    assert not telemetry.notice_pending()
    _flush()
    assert telemetry_configured.log == []


def test_session_start_is_sent_once_across_two_windows(
    open_window, telemetry_on, tmp_path: Path, qtbot
) -> None:
    first = open_window(make_project(tmp_path / "p"))
    first.close()
    second = open_window(None)
    qtbot.wait(200)
    assert second.session.dialog is None
    _flush()
    events = sent_events(telemetry_on)
    assert [e["event"] for e in events] == [SESSION]
    assert events[0]["properties"]["has_project"] is True


def test_settings_checkbox_stops_the_next_event_at_once(
    open_window, telemetry_on, tmp_path: Path, qtbot
) -> None:
    server = telemetry_on
    project = make_project(tmp_path / "p", duration=1.0)
    window = open_window(project)
    qtbot.waitUntil(lambda: SESSION in _queued_or_sent(server), timeout=3000)
    _flush()
    assert event_names(server) == [SESSION]
    dialog = window.show_settings()
    assert dialog.usage.isEnabled() and dialog.usage.isChecked()
    dialog.usage.setChecked(False)
    assert not telemetry.telemetry_state().enabled
    assert not config.load_config().telemetry_enabled
    job = window.render_panel.start_render()
    qtbot.waitUntil(lambda: not job.active, timeout=60_000)
    _flush()
    assert event_names(server) == [SESSION]

    dialog.usage.setChecked(True)
    assert telemetry.telemetry_state().enabled
    job = window.render_panel.start_render()
    qtbot.waitUntil(lambda: not job.active, timeout=60_000)
    assert job.status == "complete"
    _flush()
    events = sent_events(server)
    names = [e["event"] for e in events]
    assert names == [SESSION, "studio_render_start", "render_complete"]
    start, done = events[1]["properties"], events[2]["properties"]
    assert start["source"] == "studio" and start["composition"] == "index"
    assert (start["fps"], start["quality"], start["format"]) == (30.0, "standard", "mp4")
    assert start["resolution"] == "320x180"
    assert done["source"] == "studio"
    assert done["total_frames"] == 30 and done["stage_capture_ms"] > 0
    text = json.dumps(events)
    assert str(tmp_path) not in text and str(Path.home()) not in text


def test_a_failed_render_sends_render_error_from_the_studio(
    open_window, telemetry_on, tmp_path: Path, qtbot
) -> None:
    project = make_project(tmp_path / "p", extra={"other.html": css_page(1.0, "other")})
    window = open_window(project)
    window.render_panel.form.select_composition(project / "other.html")
    (project / "other.html").write_text(BROKEN_PAGE, encoding="utf-8")
    job = window.render_panel.start_render()
    qtbot.waitUntil(lambda: not job.active, timeout=30_000)
    assert job.status == "failed"
    _flush()
    events = {e["event"]: e["properties"] for e in sent_events(telemetry_on)}
    error = events["render_error"]
    assert error["source"] == "studio" and error["failed_stage"] == "compile"
    assert error["quality"] == "standard" and error["format"] == "mp4"
    assert events["studio_render_start"]["composition"] == "other"
    assert str(tmp_path) not in json.dumps(error)


def test_forced_off_states_disable_the_checkbox(open_window, monkeypatch, httpserver) -> None:
    window = open_window(None)
    dialog = window.show_settings()  # unconfigured build: no analytics key
    assert not dialog.usage.isEnabled() and not dialog.usage.isChecked()
    assert "no analytics key" in dialog.explanation.text()

    monkeypatch.setenv(gates.ENV_KEY, TEST_KEY)
    monkeypatch.setenv(gates.ENV_DEV_OVERRIDE, "1")
    monkeypatch.setenv("DO_NOT_TRACK", "1")
    dialog.refresh()
    assert not dialog.usage.isEnabled()
    assert "DO_NOT_TRACK" in dialog.explanation.text()

    monkeypatch.delenv("DO_NOT_TRACK")
    dialog.refresh()
    assert dialog.usage.isEnabled()
    dialog.reject()


def test_what_is_sent_lists_the_latest_payloads(open_window, telemetry_on, qtbot) -> None:
    window = open_window(None)
    qtbot.waitUntil(lambda: SESSION in _queued_or_sent(telemetry_on), timeout=3000)
    _flush()
    window.actions.what_is_sent.trigger()  # Help > What Is Sent…
    view = window.payloads_dialog
    assert view is not None and view.isVisible()
    assert view.list.count() == 1
    assert SESSION in view.list.item(0).text()
    assert '"has_project": false' in view.detail.toPlainText()
    view.close()


def test_closing_the_window_delivers_queued_events(
    open_window, telemetry_on, monkeypatch, qtbot
) -> None:
    monkeypatch.setenv(client_mod.ENV_DEBOUNCE_MS, "60000")  # only a flush can send
    client_mod.set_client(None)
    window = open_window(None)
    qtbot.waitUntil(lambda: telemetry.get_client().stats().queued == 1, timeout=3000)
    assert telemetry_on.log == []
    window.close()
    assert event_names(telemetry_on) == [SESSION]


def test_closing_stays_under_a_second_when_the_endpoint_hangs(
    open_window, monkeypatch, hanging_url, qtbot
) -> None:
    monkeypatch.setenv(gates.ENV_KEY, TEST_KEY)
    monkeypatch.setenv(gates.ENV_HOST, hanging_url)
    monkeypatch.setenv(gates.ENV_DEV_OVERRIDE, "1")
    monkeypatch.setenv(client_mod.ENV_DEBOUNCE_MS, "60000")
    config.update_config(notice_shown=True)
    client_mod.set_client(None)
    window = open_window(None)
    qtbot.waitUntil(lambda: telemetry.get_client().stats().queued == 1, timeout=3000)
    started = time.monotonic()
    window.close()
    elapsed = time.monotonic() - started
    assert not window.isVisible()
    assert elapsed < 1.2, f"closing took {elapsed:.2f} s"


def _queued_or_sent(server) -> list[str]:
    """Names already sent, plus a marker when something waits in the client's queue."""
    names = event_names(server)
    if telemetry.get_client().stats().queued:
        names.append(SESSION)
    return names
