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

  function seekTimeline(tl, t) {
    if (!tl || typeof tl.totalTime !== "function") return;
    if (typeof tl.paused === "function" && !tl.paused()) tl.pause();
    // GSAP only re-renders when the time changes: nudge, then land on t (fires callbacks).
    tl.totalTime(t + 0.001, false);
    tl.totalTime(t, false);
  }

  function applyVisibility(t) {
    var els = document.querySelectorAll("[data-hf-start]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      var visible = t >= num(el, "data-hf-start") - EPS && t < num(el, "data-hf-end") - EPS;
      if (visible) el.removeAttribute("data-hf-hidden");
      else el.setAttribute("data-hf-hidden", "");
    }
  }

  function seekTimelines(t) {
    var tls = window.__timelines || {};
    var seen = {};
    var hosts = document.querySelectorAll("[data-hf-comp]");
    for (var i = 0; i < hosts.length; i++) {
      var id = hosts[i].getAttribute("data-hf-comp");
      if (seen[id]) continue;
      seen[id] = true;
      var local = Math.max(0, t - num(hosts[i], "data-hf-origin"));
      seekTimeline(tls[id], local);
    }
    for (var key in tls) {
      if (!seen[key]) seekTimeline(tls[key], t);
    }
  }

  var MOVING = /^(transform|rotate|scale|translate|offset[A-Z].*)$/;

  function movesTarget(anim) {
    var effect = anim.effect;
    if (!effect || !effect.getKeyframes) return false;
    var frames = effect.getKeyframes();
    for (var i = 0; i < frames.length; i++) {
      for (var key in frames[i]) if (MOVING.test(key)) return true;
    }
    return false;
  }

  /* A current transform animation keeps its element on a compositor layer whose raster scale
   * Chromium deliberately holds from frame to frame while the transform "animates". Seeked
   * rather than played, what it holds depends on which frames this view drew before (the
   * real-time play before the first seek, whichever frames this view got), so one frame came
   * out a few levels different from run to run, and a still or a farm chunk differed from
   * the same frame of a whole render. Parking (cancelling) those animations for a drawn
   * frame ends the "animating" state, so at the real seek the layer picks its raster scale
   * from that frame alone. cancel() rather than a time past the end: infinite ones too.
   * The parked ones stay listed until a seek revives them (a superseded seek included). */
  var parked = [];

  function parkMovingAnimations() {
    if (!document.getAnimations) return false;
    var anims = document.getAnimations(), any = false;
    for (var i = 0; i < anims.length; i++) {
      if (!movesTarget(anims[i])) continue;
      anims[i].cancel();
      if (parked.indexOf(anims[i]) === -1) parked.push(anims[i]);
      any = true;
    }
    return any;
  }

  function afterFrames(count, fn) {
    if (count <= 0) fn();
    else requestAnimationFrame(function () { afterFrames(count - 1, fn); });
  }

  function seekAnimations(t) {
    if (!document.getAnimations) return;
    var anims = document.getAnimations();
    for (var p = 0; p < parked.length; p++) {
      if (anims.indexOf(parked[p]) === -1) anims.push(parked[p]);
    }
    parked = [];
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
  /* rAF turns the parked state must stay for: one commits it, one more gets it drawn. */
  var PARKED_FRAMES = 2;

  function paintStrip(frame) {
    var strip = document.getElementById("__hf_strip");
    if (!strip) {
      strip = document.createElement("div");
      strip.id = "__hf_strip";
      strip.style.cssText =
        /* From the stage's bottom edge to the viewport's: the capture view keeps the same
         * number of device rows below the stage at any scale, so the strip never rounds away. */
        "position:fixed;left:0;top:" + cfg.height + "px;width:" + cfg.width +
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

  var state = { fontsReady: false, errors: [], scriptErrors: 0 };

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
      var tls = window.__timelines || {};
      var missing = [];
      if (!cfg.noTimeline && !tls[cfg.rootId]) missing.push(cfg.rootId);
      var imgs = document.images, pendingImages = 0;
      for (var i = 0; i < imgs.length; i++) if (!imgs[i].complete) pendingImages++;
      return JSON.stringify({
        loaded: document.readyState === "complete",
        fontsReady: state.fontsReady && fontsPreloaded(),
        missingTimelines: missing,
        pendingImages: pendingImages,
        errors: state.errors.slice(0, 5),
        scriptErrors: state.scriptErrors
      });
    },
    time: timeOf,
    seekTime: function (t, frameTag) {
      if (cfg.strip && parkMovingAnimations()) {
        var parkedSerial = ++seekSerial;
        afterFrames(PARKED_FRAMES, function () {
          if (parkedSerial === seekSerial) seekNow(t, frameTag);
        });
        return frameTag;
      }
      return seekNow(t, frameTag);
    },
    seek: function (frame) {
      return window.__hf.seekTime(timeOf(frame), frame);
    }
  };

  function seekNow(t, frameTag) {
    applyVisibility(t);
    seekTimelines(t);
    seekAnimations(t);
    seekVideos(t);
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
