"""Client: payload shape, debounced batching, bounded flush, never blocking or raising."""

from __future__ import annotations

import math
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from telemetry_helpers import TEST_KEY, batches, dead_url, sent_events, wait_for

from hyperframes_desktop.telemetry import client as client_mod
from hyperframes_desktop.telemetry import config, gates, metadata
from hyperframes_desktop.telemetry.client import TelemetryClient
from hyperframes_desktop.telemetry.transport import Transport

SYSTEM_KEYS = {
    "app_version",
    "os",
    "os_release",
    "arch",
    "python_version",
    "qt_version",
    "cpu_count",
    "memory_total_mb",
    "is_ci",
}


def test_payload_shape(telemetry_on, make_client) -> None:
    c = make_client()
    assert c.track("render_complete", {"fps": 30, "source": "cli"})
    assert c.flush(1.0)
    (request, _), *rest = telemetry_on.log
    assert rest == []
    assert request.method == "POST" and request.path == "/batch/"
    assert request.headers["Content-Type"] == "application/json"
    body = request.get_json()
    assert set(body) == {"api_key", "batch"}
    assert body["api_key"] == TEST_KEY
    (item,) = body["batch"]
    assert set(item) == {"uuid", "event", "distinct_id", "timestamp", "properties"}
    assert item["event"] == "render_complete"
    assert uuid.UUID(item["uuid"]).version == 4
    assert item["distinct_id"] == config.load_config().anonymous_id
    assert datetime.fromisoformat(item["timestamp"]).utcoffset() is not None
    props = item["properties"]
    assert "$ip" in props and props["$ip"] is None
    assert props["fps"] == 30 and props["source"] == "cli"
    assert set(props) >= SYSTEM_KEYS
    assert c.recent_payloads() == [body]


def test_uuids_are_unique_and_ip_cannot_be_overridden(telemetry_on, make_client) -> None:
    c = make_client()
    for i in range(5):
        c.track("e", {"i": i, "$ip": "203.0.113.9"})
    assert c.flush(1.0)
    items = sent_events(telemetry_on)
    assert len({e["uuid"] for e in items}) == 5
    assert all(e["properties"]["$ip"] is None for e in items)


def test_events_within_the_debounce_arrive_as_one_batch(telemetry_on, make_client) -> None:
    c = make_client(debounce_s=0.5)
    for i in range(6):
        assert c.track("e", {"i": i})
        time.sleep(0.03)
    assert batches(telemetry_on) == []  # still debouncing: nothing sent yet
    assert wait_for(lambda: len(batches(telemetry_on)) >= 1)
    time.sleep(0.1)
    (body,) = batches(telemetry_on)
    assert [e["properties"]["i"] for e in body["batch"]] == list(range(6))


def test_events_further_apart_than_the_debounce_are_separate_batches(
    telemetry_on, make_client
) -> None:
    c = make_client(debounce_s=0.05)
    c.track("a")
    assert wait_for(lambda: len(batches(telemetry_on)) == 1)
    c.track("b")
    assert wait_for(lambda: len(batches(telemetry_on)) == 2)


def test_debounce_comes_from_env_for_the_default_client(monkeypatch) -> None:
    monkeypatch.setenv(client_mod.ENV_DEBOUNCE_MS, "250")
    assert TelemetryClient()._debounce_s == pytest.approx(0.25)
    monkeypatch.setenv(client_mod.ENV_DEBOUNCE_MS, "junk")
    assert TelemetryClient()._debounce_s == client_mod.DEFAULT_DEBOUNCE_S
    monkeypatch.delenv(client_mod.ENV_DEBOUNCE_MS)
    assert TelemetryClient()._debounce_s == 1.0


def test_flush_sends_now_despite_a_long_debounce(telemetry_on, make_client) -> None:
    c = make_client(debounce_s=30)
    c.track("a")
    c.track("b")
    started = time.monotonic()
    assert c.flush(1.0) is True
    assert time.monotonic() - started < 1.0
    assert len(batches(telemetry_on)) == 1 and len(sent_events(telemetry_on)) == 2


def test_flush_with_nothing_queued_returns_at_once(make_client) -> None:
    started = time.monotonic()
    assert make_client().flush(1.0) is True
    assert time.monotonic() - started < 0.05


@pytest.fixture
def bad_endpoint(request, telemetry_on, monkeypatch) -> str:
    kind = request.param
    if kind == "down":
        url = dead_url()
    elif kind == "hanging":
        url = request.getfixturevalue("hanging_url")
    elif kind == "garbage":
        url = request.getfixturevalue("garbage_url")
    else:
        telemetry_on.clear_all_handlers()
        telemetry_on.expect_request("/batch/").respond_with_data("oops", status=int(kind))
        url = telemetry_on.url_for("/").rstrip("/")
    monkeypatch.setenv(gates.ENV_HOST, url)
    return kind


@pytest.mark.parametrize("bad_endpoint", ["down", "hanging", "500", "garbage"], indirect=True)
def test_bad_endpoint_never_raises_or_hangs(bad_endpoint: str, make_client) -> None:
    c = make_client(debounce_s=30)
    for i in range(3):
        assert c.track("e", {"i": i}) is True
    started = time.monotonic()
    done = c.flush(1.0)
    elapsed = time.monotonic() - started
    assert elapsed <= 1.2, f"flush took {elapsed:.2f}s"
    assert done is (bad_endpoint != "hanging")
    if bad_endpoint != "hanging":
        stats = c.stats()
        assert stats.batches_failed == 1 and stats.batches_sent == 0
    # Never retried: a later flush has nothing left to send.
    assert c.stats().queued == 0
    # And track() still returns at once while the sender may be stuck.
    started = time.monotonic()
    assert c.track("after") is True
    assert time.monotonic() - started < 0.05


