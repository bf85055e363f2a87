/* HyperFrames Desktop seek runtime: injected into every compiled composition.
 *
 * The renderer and the studio preview never play a composition: they call
 * window.__hf.seek(frame) and the page shows exactly what belongs at frame / fps.
 * Clip windows, nested-composition origins and the frame-strip position come from
 * window.__HF_CONFIG and data-hf-* attributes written by the compile stage.
 */
(function () {
  "use strict";
  var cfg = window.__HF_CONFIG;
  var EPS = 1e-9;
  /* The composition's clock (hf_virtual_time.js); the runtime's own waits use real time. */
  var clock = window.__HF_VIRTUAL_TIME__ || null;
  var realNow = clock ? clock.realNow : function () { return performance.now(); };

  /* HyperFrames guarantees the registry before any composition script runs, so
   * `window.__timelines["id"] = tl` works without a guard. */
  window.__timelines = window.__timelines || {};

  function applyLayout() {
    if (typeof window.__hf_apply_layout === "function") window.__hf_apply_layout();
  }

  function num(el, name) {
    return parseFloat(el.getAttribute(name));
  }

  function originOf(el) {
    while (el && el.nodeType === 1) {
      if (el.hasAttribute("data-hf-origin")) return num(el, "data-hf-origin");
      el = el.parentElement || (el.getRootNode && el.getRootNode().host) || null;
    }
    return 0;
  }

  /* GSAP seeks as HyperFrames' renderer does them (its seek semantics, taken as facts):
   * - the root timeline: totalTime(t) with events on, so callbacks (.call(), onComplete...)
   *   fire as the playhead passes them, once; t is clamped to the timeline's total duration
   *   so from() tweens do not revert past its end; then, unless the timeline holds a
   *   zero-length callback tween, a silent nudge (t + 0.001, then t) forces a re-render
   *   without firing anything twice;
   * - a sub-composition's timeline: totalTime(local) once, local clamped to its duration. */
  var CALLBACKS = ["onStart", "onUpdate", "onComplete", "onReverseComplete", "onRepeat"];
  var callbackCache = typeof WeakMap === "function" ? new WeakMap() : null;

  function hasZeroLengthCallback(tl) {
    if (callbackCache && callbackCache.has(tl)) return callbackCache.get(tl);
    var found = false;
    try {
      var children = typeof tl.getChildren === "function" ? tl.getChildren(true, true, true) : [];
      for (var i = 0; i < children.length && !found; i++) {
        var vars = children[i] && children[i].vars;
        if (!vars) continue;
        var named = false;
        for (var k = 0; k < CALLBACKS.length; k++) if (typeof vars[CALLBACKS[k]] === "function") named = true;
        if (!named) continue;
        var d = typeof children[i].totalDuration === "function" ? children[i].totalDuration() : 0;
        if (d <= 0.000001) found = true;
      }
    } catch (e) { found = false; }
    if (callbackCache) callbackCache.set(tl, found);
    return found;
  }

  function totalOf(tl, name) {
    try {
      var d = typeof tl[name] === "function" ? Number(tl[name]()) : NaN;
      return isFinite(d) && d > 0 ? d : null;
    } catch (e) { return null; }
  }

  function seekRootTimeline(tl, t) {
    if (!tl || typeof tl.totalTime !== "function") return;
    if (typeof tl.paused === "function" && !tl.paused()) tl.pause();
    var total = totalOf(tl, "totalDuration");
    var target = total !== null && t > total ? total : t;
    /* GSAP does nothing when the playhead is already there, yet HyperFrames' first capture
     * seek does render (its set-up seeks leave the playhead elsewhere, silently): step off
     * silently so this eventful seek renders too (onUpdate at frame 0). */
    if (Math.abs(tl.totalTime() - target) < 1e-9) tl.totalTime(target + 0.001, true);
    tl.totalTime(target, false);
    if (!hasZeroLengthCallback(tl)) {
      tl.totalTime(target + 0.001, true);
      tl.totalTime(target, true);
    }
  }

  function seekChildTimeline(tl, local) {
    if (!tl || typeof tl.totalTime !== "function") return;
    if (typeof tl.paused === "function" && !tl.paused()) tl.pause();
    var d = totalOf(tl, "duration");
    tl.totalTime(Math.max(0, d !== null ? Math.min(d, local) : local), false);
  }

  /* The composition's length as HyperFrames' runtime reports it when the root has no
   * data-duration: its root timeline's, at least as long as every sub-composition host
   * with a length of its own (0: unknown). */
  function pageDuration(tls) {
    var tl = rootTimeline(tls), d = 0;
    if (tl) d = totalOf(tl, "totalDuration") || totalOf(tl, "duration") || 0;
    if (!isFinite(d)) d = totalOf(tl, "duration") || 0;
    var hosts = document.querySelectorAll("[data-hf-comp][data-duration]");
    for (var i = 0; i < hosts.length; i++) d = Math.max(d, num(hosts[i], "data-hf-end") || 0);
    return d;
  }

  /* The root's timeline: registered under its id, or (as HyperFrames falls back) the only
   * timeline registered at all. */
  function rootTimeline(tls) {
    if (tls[cfg.rootId]) return tls[cfg.rootId];
    var keys = [];
    for (var key in tls) if (tls[key] && typeof tls[key].pause === "function") keys.push(key);
    return keys.length === 1 && !document.querySelector("[data-hf-comp=" + JSON.stringify(keys[0]) + "]")
      ? tls[keys[0]] : null;
  }

  /* HyperFrames' visibility rules: a timed element shows inside its window AND while every
   * timed ancestor (below the root) shows, so a descendant with visibility:visible or
   * position:fixed cannot leak out of a hidden scene; a hidden in-flow (static, relative,
   * sticky) clip with no timed element inside leaves the flow (display:none), so the next
   * one takes its place instead of stacking below an invisible box. */
  function inWindow(el, t) {
    return t >= num(el, "data-hf-start") - EPS && t < num(el, "data-hf-end") - EPS;
  }

  var flowCache = typeof WeakMap === "function" ? new WeakMap() : null;
  function leavesFlow(el) {
    if (flowCache && flowCache.has(el)) return flowCache.get(el);
    var pos = getComputedStyle(el).position;
    var result = (pos === "static" || pos === "relative" || pos === "sticky") &&
      el.querySelector("[data-start]") === null;
    if (flowCache) flowCache.set(el, result);
    return result;
  }

  function applyVisibility(t) {
    var els = document.querySelectorAll("[data-hf-start]");
    var shown = [];
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var visible = inWindow(el, t);
      for (var up = el.parentElement; visible && up; up = up.parentElement) {
        if (up.hasAttribute("data-hf-start") && !inWindow(up, t)) visible = false;
      }
      shown.push(visible);
    }
    for (var j = 0; j < els.length; j++) {
      var node = els[j];
      var gone = !shown[j] && leavesFlow(node);
      if (shown[j]) node.removeAttribute("data-hf-hidden");
      else node.setAttribute("data-hf-hidden", "");
      if (gone) node.setAttribute("data-hf-gone", "");
      else node.removeAttribute("data-hf-gone");
    }
  }


  function seekTimelines(t) {
    var tls = window.__timelines || {};
    var root = rootTimeline(tls);
    if (root) seekRootTimeline(root, t);
    var seen = {};
    var instances = window.__hfInstanceTimelines || {};
    var hosts = document.querySelectorAll("[data-hf-comp]");
    for (var i = 0; i < hosts.length; i++) {
      var id = hosts[i].getAttribute("data-hf-comp");
      /* the timeline this instance's scripts registered (hf_script_scope.js); else the one
       * registered under the composition's id, driven by its first host */
      var own = instances[hosts[i].getAttribute("data-hf-scope")];
      var tl = own || (seen[id] ? null : tls[id]);
      seen[id] = true;
      if (tl && tl !== root) seekChildTimeline(tl, t - num(hosts[i], "data-hf-origin"));
    }
    /* Timelines of compositions written inline (no data-composition-src) run from their
     * element's start; HyperFrames leaves timelines that match no element alone. */
    for (var key in tls) {
      if (seen[key] || key === cfg.rootId || !tls[key] || tls[key] === root) continue;
      var node = document.querySelector("[data-composition-id=" + JSON.stringify(key) + "]");
      if (!node) continue;
      var start = node.hasAttribute("data-hf-start") ? num(node, "data-hf-start") : originOf(node);
      seekChildTimeline(tls[key], t - (isFinite(start) ? start : 0));
    }
  }

  var MOVING = /^(transform|rotate|scale|translate|offset[A-Z].*)$/;
  var movingCache = typeof WeakMap === "function" ? new WeakMap() : null;

  function movesTarget(anim) {
    if (movingCache && movingCache.has(anim)) return movingCache.get(anim);
    var effect = anim.effect, found = false;
    if (effect && effect.getKeyframes) {
      var frames = effect.getKeyframes();
      for (var i = 0; i < frames.length && !found; i++) {
        for (var key in frames[i]) if (MOVING.test(key)) found = true;
      }
    }
    if (movingCache) movingCache.set(anim, found);
    return found;
  }

  /* A current transform animation puts its element on a compositor layer whose raster scale
   * Chromium holds from frame to frame while the transform "animates"; seeked rather than
   * played, what it holds depends on which frames this view drew before, so a still or a
   * farm chunk differed from the same frame of a whole render. Blink gives an animation no
   * layer of its own inside a subtree marked will-change: contents (unless it runs on the
   * compositor thread, which the capture worker turns off), so while the seeked time has an
   * animation that moves its element, the page root carries that mark: the element is painted
   * with the page at the scale of this frame alone. (The capture worker also turns off
   * partial raster: a tile is always rastered whole, never patched around a changed box.) */
  var flattenSheet = null;

  function flattenMovingAnimations() {
    var moving = false;
    if (document.getAnimations) {
      var anims = document.getAnimations();
      for (var i = 0; i < anims.length && !moving; i++) moving = movesTarget(anims[i]);
    }
    if (!flattenSheet) {
      if (!moving) return;
      flattenSheet = document.createElement("style");
      flattenSheet.id = "__hf_flatten";
      flattenSheet.textContent = ":root{will-change:contents !important}";
      document.documentElement.appendChild(flattenSheet);
    }
    flattenSheet.disabled = !moving;
    if (flattenSheet.sheet) flattenSheet.sheet.disabled = !moving;
  }

  function seekAnimations(t) {
    if (!document.getAnimations) return;
    var anims = document.getAnimations();
    for (var i = 0; i < anims.length; i++) {
      var a = anims[i];
      var target = a.effect && a.effect.target;
      var local = t - originOf(target);
      if (a.playState !== "paused") a.pause();
      a.currentTime = Math.max(0, local) * 1000;
    }
  }

  /* Without extracted frames (the studio preview) a <video> is seeked natively: close to the
   * render, though only the renderer's extracted frames are frame-exact. */
  function seekVideos(t) {
    var videos = document.querySelectorAll("video[data-hf-media]");
    for (var i = 0; i < videos.length; i++) {
      var v = videos[i];
      if (!v.currentSrc && !v.getAttribute("src")) continue;
      var start = v.hasAttribute("data-hf-start") ? num(v, "data-hf-start") : 0;
      var offset = parseFloat(v.getAttribute("data-media-start")) || 0;
      var rate = parseFloat(v.getAttribute("data-playback-rate")) || 1;
      var local = offset + Math.max(0, t - start) * rate;
      if (!v.paused) v.pause();
      if (Math.abs(v.currentTime - local) > 0.001) v.currentTime = local;
    }
  }

  /* Readiness checks of the adapters (hf_adapters.js): all must say true. Every one is
   * asked each time (a check may start work, e.g. drive the clock for d3). */
  function adaptersReady() {
    var checks = window.__hf_ready_checks || [], ready = true;
    for (var i = 0; i < checks.length; i++) {
      try { if (!checks[i]()) ready = false; } catch (e) { /* a broken check blocks nothing */ }
    }
    return ready;
  }

  /* The page's clock, then every same-origin iframe's (given one if it has none yet), as
   * HyperFrames drives them: requestAnimationFrame loops in an iframe run on the parent's
   * time. */
  function seekClocks(win, ms) {
    var own = win.__HF_VIRTUAL_TIME__;
    if (!own && typeof window.__hf_install_virtual_time === "function") {
      own = window.__hf_install_virtual_time(win);
    }
    if (own) own.seekToTime(ms);
    var frames;
    try { frames = win.frames; } catch (e) { return; }
    for (var i = 0; frames && i < frames.length; i++) {
      try {
        var child = frames[i];
        if (!child || child === win) continue;
        void child.document; /* throws for a cross-origin frame */
        seekClocks(child, ms);
      } catch (e) { /* cross-origin: left alone */ }
    }
  }

  /* Later stages (video frames, ...) register extra per-seek work here: fn(t, frame). */
  window.__hf_seek_hooks = window.__hf_seek_hooks || [];

  /* A hook may return a Promise (e.g. an image still decoding): the frame strip is then
   * painted only once every promise has settled, so a grab never sees a half-ready frame. */
  function runHooks(t, frame) {
    var hooks = window.__hf_seek_hooks, waits = [];
    for (var i = 0; i < hooks.length; i++) {
      var result = hooks[i](t, frame);
      if (result && typeof result.then === "function") waits.push(result);
    }
    return waits;
  }

  var seekSerial = 0;

  function paintStrip(frame) {
    var strip = document.getElementById("__hf_strip");
    if (!strip) {
      strip = document.createElement("div");
      strip.id = "__hf_strip";
      strip.style.cssText =
        /* From the stage's bottom edge to the viewport's: the capture view keeps the same
         * number of device rows below the stage at any scale, so the strip never rounds away.
         * Only a corner wide (cfg.stripWidth): the compositor redraws the bounding box of all
         * that changed, and a full-width strip stretched it over the frame's width. */
        "position:fixed;left:0;top:" + cfg.height + "px;width:" + cfg.stripWidth +
        "px;bottom:0;height:auto;z-index:2147483647;margin:0;padding:0;" +
        "border:0;transform:none;opacity:1;visibility:visible;display:block";
      document.documentElement.appendChild(strip);
    }
    var r = frame & 255, g = (frame >> 8) & 255, b = (r ^ g ^ 0xa5) & 255;
    strip.style.background = "rgb(" + r + "," + g + "," + b + ")";
  }

  function timeOf(frame) {
    return (frame * cfg.fpsDen) / cfg.fpsNum;
  }

  var state = { fontsReady: false, errors: [], scriptErrors: 0, loadedAt: null };
  /* How long after load a root timeline may still arrive before the page renders without. */
  var LATE_TIMELINE_MS = 1000;
  window.addEventListener("load", function () { state.loadedAt = realNow(); });

  /* The bundled-fonts preload (injected after this script) publishes a promise; wait for it
   * too, so text that first appears mid-video is already in its final face. */
  var preload = { watched: false, done: false };
  function fontsPreloaded() {
    var p = window.__hf_fonts_loading;
    if (!p || typeof p.then !== "function") return true;
    if (!preload.watched) {
      preload.watched = true;
      p.then(function (failed) {
        if (failed && failed.length) state.errors.push("fonts failed to load: " + failed.join(", "));
        preload.done = true;
      }, function (e) {
        state.errors.push("fonts failed to load: " + String(e));
        preload.done = true;
      });
    }
    return preload.done;
  }
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(function () { state.fontsReady = true; });
  } else {
    state.fontsReady = true;
  }
  window.addEventListener("error", function (e) {
    var where = e.filename ? " (" + String(e.filename).split("/").pop() + ":" + e.lineno + ")" : "";
    state.errors.push(String(e.message || e.type) + where);
    if (e.message) state.scriptErrors++; /* an uncaught exception, not a failed resource */
  }, true);

  /* HyperFrames' variables API: a script inside a nested composition gets its host's values
   * (found through document.currentScript while it runs), any other caller the root's. */
  window.__hyperframes = window.__hyperframes || {};
  window.__hyperframes.getVariables = function () {
    var vars = cfg.variables || {};
    var script = document.currentScript;
    var host = script && script.closest ? script.closest("[data-hf-vars]") : null;
    var own = host ? vars[host.getAttribute("data-hf-vars")] : vars.root;
    return JSON.parse(JSON.stringify(own || {}));
  };

  window.__hf = {
    config: cfg,
    /* JSON: whether the page can be seeked yet, and what is still missing. */
    status: function () {
      applyLayout();
      var tls = window.__timelines || {};
      var missing = [], absent = [];
      if (!cfg.noTimeline && !tls[cfg.rootId]) {
        /* HyperFrames renders a composition without a timeline from its data-duration. A
         * timeline may still be registered late (after a fetch, fonts...): wait for it a
         * little, and for good when the page threw (it was likely to come after the throw)
         * or when the page's timeline is the only source of the duration. */
        var since = state.loadedAt === null ? 0 : realNow() - state.loadedAt;
        var waiting = state.loadedAt === null || since < LATE_TIMELINE_MS;
        if (state.scriptErrors || cfg.durationFromPage || waiting) missing.push(cfg.rootId);
        else absent.push(cfg.rootId);
      }
      var imgs = document.images, pendingImages = 0;
      for (var i = 0; i < imgs.length; i++) if (!imgs[i].complete) pendingImages++;
      return JSON.stringify({
        adaptersReady: adaptersReady(),
        duration: pageDuration(tls),
        loaded: document.readyState === "complete",
        fontsReady: state.fontsReady && fontsPreloaded(),
        missingTimelines: missing,
        absentTimelines: absent,
        pendingImages: pendingImages,
        errors: state.errors.slice(0, 5),
        scriptErrors: state.scriptErrors
      });
    },
    time: timeOf,
    seekTime: function (t, frameTag) {
      return seekNow(t, frameTag);
    },
    seek: function (frame) {
      return window.__hf.seekTime(timeOf(frame), frame);
    },
    /* Paint the frame strip with `tag` without seeking: a capture of another state of the
     * same frame (hf_shader_layers.js) says when it is on screen. */
    mark: function (tag) {
      if (cfg.strip) paintStrip(tag);
    }
  };

  function seekNow(t, frameTag) {
    if (window.__hf_shader) window.__hf_shader.restore(); /* a scene isolated for a layer */
    applyLayout();
    applyVisibility(t);
    seekTimelines(t);
    seekAnimations(t);
    if (cfg.strip) flattenMovingAnimations();
    seekVideos(t);
    seekClocks(window, t * 1000);
    var waits = runHooks(t, frameTag);
    var serial = ++seekSerial;
    if (!cfg.strip) return frameTag;
    if (!waits.length) {
      paintStrip(frameTag);
    } else {
      Promise.all(waits).then(function () {
        if (serial === seekSerial) paintStrip(frameTag);
      });
    }
    return frameTag;
  }
})();
