"""Ask the preview's page about the composition's elements: which one is under a point,
and where each one is (CSS pixels of the page, at the frame on screen).

``runJavaScript`` returns objects as ``''`` in PySide6, so every script returns a JSON
string; a page that went away meanwhile is never called back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from PySide6.QtWebEngineCore import QWebEnginePage

from hyperframes_desktop.ui.page_json import FIND_ELEMENT_JS, KEY_OF_JS, run_json

_PICK_JS = (
    """String(JSON.stringify((function (x, y, ids, blocked, keyOf) {
  var wanted = new Set(ids), locked = new Set(blocked);
  var hits = document.elementsFromPoint(x, y);
  for (var i = 0; i < hits.length; i++) {
    for (var e = hits[i]; e; e = e.parentElement) {
      var key = keyOf(e);
      if (key && locked.has(key)) break;  // not what is around it either: what is below
      if (key && wanted.has(key)) {
        var s = getComputedStyle(e);
        if (s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0)
          return key;
      }
    }
  }
  return null;
})(%s, %s, %s, %s, """
    + KEY_OF_JS
    + ")))"
)

_RECTS_JS = (
    """String(JSON.stringify((function (ids, find) {
  var out = {};
  ids.forEach(function (id) {
    var e = find(id);
    if (!e) return;
    var r = e.getBoundingClientRect();
    var s = getComputedStyle(e);
    out[id] = {x: r.left, y: r.top, w: r.width, h: r.height,
               shown: s.visibility !== 'hidden' && s.display !== 'none' && r.width * r.height > 0};
  });
  return out;
})(%s, """
    + FIND_ELEMENT_JS
    + ")))"
)


def element_at(
    page: QWebEnginePage,
    x: float,
    y: float,
    ids: list[str],
    callback: Callable[[object], None],
    blocked: Iterable[str] = (),
) -> None:
    """``callback(key or None)``: the topmost visible element of ``ids`` under (x, y). A
    ``blocked`` (locked or hidden) element under the point hides the elements around it,
    not the ones below it."""
    script = _PICK_JS % (json.dumps(x), json.dumps(y), json.dumps(ids), json.dumps(list(blocked)))
    run_json(page, script, callback)


def element_rects(page: QWebEnginePage, ids: list[str], callback: Callable[[object], None]) -> None:
    """``callback({id: {x, y, w, h, shown}})`` for the elements of ``ids`` on the page."""
    run_json(page, _RECTS_JS % json.dumps(ids), callback)


_HIDE_JS = """(function (ids) {
  var sheet = document.getElementById('hf-studio-hidden');
  if (!sheet) {
    sheet = document.createElement('style');
    sheet.id = 'hf-studio-hidden';
    document.head.appendChild(sheet);
  }
  sheet.textContent = ids.map(function (id) {
    var selector = id.charAt(0) === '@'
      ? '[data-hf-key="' + CSS.escape(id) + '"]' : '#' + CSS.escape(id);
    return selector + ' { visibility: hidden !important; }';
  }).join('\\n');
})(%s)"""


def hide_elements(page: QWebEnginePage, ids: list[str]) -> None:
    """Hide ``ids`` in this page only (a studio stylesheet; the files never change)."""
    page.runJavaScript(_HIDE_JS % json.dumps(ids), 0)
