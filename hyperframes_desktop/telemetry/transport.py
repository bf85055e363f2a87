"""Turning queued events into one batch request, and sending (or printing) it.

Only the client's sender thread calls :meth:`Transport.deliver`; the caller of ``track()``
never touches the network.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hyperframes_desktop import __version__
from hyperframes_desktop.telemetry._env import env_flag

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

ENV_DEBUG = "HYPERFRAMES_TELEMETRY_DEBUG"
DEBUG_PREFIX = "[hyperframes telemetry debug, not sent] "

# Short on purpose: telemetry is worth less than a second of anyone's time. flush() does not
# rely on these (it waits on an Event with its own bound); they only free the sender thread.
CONNECT_TIMEOUT_S = 2.0
IO_TIMEOUT_S = 3.0

_MAX_DEPTH = 4
_MAX_STR = 1000


def build_payload(api_key: str, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The PostHog ``/batch/`` body; every property made JSON-safe and ``$ip`` forced null."""
    batch = []
    for item in events:
        props = json_safe(item.get("properties") or {})
        props["$ip"] = None
        batch.append(
            {
                "uuid": item["uuid"],
                "event": item["event"],
                "distinct_id": item["distinct_id"],
                "timestamp": item["timestamp"],
                "properties": props,
            }
        )
    return {"api_key": api_key, "batch": batch}


def json_safe(value: Any, depth: int = 0) -> Any:
    """Plain JSON values only. Other objects become None rather than ``str()``: the string
    form of, say, a ``Path`` is exactly what must not leave the machine."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return value[:_MAX_STR]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if depth >= _MAX_DEPTH:
        return None
    if isinstance(value, Mapping):
        return {str(k): json_safe(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v, depth + 1) for v in value]
    return None


def encode(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), allow_nan=False)


class Transport:
    """Sends batch bodies. Fire-and-forget: one attempt per batch, never retried.

    A retry would double-count: when a request times out we cannot tell whether the server
    already stored the batch, and PostHog does not reliably de-duplicate re-sent events.
    Losing a rare batch is better than inflating every metric.
    """

    def __init__(self) -> None:
        self._http: httpx.Client | None = None

    def deliver(self, url: str, body: str) -> bool:
        """POST ``body`` (or print it in debug mode). True on a 2xx; never raises."""
        if env_flag(ENV_DEBUG):
            with contextlib.suppress(Exception):
                print(DEBUG_PREFIX + body, file=sys.stderr, flush=True)
            return True
        try:
            response = self._client().post(
                url,
                content=body.encode("utf-8"),
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": f"hyperframes-desktop/{__version__}",
                },
            )
            ok = 200 <= response.status_code < 300
            if not ok:
                log.debug("telemetry batch rejected: HTTP %s", response.status_code)
            return ok
        except Exception as exc:  # down, hanging, garbage: all the same to us
            log.debug("telemetry batch not delivered: %s", type(exc).__name__)
            return False

    def close(self) -> None:
        http, self._http = self._http, None
        if http is not None:
            with contextlib.suppress(Exception):
                http.close()

    def _client(self) -> httpx.Client:
        if self._http is None:
            import httpx  # imported here: keeps `import telemetry` cheap for CLI start-up

            timeout = httpx.Timeout(IO_TIMEOUT_S, connect=CONNECT_TIMEOUT_S, pool=1.0)
            self._http = httpx.Client(timeout=timeout, follow_redirects=False)
        return self._http
