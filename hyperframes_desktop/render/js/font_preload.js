/* Deterministic fonts, page side (render/fonts/faces.py fills in FACES and TEXT).
 *
 * The bundled faces of every mapped family the page uses are loaded before frame 0:
 * window.__hf_fonts_loading settles once they have (to the list of faces that failed).
 * @font-face files load lazily, only when laid-out text needs them, so text that first
 * appears mid-render would otherwise paint with a fallback on the frame where it appears.
 */
(function () {
  var faces = __FACES__, text = __TEXT__;
  if (!document.fonts || !document.fonts.load) {
    window.__hf_fonts_loading = Promise.resolve([]);
    return;
  }
  function unquote(name) { return name.trim().replace(/^['"]|['"]$/g, ""); }
  function isFontFace(rule) {
    return typeof CSSFontFaceRule !== "undefined" && rule instanceof CSSFontFaceRule;
  }
  function eachRule(list, visit) {
    for (var i = 0; i < list.length; i++) {
      var rule = list[i];
      if (isFontFace(rule)) continue;
      if (rule.style) visit(rule.style);
      if (rule.cssRules) eachRule(rule.cssRules, visit);
    }
  }
  function eachSheet(visit) {
    for (var s = 0; s < document.styleSheets.length; s++) {
      var rules;
      try { rules = document.styleSheets[s].cssRules; } catch (e) { continue; }
      if (rules) eachRule(rules, visit);
    }
  }
  function usedFamilies() {
    var seen = {}, out = [];
    function add(value) {
      if (!value) return;
      value.split(",").forEach(function (family) {
        var name = unquote(family), key = name.toLowerCase();
        if (faces[key] && !seen[key]) { seen[key] = 1; out.push(name); }
      });
    }
    eachSheet(function (style) {
      add(style.fontFamily);
      for (var j = 0; j < style.length; j++) {
        if (style[j].indexOf("--") === 0) add(style.getPropertyValue(style[j]));
      }
    });
    var elements = document.getElementsByTagName("*");
    for (var e = 0; e < elements.length; e++) add(getComputedStyle(elements[e]).fontFamily);
    return out;
  }
  function load() {
    var requests = [];
    usedFamilies().forEach(function (family) {
      faces[family.toLowerCase()].forEach(function (styleWeight) {
        requests.push(styleWeight + ' 16px "' + family.replace(/["\\]/g, "") + '"');
      });
    });
    return Promise.all(requests.map(function (font) {
      return document.fonts.load(font, text).then(function (found) {
        return found.length ? null : font + ": no face matched";
      }, function (err) { return font + ": " + (err && err.message || err); });
    })).then(function (failed) { return failed.filter(function (x) { return x; }); });
  }
  window.__hf_fonts_loading = new Promise(function (resolve) {
    function go() { resolve(load()); }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", go, { once: true });
    } else {
      go();
    }
  });
})();
