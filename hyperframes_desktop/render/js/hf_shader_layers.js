/* HyperFrames Desktop: the page's half of HyperFrames' shader transitions
 * (hyperframes_desktop/render/shader_transitions explains the facts).
 *
 * Under the virtual clock, @hyperframes/shader-transitions runs in engine mode and publishes
 * its transitions as window.__hf.transitions. What it does not publish are the colours, so
 * this records the bgColor and accentColor HyperShader.init() is given (the library's global
 * build assigns window.HyperShader once; a setter catches it). Then, for the capture worker:
 *
 *   window.__hf_shader.plan()            JSON {transitions, bgColor, accentColor}
 *   window.__hf_shader.isolate(id, tag)  show scene `id` alone, opaque, on bgColor, and paint
 *                                        the frame strip with `tag` (the worker waits for it)
 *   window.__hf_shader.restore()         undo isolate() (every seek does it first)
 *   window.__hf_shader.drawsAt(t)        whether a transition is mixed at t (the render cache
 *                                        never reuses such a frame)
 *
 * isolate() changes inline styles only, each saved and put back byte for byte.
 */
(function () {
  "use strict";
  var STRIP_ID = "__hf_strip";
  var SKIP = { SCRIPT: 1, STYLE: 1, LINK: 1, META: 1, TEMPLATE: 1, NOSCRIPT: 1, HEAD: 1 };
  var colours = { bgColor: null, accentColor: null };
  var saved = [];

  function record(config) {
    if (!config || typeof config !== "object") return;
    colours.bgColor = typeof config.bgColor === "string" ? config.bgColor : null;
    colours.accentColor = typeof config.accentColor === "string" ? config.accentColor : null;
  }

  function watched(lib) {
    /* only the library itself (its exports include SHADER_NAMES): any other value is kept */
    if (!lib || typeof lib.init !== "function" || !lib.SHADER_NAMES || lib.__hfWatched) return lib;
    var init = lib.init;
    /* The bundle's exports are getters that cannot be replaced: wrap the object instead. */
    var view = Object.create(lib);
    Object.defineProperty(view, "init", {
      enumerable: true,
      value: function (config) {
        record(config);
        return init.apply(lib, arguments);
      }
    });
    Object.defineProperty(view, "__hfWatched", { value: true });
    return view;
  }

  var current = window.HyperShader;
  try {
    Object.defineProperty(window, "HyperShader", {
      configurable: true,
      enumerable: true,
      get: function () { return current; },
      set: function (value) { current = watched(value); }
    });
  } catch (e) { /* a page that defined it first keeps it: default colours */ }

  function set(el, prop, value) {
    saved.push([el, prop, el.style.getPropertyValue(prop), el.style.getPropertyPriority(prop)]);
    el.style.setProperty(prop, value, "important");
  }

  function restore() {
    while (saved.length) {
      var item = saved.pop();
      if (item[2]) item[0].style.setProperty(item[1], item[2], item[3]);
      else item[0].style.removeProperty(item[1]);
      if (item[0].getAttribute("style") === "") item[0].removeAttribute("style");
    }
  }

  function isolate(sceneId, tag) {
    restore();
    var scene = document.getElementById(sceneId);
    if (scene) {
      var root = document.documentElement;
      set(root, "background", colours.bgColor || "#000");
      for (var node = scene; node && node !== root; node = node.parentElement) {
        var parent = node.parentElement;
        if (!parent) break;
        for (var i = 0; i < parent.children.length; i++) {
          var sibling = parent.children[i];
          if (sibling !== node && sibling.id !== STRIP_ID && !SKIP[sibling.tagName]) {
            set(sibling, "opacity", "0");
          }
        }
        if (parent !== root) set(parent, "background", "transparent");
      }
      set(scene, "opacity", "1");
      set(scene, "visibility", "visible");
    }
    if (window.__hf && window.__hf.mark) window.__hf.mark(tag);
    return !!scene;
  }

  window.__hf_shader = {
    plan: function () {
      var hf = window.__hf || {};
      return JSON.stringify({
        transitions: hf.transitions || [],
        bgColor: colours.bgColor,
        accentColor: colours.accentColor
      });
    },
    /* Whether a shader transition is drawn at time t (the worker's TransitionPlan.active). */
    drawsAt: function (t) {
      var list = (window.__hf && window.__hf.transitions) || [];
      for (var i = 0; i < list.length; i++) {
        var item = list[i];
        if (typeof item.shader === "string" && t >= item.time && t <= item.time + item.duration) {
          return true;
        }
      }
      return false;
    },
    isolate: isolate,
    restore: restore
  };
})();
