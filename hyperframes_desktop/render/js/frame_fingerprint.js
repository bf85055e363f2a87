/* HyperFrames Desktop: a fingerprint of what a frame shows, for the incremental render cache.
 *
 * window.__hf_fingerprint.run([frames]) seeks each frame in turn (through window.__hf.seek,
 * waiting until the seek runtime paints the frame strip, so parked animations and decoding
 * images are settled) and hashes the frame's state: the visible DOM subtree (tags, every
 * attribute, inline styles included, text), the time of every CSS/WAAPI animation, media
 * elements' current times, the page's style sheets and its scripts. poll() says how far it
 * got, and gives the fingerprints once every frame is done.
 *
 * A frame whose pixels are not described by the DOM (a visible canvas, iframe, embed, object
 * or SMIL animation) gets the fingerprint "", which the renderer never reuses: when in doubt,
 * capture. Nothing here changes the page except the strip's colour, which every seek repaints.
 */
(function () {
  "use strict";
  var OPAQUE = { CANVAS: 1, IFRAME: 1, EMBED: 1, OBJECT: 1, ANIMATE: 1, ANIMATEMOTION: 1,
    ANIMATETRANSFORM: 1, SET: 1 };
  var SILENT = { SCRIPT: 1, NOSCRIPT: 1, TEMPLATE: 1 };
  var STRIP_ID = "__hf_strip";
  /* A clip's timing paints nothing by itself: the seek runtime turns it into what does (the
   * data-hf-hidden/-gone switches, timeline styles, animation times, media frames), and those
   * are hashed. Left out, a moved clip changes only the frames where it shows, or showed. */
  var TIMING = { "data-start": 1, "data-duration": 1, "data-end": 1, "data-hf-start": 1,
    "data-hf-end": 1 };
  var WAIT_MS = 15000;
  /* The page's Date and performance.now() are the composition's frozen clock: wait in real time. */
  var clock = window.__HF_VIRTUAL_TIME__;
  var realNow = clock && clock.realNow ? clock.realNow : function () { return performance.now(); };

  /* Three 32-bit FNV-style lanes with different primes and rotations: a 96-bit hash. */
  function Hash() { this.a = 0x811c9dc5; this.b = 0x01000193; this.c = 0x9e3779b9; }
  Hash.prototype.add = function (value) {
    var s = String(value), a = this.a, b = this.b, c = this.c;
    for (var i = 0; i < s.length; i++) {
      var ch = s.charCodeAt(i);
      a = Math.imul(a ^ ch, 16777619);
      b = Math.imul(b ^ ch, 0x5bd1e995); b = (b << 13) | (b >>> 19);
      c = Math.imul(c + ch, 0x27d4eb2d); c ^= c >>> 15;
    }
    /* a separator, so ("ab", "c") and ("a", "bc") differ */
    this.a = Math.imul(a ^ 0x1f, 16777619);
    this.b = Math.imul(b ^ 0x1f, 0x5bd1e995);
    this.c = Math.imul(c + 0x1f, 0x27d4eb2d);
  };
  function hex8(n) { return ("0000000" + (n >>> 0).toString(16)).slice(-8); }
  Hash.prototype.hex = function () { return hex8(this.a) + hex8(this.b) + hex8(this.c); };

  /* The compiled page's folder is a fresh temp folder per render: its URLs are hashed as
   * "@page/NAME" so two renders of one state agree. */
  var pageDir = (function () {
    var scripts = document.getElementsByTagName("script");
    for (var i = 0; i < scripts.length; i++) {
      var src = scripts[i].getAttribute("src") || "";
      var at = src.lastIndexOf("/hf-runtime.js");
      if (at > 0 && at === src.length - "/hf-runtime.js".length) return src.slice(0, at + 1);
    }
    return "";
  })();
  function norm(text) {
    text = String(text);
    return pageDir && text.indexOf(pageDir) !== -1 ? text.split(pageDir).join("@page/") : text;
  }

  /* The page's own generated sheet (bundled fonts' rules, ~450 kB) carries the digest of
   * its text, computed when it was written: hashing that instead of serializing its rules
   * saves every view that work on its first frame. Only the compiled page's own file counts
   * (its folder is the renderer's, never the project's). */
  var GENERATED_SHEET = "@page/hf-page.css";

  /* A sheet's rules as the page holds them (a script may have edited them in place since the
   * text was parsed, for instance from a hidden element's text). */
  function rulesText(el) {
    var text = "";
    try {
      var rules = el.sheet ? el.sheet.cssRules : null;
      for (var i = 0; rules && i < rules.length; i++) text += "\n" + norm(rules[i].cssText);
    } catch (e) { /* not readable: its (page-relative) address stands for it */ }
    return text;
  }

  function sheetText(el) {
    if (el.tagName === "STYLE") return el.textContent + "\u0000" + rulesText(el);
    var text = norm(el.getAttribute("href"));
    var digest = el.getAttribute("data-hf-digest");
    if (digest && text === GENERATED_SHEET) return text + "#" + digest;
    return text + rulesText(el);
  }

  function ruleCount(el) {
    try { return el.sheet ? el.sheet.cssRules.length : -1; } catch (e) { return -2; }
  }

  /* A <style>'s text length without copying its text (the bundled fonts' rules alone are
   * ~430 kB: textContent.length copied them on every frame). */
  function textLength(el) {
    var n = 0;
    for (var c = el.firstChild; c; c = c.nextSibling) n += c.nodeType === 3 ? c.length : -1000000;
    return n;
  }

  var sheetsDigest = null, sheetsShape = null;

  /* The document's style sheets (in the head too, which is never "visible"): their full text
   * and rules once, their count, lengths and rule counts on every frame (a script that edits
   * them, or inserts rules, changes those). A rule a script edits in place while frames are
   * seeked, from something the fingerprint does not see (hidden text), is not noticed: the
   * rules are read on the first frame only (a project's own sheets can be large; serializing
   * them on every frame would cost more than the rest of the fingerprint). */
  function addSheets(h) {
    var styles = document.querySelectorAll("style, link[rel~=stylesheet]"), shape = [];
    for (var i = 0; i < styles.length; i++) {
      var el = styles[i];
      shape.push(el.tagName === "STYLE" ? textLength(el) + ":" + ruleCount(el) :
        norm(el.getAttribute("href")) + ":" + ruleCount(el));
    }
    var key = shape.join("|");
    if (sheetsShape !== key) {
      var whole = new Hash();
      for (var j = 0; j < styles.length; j++) {
        whole.add(sheetText(styles[j]));
      }
      sheetsDigest = whole.hex();
      sheetsShape = key;
    }
    h.add(sheetsDigest);
    h.add(key);  /* a rule inserted into a <style> leaves its text as it was */
  }

  var scriptsDigest = null, scriptsCount = -1;

  /* Every script of the document: its type, address and (inline) text, hashed whenever the
   * number of scripts changes. A script can change what a frame shows without changing the
   * DOM (a style sheet's rule edited in place through the CSSOM, Web Animations keyframes,
   * FontFace objects...), so an edited script changes every frame's fingerprint: when in
   * doubt, capture. Script files of the project are in the cache's settings key already. */
  function addScripts(h) {
    var scripts = document.getElementsByTagName("script");
    if (scripts.length !== scriptsCount) {
      var whole = new Hash();
      for (var i = 0; i < scripts.length; i++) {
        var el = scripts[i], src = el.getAttribute("src");
        whole.add((el.getAttribute("type") || "") + "|" + (src === null ? "" : norm(src)));
        if (src === null) whole.add(el.text);
      }
      scriptsDigest = whole.hex();
      scriptsCount = scripts.length;
    }
    h.add(scriptsDigest);
  }

  function boxOf(node) {
    var r = node.getBoundingClientRect();
    return "[" + r.left + "," + r.top + "," + r.width + "," + r.height + "]";
  }

  function addAttributes(node, h) {
    var attrs = node.attributes;
    for (var i = 0; i < attrs.length; i++) {
      if (!TIMING[attrs[i].name]) h.add(attrs[i].name + "=" + norm(attrs[i].value));
    }
  }

  /* What an element paints, and its place in the layout when it paints nothing:
   * - display: none: nothing at all;
   * - opacity 0: nothing, itself and everything in it; its box still takes room;
   * - visibility hidden: nothing itself (its text neither), but a child may be visible again,
   *   and inherits from it: its box, then its children, and its attributes only when one of
   *   them is visible.
   * So a hidden scene's text, or a clip's timing, changes only the frames that show them. */
  function visit(node, h, seen) {
    if (node.nodeType === 3) { if (!seen.hidden) h.add("#" + node.data); return; }
    if (node.nodeType !== 1) return;
    var tag = node.tagName.toUpperCase();
    if (node.id === STRIP_ID || SILENT[tag]) return;
    var style = window.getComputedStyle(node);
    if (style.display === "none") { h.add("<" + tag + "/>"); return; }
    /* out of the flow, a box that paints nothing moves nothing else either */
    var placed = style.position === "absolute" || style.position === "fixed";
    if (style.opacity === "0") {
      h.add("<" + tag + " transparent" + (placed ? "" : boxOf(node)) + ">");
      return;
    }
    var hidden = style.visibility !== "visible", outer = seen.hidden, shown = seen.shown;
    if (hidden) {
      h.add("<" + tag + " hidden" + (placed ? "" : boxOf(node)));
      seen.shown = false;
    } else {
      h.add("<" + tag);
      addAttributes(node, h);
      if (node.scrollTop || node.scrollLeft) h.add("scroll" + node.scrollLeft + "," + node.scrollTop);
      seen.shown = true;
      if (OPAQUE[tag]) seen.opaque = true;
      if (tag === "VIDEO" || tag === "AUDIO") h.add("@" + norm(node.currentSrc) + "@" + node.currentTime);
      if (tag === "IMG") h.add("@" + norm(node.currentSrc));
    }
    seen.hidden = hidden;
    if (node.shadowRoot) {
      for (var s = node.shadowRoot.firstChild; s; s = s.nextSibling) visit(s, h, seen);
    }
    for (var c = node.firstChild; c; c = c.nextSibling) visit(c, h, seen);
    if (hidden && seen.shown) {  /* a visible child inherits from it, and sits in its box */
      addAttributes(node, h);
      h.add(boxOf(node));
    }
    seen.hidden = outer;
    seen.shown = shown || seen.shown;
    h.add(">");
  }

  function addAnimations(h) {
    if (!document.getAnimations) return;
    var anims = document.getAnimations();
    for (var i = 0; i < anims.length; i++) {
      var a = anims[i], target = a.effect && a.effect.target;
      h.add((a.animationName || a.transitionProperty || a.id || "") + "@" + a.currentTime +
        "@" + a.playState + "@" + (target ? target.tagName + "#" + target.id + "." +
        (target.getAttribute && target.getAttribute("class")) : ""));
    }
  }

  function fingerprintNow() {
    var h = new Hash(), seen = { opaque: false, hidden: false, shown: false };
    addSheets(h);
    addScripts(h);
    var root = document.documentElement;
    var attrs = root.attributes;
    for (var i = 0; i < attrs.length; i++) h.add(attrs[i].name + "=" + attrs[i].value);
    if (document.body) visit(document.body, h, seen);
    addAnimations(h);
    return seen.opaque ? "" : h.hex();
  }

  var probe = null;
  function stripColour(frame) {
    if (!probe) probe = document.createElement("div");
    var r = frame & 255, g = (frame >> 8) & 255, b = (r ^ g ^ 0xa5) & 255;
    probe.style.background = "rgb(" + r + "," + g + "," + b + ")";
    return probe.style.background;
  }

  var job = { done: true, count: 0, out: [], error: null };

  function step(frames, index) {
    if (index >= frames.length) { job.done = true; return; }
    var frame = frames[index];
    var strip = document.getElementById(STRIP_ID);
    if (strip) strip.style.background = "";  /* so an earlier paint of this frame never counts */
    window.__hf.seek(frame);
    var wanted = stripColour(frame), began = realNow();
    (function check() {
      var now = document.getElementById(STRIP_ID);
      var painted = now ? now.style.background === wanted : !window.__hf.config.strip;
      if (painted) {
        try {
          /* a shader transition's frame is two scenes mixed outside the DOM: always capture */
          var mixed = window.__hf_shader && window.__hf_shader.drawsAt(window.__hf.time(frame));
          job.out.push(mixed ? "" : fingerprintNow());
        } catch (e) {
          job.out.push("");  /* unknown: capture it */
        }
        job.count = index + 1;
        step(frames, index + 1);
      } else if (realNow() - began > WAIT_MS) {
        job.error = "frame " + frame + " never finished seeking";
        job.done = true;
      } else {
        setTimeout(check, 1);
      }
    })();
  }

  window.__hf_fingerprint = {
    run: function (frames) {
      job = { done: false, count: 0, out: [], error: null };
      step(frames, 0);
    },
    poll: function () {
      return JSON.stringify(job.done ? job : { done: false, count: job.count });
    }
  };
})();
