"""What the page computes for an element at the frame on screen, and what animates it.

One script returns, for the element with the given key (id or source key): the computed
value of every property the inspector shows, its box (CSS px), its text as shown, the font
families the page can use (``document.fonts``), and which properties an animation drives
right now: GSAP tweens of the element (``gsap.getTweensOf``) and CSS/WAAPI animations
(``document.getAnimations``).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtWebEngineCore import QWebEnginePage

from hyperframes_desktop.ui.page_json import FIND_ELEMENT_JS, run_json

#: CSS property -> the names GSAP tweens use for it.
GSAP_NAMES = {
    "font-size": ["fontSize"],
    "font-weight": ["fontWeight"],
    "color": ["color"],
    "background-color": ["backgroundColor", "background"],
    "opacity": ["opacity", "autoAlpha"],
    "border-radius": ["borderRadius"],
    "left": ["left", "x", "xPercent"],
    "top": ["top", "y", "yPercent"],
    "width": ["width", "scale", "scaleX"],
    "height": ["height", "scale", "scaleY"],
    "rotate": ["rotation", "rotate"],
}

_JS = (
    """String(JSON.stringify((function (id, props, gsapNames, find) {
  var e = find(id);
  if (!e) return null;
  var s = getComputedStyle(e), r = e.getBoundingClientRect(), out = {values: {}, animated: {}};
  props.forEach(function (p) { out.values[p] = s.getPropertyValue(p); });
  out.box = {x: r.left, y: r.top, w: r.width, h: r.height};
  out.text = e.textContent;
  var fams = new Set();
  if (document.fonts) document.fonts.forEach(function (f) {
    fams.add(f.family.replace(/^["']|["']$/g, '')); });
  out.families = Array.from(fams).sort();
  if (window.gsap && gsap.getTweensOf) {
    gsap.getTweensOf(e).forEach(function (t) {
      var vars = t.vars || {};
      props.forEach(function (p) {
        (gsapNames[p] || []).forEach(function (n) {
          if (n in vars) out.animated[p] = 'GSAP';
        });
      });
    });
  }
  if (document.getAnimations) {
    document.getAnimations().forEach(function (a) {
      var fx = a.effect;
      if (!fx || fx.target !== e || !fx.getKeyframes) return;
      fx.getKeyframes().forEach(function (k) {
        Object.keys(k).forEach(function (n) {
          var css = n.replace(/[A-Z]/g, function (c) { return '-' + c.toLowerCase(); });
          if (props.indexOf(css) >= 0) out.animated[css] = 'CSS';
          if (css === 'transform') { out.animated.rotate = out.animated.rotate || 'CSS'; }
        });
      });
    });
  }
  return out;
})(%s, %s, %s, """
    + FIND_ELEMENT_JS
    + ")))"
)


def computed_style(
    page: QWebEnginePage, element_id: str, props: list[str], callback: Callable[[object], None]
) -> None:
    """``callback({values, animated, box, text, families})`` or None when absent."""
    script = _JS % (json.dumps(element_id), json.dumps(props), json.dumps(GSAP_NAMES))
    run_json(page, script, callback)