def test_500_is_not_retried(telemetry_on, make_client) -> None:
    telemetry_on.clear_all_handlers()
    telemetry_on.expect_request("/batch/").respond_with_data("no", status=500)
    c = make_client()
    c.track("once")
    assert c.flush(1.0)
    time.sleep(0.2)
    assert len(batches(telemetry_on)) == 1


def test_queue_is_bounded_and_counts_drops(telemetry_on, make_client) -> None:
    c = make_client(debounce_s=30, max_queue=3)
    results = [c.track("e", {"i": i}) for i in range(5)]
    assert results == [True, True, True, False, False]
    assert c.stats().dropped_queue_full == 2
    assert c.flush(1.0)
    assert [e["properties"]["i"] for e in sent_events(telemetry_on)] == [0, 1, 2]


def test_track_is_thread_safe(telemetry_on, make_client) -> None:
    c = make_client(debounce_s=30)

    def worker(n: int) -> None:
        for i in range(50):
            c.track("e", {"t": n, "i": i})

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert c.flush(1.0)
    items = sent_events(telemetry_on)
    assert len(items) == 200 and len({e["uuid"] for e in items}) == 200


class RecordingTransport(Transport):
    def __init__(self) -> None:
        super().__init__()
        self.bodies: list[str] = []

    def deliver(self, url: str, body: str) -> bool:
        self.bodies.append(body)
        return True


def test_recent_payloads_keeps_the_last_200(telemetry_on, make_client) -> None:
    transport = RecordingTransport()
    c = make_client(transport=transport)
    for i in range(205):
        c.track("e", {"i": i})
        assert c.flush(1.0)
    recent = c.recent_payloads()
    assert len(recent) == 200 and len(transport.bodies) == 205
    assert [p["batch"][0]["properties"]["i"] for p in recent] == list(range(5, 205))
    recent[0]["api_key"] = "mutated"
    assert c.recent_payloads()[0]["api_key"] == TEST_KEY  # callers get copies


def test_debug_mode_prints_instead_of_sending(telemetry_on, make_client, monkeypatch, capsys):
    monkeypatch.setenv("HYPERFRAMES_TELEMETRY_DEBUG", "1")
    c = make_client()
    c.track("debugged", {"x": 1})
    assert c.flush(1.0)
    err = capsys.readouterr().err
    assert '"event":"debugged"' in err
    assert batches(telemetry_on) == []
    assert c.recent_payloads()[0]["batch"][0]["event"] == "debugged"


def test_unserializable_properties_never_raise(telemetry_on, make_client) -> None:
    c = make_client()
    props: dict[str, Any] = {
        "path": Path("/home/someone/project"),
        "obj": object(),
        "nan": math.nan,
        "inf": math.inf,
        "nested": {"ok": [1, 2.5, "x", None, True], "bad": {1, 2}},
    }
    assert c.track("weird", props) is True
    assert c.flush(1.0)
    p = sent_events(telemetry_on)[0]["properties"]
    assert p["path"] is None and p["obj"] is None and p["nan"] is None and p["inf"] is None
    assert p["nested"] == {"ok": [1, 2.5, "x", None, True], "bad": None}


def test_track_never_raises_when_deciding_explodes(make_client) -> None:
    def boom() -> gates.Decision:
        raise RuntimeError("x")

    c = make_client(decide=boom)
    assert c.track("e") is False
    assert c.flush(1.0) is True


def test_closed_client_accepts_nothing(telemetry_on, make_client) -> None:
    c = make_client()
    c.close()
    assert c.track("e") is False


def test_get_client_is_a_singleton_and_replaceable() -> None:
    first = client_mod.get_client()
    assert client_mod.get_client() is first
    fresh = TelemetryClient(debounce_s=0.01)
    assert client_mod.set_client(fresh) is first
    assert client_mod.get_client() is fresh
    client_mod.set_client(None)
    assert client_mod.get_client() is not fresh


def test_metadata_hook_adds_allow_listed_display_facts(telemetry_on, make_client) -> None:
    metadata.set_metadata_hook(
        lambda: {
            "screen_width": 2560,
            "screen_height": 1440,
            "device_pixel_ratio": 2.0,
            "language": "en-US",
            "timezone_offset_minutes": 60,
            "window_title": "/home/someone/secret project",
        }
    )
    c = make_client()
    c.track("e")
    assert c.flush(1.0)
    props = sent_events(telemetry_on)[0]["properties"]
    assert props["screen_width"] == 2560 and props["device_pixel_ratio"] == 2.0
    assert props["language"] == "en-US" and props["timezone_offset_minutes"] == 60
    assert "window_title" not in props


def test_a_broken_metadata_hook_is_ignored(telemetry_on, make_client) -> None:
    def broken() -> dict[str, Any]:
        raise ValueError("no screen")

    metadata.set_metadata_hook(broken)
    c = make_client()
    assert c.track("e") is True
    assert c.flush(1.0)
    assert "screen_width" not in sent_events(telemetry_on)[0]["properties"]


def test_system_metadata_has_no_identity(monkeypatch) -> None:
    meta = metadata.system_metadata()
    assert set(meta) == SYSTEM_KEYS
    assert meta["cpu_count"] >= 1 and meta["memory_total_mb"] > 0
    assert meta["qt_version"] is None or meta["qt_version"][0].isdigit()
    monkeypatch.setenv("CI", "true")
    assert metadata.is_ci() is True
    monkeypatch.setenv("CI", "false")
    assert metadata.is_ci() is False
