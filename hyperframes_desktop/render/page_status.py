"""The seek runtime's ``window.__hf.status()`` contract, read the same way by the capture
worker and the studio preview."""

from __future__ import annotations


def page_is_ready(status: dict) -> bool:
    """Loaded, fonts (bundled ones included) ready, the root timeline registered (unless
    the composition has none) and every image decoded: frame 0 can be seeked."""
    return bool(
        status.get("loaded")
        and status.get("fontsReady")
        and not status.get("missingTimelines")
        and not status.get("pendingImages")
    )
