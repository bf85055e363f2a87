/* HyperFrames Desktop: the scope a sub-composition's inline scripts run in, as in HyperFrames.
 *
 * HyperFrames' runtime hands each sub-composition script its own `document` and `gsap`
 * (facts, not its code):
 * - `document.querySelector(All)` match only elements inside the composition's host element
 *   (the host itself included); `querySelectorAll` returns an array;
 * - `document.getElementById(id)`: the page's element with that id when it is inside the
 *   host, else the host's own element with that id (two compositions may both use id="box"),
 *   else null;
 * - every other property of `document` is the page's own, bound to it;
 * - `gsap.to/from/fromTo/set`, the same methods of a `gsap.timeline()` and
 *   `gsap.utils.toArray` resolve a selector string through that scoped query;
 * - with no host found, nothing is scoped;
 * - `window` is the page's own, except that a timeline the script registers under its
 *   composition's id (`window.__timelines["id"] = tl`) is also kept as this instance's, so
 *   two instances of one composition each drive their own timeline from their own start.
 *
 * The compiler wraps each inline classic script of a sub-composition (render/script_scope.py)
 * in a function taking `document`, `gsap` and `window`, applied to `window.__hfScope(N)`,
 * N naming that instance's host (`data-hf-scope="N"`).
 */
(function () {
  "use strict";

  function scopedQueries(hostSelector) {
    var host = null;
    function root() {
      if (!host) host = window.document.querySelector(hostSelector);
      return host;
    }
    function inside(node) {
      var r = root();
      return !r || node === r || r.contains(node);
    }
    function all(selector) {
      var found = window.document.querySelectorAll(selector);
      if (!root() || typeof selector !== "string") return found;
      return Array.prototype.filter.call(found, inside);
    }
    function one(selector) {
      return all(selector)[0] || null;
    }
    function byId(id) {
      var found = window.document.getElementById(id);
      var r = root();
      if (!r || (found && inside(found))) return found;
      if (r.id === String(id)) return r;
      try {
        return r.querySelector('[id="' + String(id).replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"]');
      } catch (e) {
        return null;
      }
    }
    return { root: root, all: all, one: one, byId: byId };
  }

  function scopedDocument(q) {
    var page = window.document;
    return new Proxy(page, {
      get: function (target, prop) {
        if (prop === "querySelector") return q.one;
        if (prop === "querySelectorAll") return q.all;
        if (prop === "getElementById") return q.byId;
        var value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  function scopedGsap(base, q) {
    if (!base) return base;
    var TWEENS = ["to", "from", "fromTo", "set"];
    function resolve(target) {
      return typeof target === "string" ? q.all(target) : target;
    }
    function withTarget(owner, method) {
      return function (target) {
        var args = Array.prototype.slice.call(arguments);
        args[0] = resolve(target);
        return owner[method].apply(owner, args);
      };
    }
    function scopeTimeline(tl) {
      if (!tl || tl.__hfScoped) return tl;
      TWEENS.forEach(function (method) {
        var original = tl[method];
        if (typeof original !== "function") return;
        tl[method] = function (target) {
          var args = Array.prototype.slice.call(arguments);
          args[0] = resolve(target);
          return original.apply(tl, args);
        };
      });
      try {
        Object.defineProperty(tl, "__hfScoped", { value: true, configurable: true });
      } catch (e) {
        /* a frozen timeline keeps its own methods */
      }
      return tl;
    }
    var utils = base.utils
      ? new Proxy(base.utils, {
          get: function (target, prop) {
            if (prop === "toArray") return withTarget(target, "toArray");
            var value = Reflect.get(target, prop, target);
            return typeof value === "function" ? value.bind(target) : value;
          },
        })
      : base.utils;
    return new Proxy(base, {
      get: function (target, prop) {
        if (TWEENS.indexOf(prop) !== -1) return withTarget(target, prop);
        if (prop === "timeline") {
          return function () {
            return scopeTimeline(target.timeline.apply(target, arguments));
          };
        }
        if (prop === "utils") return utils;
        var value = Reflect.get(target, prop, target);
        return typeof value === "function" && value.prototype === undefined
          ? value.bind(target)
          : value;
      },
    });
  }

  /* Timelines registered by each instance's scripts, by instance (read by seek_runtime.js). */
  window.__hfInstanceTimelines = window.__hfInstanceTimelines || {};

  function scopedWindow(scope, q) {
    var registry = null, wrapped = null;
    function timelines() {
      window.__timelines = window.__timelines || {};
      if (registry !== window.__timelines) {
        registry = window.__timelines;
        wrapped = new Proxy(registry, {
          set: function (target, prop, value) {
            target[prop] = value;
            var host = q.root();
            if (host && prop === host.getAttribute("data-hf-comp")) {
              window.__hfInstanceTimelines[scope] = value;
            }
            return true;
          },
        });
      }
      return wrapped;
    }
    return new Proxy(window, {
      get: function (target, prop) {
        if (prop === "__timelines") return timelines();
        var value = Reflect.get(target, prop, target);
        /* native methods stay bound to the page's window; classes keep their statics */
        return typeof value === "function" && value.prototype === undefined
          ? value.bind(target)
          : value;
      },
      set: function (target, prop, value) {
        if (prop === "__timelines" && value === wrapped) return true; /* x = x || {} */
        target[prop] = value;
        return true;
      },
    });
  }

  /* [document, gsap, window] for the scripts of the sub-composition instance `scope`. */
  window.__hfScope = function (scope) {
    var q = scopedQueries('[data-hf-scope="' + String(scope).replace(/"/g, "") + '"]');
    q.root();
    return [scopedDocument(q), scopedGsap(window.gsap, q), scopedWindow(String(scope), q)];
  };
})();
