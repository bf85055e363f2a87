/* HyperFrames Desktop: HyperFrames' layout rules, applied to every compiled composition
 * (renders, stills, farm chunks and the studio preview load the same page).
 *
 * What HyperFrames' runtime and compiler do, taken as rules (facts, not its code):
 * - <html> and <body> get inline margin 0, padding 0 and overflow hidden, so the browser's
 *   default 8 px body margin never shows as a white edge;
 * - the root composition element gets data-width/data-height as inline pixel width/height
 *   (so they beat the author's stylesheet), --comp-width/--comp-height, position:relative
 *   unless it has an inline position, and overflow:hidden;
 * - a sub-composition host with data-width and data-height gets them as inline pixel sizes
 *   unless its style attribute already mentions width / height; the host takes the inner
 *   root's data-width/data-height when it has none (the compile stage copies them);
 * - the inner root of a sub-composition gets width/height appended to its inline style:
 *   its data-width/data-height in pixels, else 100%;
 * - every direct child of the root with data-start (no script/style/link/meta) is taken out of
 *   flow: position:absolute unless it computes to absolute/fixed, top/left 0 when nothing
 *   anchors it, and (audio excepted) data-width/data-height when it computes to no size, or
 *   100% when it has no data-width/data-height and computes to 0 px.
 */
(function () {
  "use strict";
  var cfg = window.__HF_CONFIG || {};

  function px(value) {
    if (value == null || String(value).trim() === "") return null;
    var n = parseFloat(value);
    return isFinite(n) && n > 0 ? n + "px" : null;
  }

  function rootElement() {
    var nodes = document.querySelectorAll("[data-composition-id]");
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].getAttribute("data-composition-id") === cfg.rootId) return nodes[i];
    }
    for (var j = 0; j < nodes.length; j++) {
      var parent = nodes[j].parentElement;
      if (!parent || !parent.closest("[data-composition-id]")) return nodes[j];
    }
    return nodes[0] || null;
  }

  function normalizePage() {
    var els = [document.documentElement, document.body];
    for (var i = 0; i < els.length; i++) {
      if (!els[i]) continue;
      els[i].style.margin = "0";
      els[i].style.padding = "0";
      els[i].style.overflow = "hidden";
    }
  }

  function sizeRoot(root) {
    var w = px(root.getAttribute("data-width"));
    var h = px(root.getAttribute("data-height"));
    if (w) { root.style.width = w; root.style.setProperty("--comp-width", w); }
    if (h) { root.style.height = h; root.style.setProperty("--comp-height", h); }
    if (!root.style.position) root.style.position = "relative";
    root.style.overflow = "hidden";
  }

  function appendStyle(el, css) {
    var existing = (el.getAttribute("style") || "").trim();
    el.setAttribute("style", existing ? existing.replace(/;\s*$/, "") + ";" + css : css);
  }

  function sizeHosts() {
    var hosts = document.querySelectorAll("[data-hf-comp]");
    for (var i = 0; i < hosts.length; i++) {
      var host = hosts[i];
      var w = host.getAttribute("data-width"), h = host.getAttribute("data-height");
      if (!w || !h) continue;
      var style = host.getAttribute("style") || "";
      var add = [];
      if (style.indexOf("width") === -1) add.push("width:" + w + "px");
      if (style.indexOf("height") === -1) add.push("height:" + h + "px");
      if (add.length) appendStyle(host, add.join(";"));
    }
    var inner = document.querySelectorAll("[data-hf-inner-root]");
    for (var j = 0; j < inner.length; j++) {
      var el = inner[j];
      var iw = px(el.getAttribute("data-width")) || "100%";
      var ih = px(el.getAttribute("data-height")) || "100%";
      appendStyle(el, "width:" + iw + ";height:" + ih);
    }
  }

  var SKIP = { script: 1, style: 1, link: 1, meta: 1 };

  function layoutClips(root) {
    var children = root.children;
    for (var i = 0; i < children.length; i++) {
      var el = children[i];
      var tag = el.tagName.toLowerCase();
      if (SKIP[tag] || !el.hasAttribute("data-start")) continue;
      var computed = getComputedStyle(el);
      if (computed.position !== "absolute" && computed.position !== "fixed") {
        el.style.position = "absolute";
      }
      if (!el.style.top && !el.style.bottom && computed.top === "auto" && computed.bottom === "auto") {
        el.style.top = "0";
      }
      if (!el.style.left && !el.style.right && computed.left === "auto" && computed.right === "auto") {
        el.style.left = "0";
      }
      if (tag === "audio") continue;
      sizeAxis(el, computed, "width");
      sizeAxis(el, computed, "height");
    }
  }

  function sizeAxis(el, computed, axis) {
    var forced = px(el.getAttribute("data-" + axis));
    var value = computed[axis];
    if (forced) {
      if (!el.style[axis] && (value === "0px" || value === "auto")) el.style[axis] = forced;
    } else if (!el.style[axis] && value === "0px") {
      el.style[axis] = "100%";
    }
  }

  var sized = false, laidOut = false;

  function applySizing() {
    if (sized) return;
    var root = rootElement();
    if (!root) return;
    sized = true;
    normalizePage();
    sizeRoot(root);
    sizeHosts();
  }

  /* Idempotent; the seek runtime calls it before the first seek as well. */
  function applyLayout() {
    applySizing();
    if (laidOut || document.readyState !== "complete") return;
    var root = rootElement();
    if (!root) return;
    laidOut = true;
    layoutClips(root);
  }

  document.addEventListener("DOMContentLoaded", applySizing);
  window.addEventListener("load", applyLayout);
  window.__hf_apply_layout = applyLayout;
})();
