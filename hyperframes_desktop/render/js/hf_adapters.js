/* HyperFrames Desktop: the animation libraries HyperFrames' runtime drives besides GSAP,
 * and the readiness it waits for (facts from its adapters, not its code). Each adapter is a
 * seek hook (see seek_runtime.js: fn(t) may return a Promise the frame waits for) and/or a
 * readiness check (fn() -> true when ready; the page is not seekable until all are).
 *
 * - the `hf-seek` CustomEvent on window at every new time: detail.time (seconds) and
 *   detail.waitUntil(promise), callable only synchronously from the listener; the frame is
 *   captured once every promise settled. window.__hfThreeTime / __hfTypegpuTime hold it too.
 * - three.js: while THREE.DefaultLoadingManager has items loading, the page is not ready.
 * - d3: transitions listed in window.__hfD3 are waited for (their end()). d3 runs them on
 *   requestAnimationFrame and performance.now, which the virtual clock holds still, so until
 *   the first seek (and for at most D3_WAIT_MS) the clock follows real time while any of
 *   them is pending: they play out once, before frame 0, instead of never (HyperFrames'
 *   own renderer waits forever here and fails with "zero duration").
 * - anime.js: instances in window.__hfAnime (and anime.running) are paused and seeked (ms).
 * - Lottie: lottie-web animations (lottie.getRegisteredAnimations(), window.__hfLottie) go to
 *   the time (goToAndStop(ms)); dotLottie players to the frame (setCurrentRawFrameValue) or
 *   percentage (seek).
 * - CSS and WAAPI animations are seeked by the seek runtime itself (document.getAnimations).
 */
(function () {
  "use strict";
  var hooks = (window.__hf_seek_hooks = window.__hf_seek_hooks || []);
  var checks = (window.__hf_ready_checks = window.__hf_ready_checks || []);

  function each(list, fn) {
    for (var i = 0; i < list.length; i++) {
      try { fn(list[i]); } catch (e) { /* one instance's failure stops no other */ }
    }
  }

  function merge(name, found) {
    var into = window[name] || [];
    each(found || [], function (item) { if (into.indexOf(item) === -1) into.push(item); });
    window[name] = into;
    return into;
  }

  var seeked = false;

  /* hf-seek: once per new time. */
  var lastTime = -1;
  hooks.push(function (t) {
    seeked = true;
    window.__hfThreeTime = t;
    window.__hfTypegpuTime = t;
    if (t === lastTime) return null;
    lastTime = t;
    var pending = [], accepting = true;
    var detail = {
      time: t,
      waitUntil: function (promise) {
        if (!accepting) throw new Error("hf-seek waitUntil() must be called synchronously from the event listener");
        pending.push(promise);
      }
    };
    try { window.dispatchEvent(new CustomEvent("hf-seek", { detail: detail })); } catch (e) { /* listener threw */ }
    accepting = false;
    if (!pending.length) return null;
    return Promise.all(pending).then(function () {}, function () {});
  });

  /* anime.js */
  hooks.push(function (t) {
    var anime = window.anime;
    var instances = merge("__hfAnime", anime && Array.isArray(anime.running) ? anime.running : []);
    each(instances, function (a) {
      if (typeof a.pause === "function") a.pause();
      if (typeof a.seek === "function") a.seek(t * 1000);
    });
  });

  /* Lottie */
  hooks.push(function (t) {
    var lottie = window.lottie;
    var found = lottie && typeof lottie.getRegisteredAnimations === "function"
      ? lottie.getRegisteredAnimations() : [];
    each(merge("__hfLottie", found), function (anim) {
      if (typeof anim.goToAndStop === "function" && "totalFrames" in anim && typeof anim.goToAndPlay === "function") {
        anim.goToAndStop(t * 1000, false);
      } else if (typeof anim.setCurrentRawFrameValue === "function") {
        var total = anim.totalFrames || 0, rate = anim.frameRate || 30;
        if (total > 0) anim.setCurrentRawFrameValue(Math.min(t * rate, total - 1));
      } else if (typeof anim.seek === "function") {
        anim.seek(Math.min(100, (t / (anim.duration || 1)) * 100));
      }
      if (typeof anim.pause === "function") anim.pause();
    });
  });

  /* three.js: loading manager idle */
  checks.push(function () {
    var mgr = window.THREE && window.THREE.DefaultLoadingManager;
    if (!mgr || typeof mgr.itemsTotal !== "number" || typeof mgr.itemsLoaded !== "number") return true;
    return mgr.itemsTotal <= mgr.itemsLoaded;
  });

  /* d3: registered transitions ended */
  var D3_WAIT_MS = 8000;
  var d3Done = typeof WeakSet === "function" ? new WeakSet() : null, d3Waiting = 0;
  var d3Since = null;

  function pumpClock() {
    var clock = window.__HF_VIRTUAL_TIME__;
    if (!clock || !clock.realRequestAnimationFrame) return;
    var start = clock.realNow();
    d3Since = start;
    (function tick() {
      if (seeked || d3Waiting === 0 || clock.realNow() - start > D3_WAIT_MS) return;
      clock.seekToTime(clock.realNow() - start);
      clock.realRequestAnimationFrame(tick);
    })();
  }

  checks.push(function () {
    var list = window.__hfD3;
    if (!Array.isArray(list) || !d3Done) return d3Waiting === 0;
    each(list, function (tr) {
      if (!tr || d3Done.has(tr) || typeof tr.end !== "function") return;
      d3Done.add(tr);
      d3Waiting++;
      Promise.resolve(tr.end()).then(function () { d3Waiting--; }, function () { d3Waiting--; });
    });
    if (d3Waiting > 0 && d3Since === null) pumpClock();
    var clock = window.__HF_VIRTUAL_TIME__;
    var late = d3Since !== null && clock && clock.realNow() - d3Since > D3_WAIT_MS;
    return d3Waiting === 0 || late;
  });
})();
