/* HyperFrames Desktop: the page's clock is the composition's, as in HyperFrames' renderer.
 *
 * Facts taken from HyperFrames (not its code): before any composition script runs,
 * Date / Date.now() and performance.now() are frozen at the "virtual" time, and
 * requestAnimationFrame callbacks are queued, then run once, with the virtual time as their
 * timestamp, at every seek. So a composition animated from requestAnimationFrame or
 * Date.now() shows at frame N what belongs at N / fps, whatever the wall clock did. Timers
 * (setTimeout/setInterval) keep real time. Same-origin iframes get the same clock (the seek
 * runtime installs this script in them and seeks them too).
 *
 * Installs itself into a window once: window.__hf_install_virtual_time(win).
 */
(function () {
  "use strict";

  function install(win) {
    if (!win || win.__HF_VIRTUAL_TIME__) return win && win.__HF_VIRTUAL_TIME__;
    var now = 0, nextId = 1, queue = [];
    var RealDate = win.Date;
    var realNow = win.performance && win.performance.now ? win.performance.now.bind(win.performance) : null;
    var realRaf = win.requestAnimationFrame ? win.requestAnimationFrame.bind(win) : null;
    var realCancel = win.cancelAnimationFrame ? win.cancelAnimationFrame.bind(win) : null;

    function VirtualDate() {
      var args = Array.prototype.slice.call(arguments);
      if (!(this instanceof VirtualDate)) return RealDate.apply(null, args.length ? args : [now]);
      var made = args.length
        ? new (Function.prototype.bind.apply(RealDate, [null].concat(args)))()
        : new RealDate(now);
      Object.setPrototypeOf(made, VirtualDate.prototype);
      return made;
    }
    VirtualDate.prototype = RealDate.prototype;
    Object.setPrototypeOf(VirtualDate, RealDate);
    VirtualDate.now = function () { return now; };
    VirtualDate.parse = RealDate.parse.bind(RealDate);
    VirtualDate.UTC = RealDate.UTC.bind(RealDate);
    try {
      Object.defineProperty(win, "Date", { configurable: true, writable: true, value: VirtualDate });
    } catch (e) { /* a page that froze Date keeps it */ }
    if (realNow) {
      try {
        Object.defineProperty(win.performance, "now", {
          configurable: true, value: function () { return now; }
        });
      } catch (e) { /* keep the real one */ }
    }
    win.requestAnimationFrame = function (callback) {
      if (typeof callback !== "function") return 0;
      var entry = { id: nextId++, callback: callback, cancelled: false };
      queue.push(entry);
      return entry.id;
    };
    win.cancelAnimationFrame = function (id) {
      for (var i = 0; i < queue.length; i++) if (queue[i].id === id) queue[i].cancelled = true;
    };

    var clock = {
      /* The real ones, for the runtime's own waits. */
      realNow: realNow || function () { return RealDate.now(); },
      realRequestAnimationFrame: realRaf,
      realCancelAnimationFrame: realCancel,
      seekToTime: function (ms) {
        now = Math.max(0, Number(ms) || 0);
        var due = queue.slice();
        queue.length = 0;
        for (var i = 0; i < due.length; i++) {
          if (due[i].cancelled) continue;
          try { due[i].callback(now); } catch (e) { /* one callback's error stops no other */ }
        }
        return now;
      },
      getTime: function () { return now; }
    };
    win.__HF_VIRTUAL_TIME__ = clock;
    return clock;
  }

  window.__hf_install_virtual_time = install;
  install(window);
})();
