/* HyperFrames Desktop: shows frames extracted by FFmpeg in place of <video> clips.
 *
 * Injected after the seek runtime, with window.__HF_VIDEO_FRAMES =
 * { "<data-hf-media key>": { start_frame: F, paths: [url of output frame F, F+1, ...],
 *                            width: W, height: H } }.
 *
 * The render page never plays media: every <video> loses its media (src, <source>, poster,
 * autoplay, controls) and play() does nothing. A zero-specificity rule from the compile
 * stage gives each video its source's natural size (contain-intrinsic-size + aspect-ratio),
 * so the media-less video is laid out exactly as the loaded one would be.
 *
 * Each video with frames gets an <img> as its NEXT SIBLING (same parent: same ancestors'
 * transforms, opacity and clipping; and, for the usual absolutely positioned clip, the same
 * containing block and the same paint slot, right after the video). The video stays in the
 * layout, hidden (visibility), so the author's CSS, GSAP tweens and CSS animations keep
 * driving it; on every seek the img copies the video's box (position, size, margins,
 * borders, padding) and every property that changes how it paints (visibility, opacity,
 * transforms, filters, clip-path, radius, object-fit/-position, z-index, ...) from the
 * video's computed style, read with the hiding switched off for that moment.
 *
 * Why not the video's own poster: a poster has no readiness signal, and switching it raced
 * the paint (stale frames). An <img> has decode(): the hook returns its promise and the seek
 * runtime paints the frame strip only after it settles, so a grab never sees an old frame.
 */
