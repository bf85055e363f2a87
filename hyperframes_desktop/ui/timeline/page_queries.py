"""Ask the preview's page where a clip's element is, and which clip is under a point.

``runJavaScript`` returns objects as ``''`` in PySide6, so every script returns a JSON
string; callbacks are wrapped so an exception is reported instead of vanishing.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtWebEngineCore import QWebEnginePage

from hyperframes_desktop.ui.page_json import json_answer

_RECT_JS = """String(JSON.stringify((function () {
  var e = document.getElementById(%s);
  if (!e) return null;
  var r = e.getBoundingClientRect();
  var s = getComputedStyle(e);
  return {x: r.left, y: r.top, w: r.width, h: r.height,
          shown: s.visibility !== 'hidden' && s.display !== 'none' && r.width * r.height > 0};
})()))"""

_PICK_JS = """String(JSON.stringify((function (x, y, ids) {
  var wanted = new Set(ids);
  var hits = document.elementsFromPoint(x, y);
  for (var i = 0; i < hits.length; i++) {
    for (var e = hits[i]; e; e = e.parentElement) {
      if (e.id && wanted.has(e.id)) return e.id;
    }
  }
  return null;
})(%s, %s, %s)))"""


def element_rect(
    page: QWebEnginePage, element_id: str, callback: Callable[[dict | None], None]
) -> None:
    """``callback({x, y, w, h, shown})`` in CSS pixels of the page, or None when absent."""
    page.runJavaScript(_RECT_JS % json.dumps(element_id), 0, json_answer(page, callback))


def clip_at_point(
    page: QWebEnginePage,
    x: float,
    y: float,
    clip_ids: list[str],
    callback: Callable[[str | None], None],
) -> None:
    """``callback(id)`` of the topmost clip (or clip ancestor) under CSS point (x, y)."""
    script = _PICK_JS % (json.dumps(x), json.dumps(y), json.dumps(clip_ids))
    page.runJavaScript(script, 0, json_answer(page, callback))
