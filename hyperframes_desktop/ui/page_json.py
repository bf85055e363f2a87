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


#: A JS expression giving ``find(key)``: the page's element for one of the studio's element
#: keys (an id, or a source key that the preview's compile wrote as ``data-hf-key`` on an
#: element without id; see ``project.design.element_keys``), or null. Source keys are read
#: once per script run.
FIND_ELEMENT_JS = """(function () {
  var keyed = null;
  return function (key) {
    if (key.charAt(0) !== '@') return document.getElementById(key);
    if (keyed === null) {
      keyed = new Map();
      document.querySelectorAll('[data-hf-key]').forEach(function (e) {
        var k = e.getAttribute('data-hf-key');
        if (!keyed.has(k)) keyed.set(k, e);
      });
    }
    return keyed.get(key) || null;
  };
})()"""

#: A JS function expression: an element -> its studio key (source key first: an element
#: whose id the studio cannot use as a key carries one), or null.
KEY_OF_JS = "function (e) { return e.getAttribute('data-hf-key') || e.id || null; }"