(function () {
  "use strict";
  var cfg = window.__HF_CONFIG || { fpsNum: 30, fpsDen: 1 };
  var frames = window.__HF_VIDEO_FRAMES || {};
  var COVERED = "data-hf-covered";
  var KEEP_DECODED = 12;
  var PREFETCH = 3;
  /* Copied from the video's computed style as they are. */
  var COPIED = [
    "box-sizing", "width", "height",
    "padding-top", "padding-right", "padding-bottom", "padding-left",
    "border-top-width", "border-right-width", "border-bottom-width", "border-left-width",
    "border-top-style", "border-right-style", "border-bottom-style", "border-left-style",
    "border-top-color", "border-right-color", "border-bottom-color", "border-left-color",
    "border-top-left-radius", "border-top-right-radius",
    "border-bottom-right-radius", "border-bottom-left-radius",
    "background-color", "background-image", "background-size", "background-position",
    "background-repeat", "background-origin", "background-clip",
    "box-shadow", "outline-style", "outline-width", "outline-color", "outline-offset",
    "visibility", "opacity", "z-index", "isolation", "mix-blend-mode",
    "transform", "transform-origin", "transform-style", "transform-box",
    "translate", "rotate", "scale", "perspective", "perspective-origin", "backface-visibility",
    "filter", "backdrop-filter", "clip-path",
    "-webkit-mask-image", "-webkit-mask-size", "-webkit-mask-position", "-webkit-mask-repeat",
    "object-fit", "object-position", "image-rendering"
  ];
  var MARGINS = ["margin-top", "margin-right", "margin-bottom", "margin-left"];
  /* Fixed on the img: nothing of the author's img rules or of wall-clock time may leak in. */
  var FIXED = {
    "right": "auto", "bottom": "auto", "min-width": "0", "min-height": "0",
    "max-width": "none", "max-height": "none", "float": "none",
    "animation": "none", "transition": "none", "pointer-events": "none",
    "content-visibility": "visible", "will-change": "auto"
  };

  /* The render only ever seeks: no media element may play (audio is mixed by FFmpeg). */
  if (window.HTMLMediaElement) {
    HTMLMediaElement.prototype.play = function () {
      try { this.pause(); } catch (e) { /* nothing to pause */ }
      return Promise.resolve();
    };
  }

  /* Prefetched frames, kept alive so they are in the memory cache when an img asks. */
  var decoded = {}, decodeOrder = [];
  function prefetch(url) {
    if (decoded[url]) return;
    var img = new Image();
    img.decoding = "sync";
    img.src = url;
    if (img.decode) img.decode().catch(function () { /* reported when it is shown */ });
    decoded[url] = img;
    decodeOrder.push(url);
    while (decodeOrder.length > KEEP_DECODED) delete decoded[decodeOrder.shift()];
  }

  function stripMedia(video) {
    if (video.__hfStripped) return;
    video.__hfStripped = true;
    try { video.pause(); } catch (e) { /* not ready yet */ }
    video.autoplay = false;
    var attrs = ["autoplay", "controls", "poster", "src"];
    for (var i = 0; i < attrs.length; i++) video.removeAttribute(attrs[i]);
    var sources = video.querySelectorAll("source");
    for (var j = 0; j < sources.length; j++) sources[j].parentNode.removeChild(sources[j]);
    try { video.load(); } catch (e) { /* now without media */ }
  }

  var overlays = {};  // key -> { video, img }

  function overlayFor(key) {
    var known = overlays[key];
    if (known && known.video.isConnected && known.img.parentNode === known.video.parentNode) {
      return known;
    }
    var video = document.querySelector('video[data-hf-media="' + key + '"]');
    if (!video || !video.parentNode) return null;
    stripMedia(video);
    var img = known ? known.img : document.createElement("img");
    img.setAttribute("data-hf-frame", key);
    img.setAttribute("alt", "");
    img.setAttribute("aria-hidden", "true");
    img.decoding = "sync";
    video.parentNode.insertBefore(img, video.nextSibling);
    video.setAttribute(COVERED, "");
    overlays[key] = { video: video, img: img };
    return overlays[key];
  }

  function set(style, name, value) {
    if (style.getPropertyValue(name) !== value || style.getPropertyPriority(name) !== "important") {
      style.setProperty(name, value, "important");
    }
  }

  /* Put the img exactly where the video is and make it paint as the video would. */
  function follow(video, img) {
    video.removeAttribute(COVERED);
    var cs = getComputedStyle(video);
    var values = {}, i;
    for (i = 0; i < COPIED.length; i++) values[COPIED[i]] = cs.getPropertyValue(COPIED[i]);
    var position = cs.getPropertyValue("position");
    var display = cs.getPropertyValue("display");
    if (position === "absolute" || position === "fixed") {
      values.position = position;
      values.left = cs.getPropertyValue("left");
      values.top = cs.getPropertyValue("top");
      for (i = 0; i < MARGINS.length; i++) values[MARGINS[i]] = cs.getPropertyValue(MARGINS[i]);
    } else {
      // In flow: the img is absolute in the same containing block (usually the video's
      // offsetParent), at the video's border-box offset.
      values.position = "absolute";
      values.left = video.offsetLeft + "px";
      values.top = video.offsetTop + "px";
      for (i = 0; i < MARGINS.length; i++) values[MARGINS[i]] = "0px";
    }
    values.display = display === "none" ? "none" : "block";
    video.setAttribute(COVERED, "");
    var style = img.style;
    for (var name in values) set(style, name, values[name]);
    for (var fixed in FIXED) set(style, fixed, FIXED[fixed]);
  }

  function stripAll() {
    var videos = document.getElementsByTagName("video");
    for (var i = 0; i < videos.length; i++) stripMedia(videos[i]);
  }

  function frameIndex(t, frame) {
    if (typeof frame === "number" && isFinite(frame) && Math.floor(frame) === frame) return frame;
    return Math.floor((t * cfg.fpsNum) / cfg.fpsDen + 1e-6);
  }

  function onSeek(t, frame) {
    stripAll();
    var f = frameIndex(t, frame), waits = [];
    for (var key in frames) {
      var entry = frames[key], paths = entry.paths;
      if (!paths.length) continue;
      var pair = overlayFor(key);
      if (!pair) continue;
      // Outside the clip window the video is hidden (data-hf-hidden) and so is the img; it
      // keeps the nearest frame, ready for when the window opens.
      var i = Math.min(Math.max(f - entry.start_frame, 0), paths.length - 1);
      follow(pair.video, pair.img);
      if (pair.img.getAttribute("src") !== paths[i]) pair.img.setAttribute("src", paths[i]);
      waits.push(pair.img.decode().catch(failed(paths[i])));
      for (var k = 1; k <= PREFETCH && i + k < paths.length; k++) prefetch(paths[i + k]);
    }
    return waits.length ? Promise.all(waits) : null;
  }

  /* A frame that cannot be shown must not be painted as if it were: report it and never
   * settle, so the renderer stops with "frame did not paint" instead of a wrong picture. */
  function failed(url) {
    return function () {
      if (window.console) console.error("HyperFrames: cannot show extracted video frame " + url);
      return new Promise(function () {});
    };
  }

  function install() {
    stripAll();
    for (var key in frames) {
      var pair = frames[key].paths.length ? overlayFor(key) : null;
      if (pair && !pair.img.getAttribute("src")) {
        // the first frame now, so the page is ready to seek (the renderer waits for images)
        pair.img.setAttribute("src", frames[key].paths[0]);
        follow(pair.video, pair.img);
      }
    }
  }

  window.__hf_seek_hooks = window.__hf_seek_hooks || [];
  window.__hf_seek_hooks.push(onSeek);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", install);
  } else {
    install();
  }
})();
