"""The seek runtime's ``window.__hf.status()`` contract, read the same way by the capture
worker and the studio preview."""

from __future__ import annotations

import json

#: The runtime's status as a JSON string ('{}' before the runtime exists).
STATUS_EXPRESSION = "window.__hf ? window.__hf.status() : '{}'"
#: The same for ``runJavaScript`` with a callback: through String(), as PySide turns
#: objects into ''.
STATUS_SCRIPT = f"String({STATUS_EXPRESSION})"


def parse_status(raw: object) -> dict:
    """The status a page answered: {} for no answer or one that is not JSON."""
    try:
        return json.loads(str(raw)) if raw else {}
    except ValueError:
        return {}


# A script may register its timeline asynchronously after an error elsewhere on the page:
# give it this long once the page has loaded and reported an uncaught error.
ERROR_GRACE_S = 1.5


def page_is_ready(status: dict) -> bool:
    """Loaded, fonts (bundled ones included) ready, the adapters' loads done (three.js
    loaders, d3 transitions), the root timeline registered (unless the composition has none
    or it is late) and every image decoded: frame 0 can be seeked."""
    return bool(
        status.get("loaded")
        and status.get("fontsReady")
        and status.get("adaptersReady", True)
        and not status.get("missingTimelines")
        and not status.get("pendingImages")
    )


def page_has_failed(status: dict) -> bool:
    """Loaded, still without its timeline, and an uncaught script error was reported: the
    timeline will most likely never come (it was to be registered after the throw)."""
    return bool(
        status.get("loaded") and status.get("missingTimelines") and status.get("scriptErrors")
    )


class FailureWatch:
    """Says a page has failed once page_has_failed() held for ERROR_GRACE_S in a row."""

    def __init__(self, grace_s: float = ERROR_GRACE_S) -> None:
        self._grace_s = grace_s
        self._since: float | None = None

    def failed(self, status: dict, now: float) -> bool:
        if not page_has_failed(status):
            self._since = None
            return False
        if self._since is None:
            self._since = now
        return now - self._since >= self._grace_s
