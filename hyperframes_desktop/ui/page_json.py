"""Ask the previewed page for a JSON value: the one way the studio's docks query the page.

``runJavaScript`` hands back strings (arrays and objects arrive as ''), so every query script
returns ``JSON.stringify(...)``; the answer is parsed here, and dropped when the page went
away before it came (a reload or a closed window).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import shiboken6
from PySide6.QtWebEngineCore import QWebEnginePage


def json_answer(page: QWebEnginePage, callback: Callable[[object], None]):
    """A ``runJavaScript`` callback that parses the JSON answer for ``callback`` (None when
    empty or not JSON) while ``page`` still exists."""

    def done(raw: object) -> None:
        if not shiboken6.isValid(page):
            return
        try:
            value = json.loads(str(raw)) if raw else None
        except ValueError:
            value = None
        callback(value)

    return done


def run_json(page: QWebEnginePage, script: str, callback: Callable[[object], None]) -> None:
    """Run ``script`` (an expression returning JSON text) and hand its parsed value on."""
    page.runJavaScript(script, 0, json_answer(page, callback))
