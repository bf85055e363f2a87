"""The telemetry client: ``track()`` never blocks, a daemon thread does the sending.

``track()`` checks the gates, stamps the event and appends it to a bounded in-memory queue;
no network I/O and no lock is held across I/O. The sender thread waits until no event has
arrived for ``debounce_s`` (about 1 s) and then sends everything queued as one POST.
``flush(timeout)`` asks the sender to send now and waits on an Event for at most
``timeout`` seconds - it never joins the thread, so a hung endpoint cannot hang the app.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hyperframes_desktop.telemetry import gates, metadata
from hyperframes_desktop.telemetry._env import env_str
from hyperframes_desktop.telemetry.transport import Transport, build_payload, encode

log = logging.getLogger(__name__)

DEFAULT_DEBOUNCE_S = 1.0
DEFAULT_MAX_QUEUE = 1000
RECENT_PAYLOADS = 200
ENV_DEBOUNCE_MS = "HYPERFRAMES_TELEMETRY_DEBOUNCE_MS"
_MAX_EVENT_NAME = 100


@dataclass(frozen=True)
class ClientStats:
    queued: int
    dropped_queue_full: int
    dropped_by_gate: int
    batches_sent: int
    batches_failed: int


class TelemetryClient:
    """Queue + debounced sender. Make fresh ones freely (tests do); the app uses
    :func:`get_client`."""

    def __init__(
        self,
        *,
        debounce_s: float | None = None,
        max_queue: int = DEFAULT_MAX_QUEUE,
        transport: Transport | None = None,
        decide: Callable[[], gates.Decision] = gates.evaluate,
    ) -> None:
        self._debounce_s = _default_debounce() if debounce_s is None else max(0.0, debounce_s)
        self._max_queue = max(1, max_queue)
        self._transport = transport or Transport()
        self._decide = decide
        self._cond = threading.Condition()
        self._queue: list[dict[str, Any]] = []
        self._last_event = 0.0
        self._waiters: list[threading.Event] = []
        self._in_flight = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self._recent: deque[str] = deque(maxlen=RECENT_PAYLOADS)
        self._recent_lock = threading.Lock()
        self._dropped_full = 0
        self._dropped_gate = 0
        self._sent = 0
        self._failed = 0

    def track(self, event: str, properties: Mapping[str, Any] | None = None) -> bool:
        """Queue ``event`` if every gate allows it. True when queued; never raises."""
        try:
            decision = self._decide()
            if not decision.state.enabled or decision.endpoint is None:
                return False
            props = metadata.event_metadata()
            if properties:
                props.update(properties)
            props["$ip"] = None
            item = {
                "uuid": str(uuid.uuid4()),
                "event": str(event)[:_MAX_EVENT_NAME],
                "distinct_id": decision.endpoint.distinct_id,
                "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "properties": props,
            }
            with self._cond:
                if self._closed:
                    return False
                if len(self._queue) >= self._max_queue:
                    self._dropped_full += 1
                    return False
                self._queue.append(item)
                self._last_event = time.monotonic()
                if len(self._queue) == 1:
                    # Only the first event wakes the sender; while debouncing it re-reads
                    # _last_event when its wait ends, so waking it per event is wasted work.
                    self._cond.notify()
            self._ensure_thread()
            return True
        except Exception:
            log.debug("telemetry track failed", exc_info=True)
            return False

    def flush(self, timeout: float = 1.0) -> bool:
        """Send what is queued now; wait at most ``timeout`` s. True if done in time."""
        try:
            done = threading.Event()
            with self._cond:
                if not self._queue and not self._in_flight:
                    return True
                self._waiters.append(done)
                self._cond.notify()
            self._ensure_thread()
            return done.wait(max(0.0, timeout))
        except Exception:
            log.debug("telemetry flush failed", exc_info=True)
            return False

    def close(self) -> None:
        """Stop accepting events and let the sender thread end (queued events are dropped)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def recent_payloads(self) -> list[dict[str, Any]]:
        """Copies of the last batch bodies sent (or printed in debug mode), oldest first."""
        with self._recent_lock:
            bodies = list(self._recent)
        return [json.loads(body) for body in bodies]

    def stats(self) -> ClientStats:
        with self._cond:
            return ClientStats(
                len(self._queue), self._dropped_full, self._dropped_gate, self._sent, self._failed
            )

    def _ensure_thread(self) -> None:
        with self._cond:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(
                target=self._run, name="hyperframes-telemetry", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        try:
            while self._run_once():
                pass
        finally:
            self._transport.close()

    def _run_once(self) -> bool:
        """One debounce-then-send cycle; False once closed with nothing left to do."""
        with self._cond:
            while not self._queue and not self._waiters and not self._closed:
                self._cond.wait()
            if self._closed and not self._waiters:
                return False
            while not self._waiters and not self._closed:
                remaining = self._last_event + self._debounce_s - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            batch, self._queue = self._queue, []
            waiters, self._waiters = self._waiters, []
            self._in_flight = bool(batch)
        try:
            if batch:
                self._send(batch)
        except Exception:
            log.debug("telemetry send failed", exc_info=True)
        finally:
            with self._cond:
                self._in_flight = False
            for waiter in waiters:
                waiter.set()
        return True

    def _send(self, batch: list[dict[str, Any]]) -> None:
        # Gates again at send time: an opt-out made after an event was queued still stops it.
        decision = self._decide()
        if not decision.state.enabled or decision.endpoint is None:
            with self._cond:
                self._dropped_gate += len(batch)
            return
        body = encode(build_payload(decision.endpoint.api_key, batch))
        with self._recent_lock:
            self._recent.append(body)
        ok = self._transport.deliver(decision.endpoint.batch_url, body)
        with self._cond:
            if ok:
                self._sent += 1
            else:
                self._failed += 1


def _default_debounce() -> float:
    raw = env_str(ENV_DEBOUNCE_MS)
    try:
        return max(0.0, float(raw) / 1000.0) if raw else DEFAULT_DEBOUNCE_S
    except ValueError:
        return DEFAULT_DEBOUNCE_S


_default_client: TelemetryClient | None = None
_default_lock = threading.Lock()


def get_client() -> TelemetryClient:
    """The process-wide client, created on first use."""
    global _default_client
    with _default_lock:
        if _default_client is None:
            _default_client = TelemetryClient()
        return _default_client


def set_client(client: TelemetryClient | None) -> TelemetryClient | None:
    """Replace the process-wide client (None: a fresh one on next use). Returns the old one."""
    global _default_client
    with _default_lock:
        previous, _default_client = _default_client, client
    return previous
