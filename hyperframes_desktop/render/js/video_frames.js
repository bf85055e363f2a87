/* HyperFrames Desktop: shows frames extracted by FFmpeg in place of <video> clips.
 *
 * Injected after the seek runtime, with window.__HF_VIDEO_FRAMES =
 * { "<data-hf-media key>": { start_frame: F, paths: [url of output frame F, F+1, ...] } }.
 *
 * How a frame is shown: the <video> element itself displays it, as its POSTER. Each video is
 * stripped of its media (src, <source>, autoplay, controls) so it never decodes or plays, and
 * on every seek its poster is set to the extracted frame for that output frame. A video
 * without media data paints its poster as its replaced content, sized exactly as the video
 * would be (the poster's natural size is the video's) and honouring object-fit and
 * object-position. Because it is the same element, everything else keeps applying as the
 * author wrote it: CSS selectors, paint order and stacking, ancestors' clipping, transforms,
 * opacity, filters, border-radius, GSAP tweens and CSS animations that target the video, and
 * the clip window's data-hf-hidden. An overlaid <img> would have to copy all of that, and
 * would still paint in a different stacking slot when the video is not positioned.
 *
 * Exactness: the hook returns a promise that settles once the frame's image is fetched and
 * decoded (HTMLImageElement.decode()), and only then points the poster at it: the image is
 * then in the page's memory cache, so the poster switches in the same task, before the seek
 * runtime paints the frame strip that the renderer waits for.
 */
(function () {
  "use strict";
  var cfg = window.__HF_CONFIG || { fpsNum: 30, fpsDen: 1 };
  var frames = window.__HF_VIDEO_FRAMES || {};
  var KEEP_DECODED = 12;
  var PREFETCH = 3;

  /* The render only ever seeks: no media element may play (audio is mixed by FFmpeg). */
  var media = window.HTMLMediaElement && HTMLMediaElement.prototype;
  if (media) {
    media.play = function () {
      try { this.pause(); } catch (e) { /* nothing to pause */ }
      return Promise.resolve();
    };
  }

  var decoded = {};  // url -> Promise (the Image is kept alive so its bitmap stays cached)
  var decodeOrder = [];

  function decode(url) {
    var hit = decoded[url];
    if (hit) return hit.promise;
    var img = new Image();
    img.decoding = "sync";
    var promise = new Promise(function (resolve, reject) {
      img.onload = function () {
        (img.decode ? img.decode() : Promise.resolve()).then(resolve, resolve);
      };
      img.onerror = function () {
        var msg = "HyperFrames: cannot load extracted video frame " + url;
        if (window.console) console.error(msg);
        reject(new Error(msg));
      };
    });
    img.src = url;
    decoded[url] = { img: img, promise: promise };
    decodeOrder.push(url);
    while (decodeOrder.length > KEEP_DECODED) delete decoded[decodeOrder.shift()];
    return promise;
  }

  function strip(video) {
    if (video.__hfStripped) return;
    video.__hfStripped = true;
    try { video.pause(); } catch (e) { /* not ready */ }
    video.autoplay = false;
    video.removeAttribute("autoplay");
    video.removeAttribute("controls");
    video.removeAttribute("poster");
    video.removeAttribute("src");
    var sources = video.querySelectorAll("source");
    for (var i = 0; i < sources.length; i++) sources[i].parentNode.removeChild(sources[i]);
    try { video.load(); } catch (e) { /* resets to 'no media': the poster shows */ }
  }

  function videoFor(key) {
    return document.querySelector('video[data-hf-media="' + key + '"]');
  }

  /* Every <video> of the page: the ones with frames show them, the others show nothing. */
  function stripAll() {
    var videos = document.getElementsByTagName("video");
    for (var i = 0; i < videos.length; i++) strip(videos[i]);
    for (var key in frames) {
      var entry = frames[key], video = videoFor(key);
      // the first frame from the start, so the layout has the video's size before any seek
      if (video && entry.paths.length && !video.hasAttribute("poster")) {
        video.setAttribute("poster", entry.paths[0]);
        video.__hfUrl = entry.paths[0];
      }
    }
  }

  function frameIndex(t, frame) {
    if (typeof frame === "number" && isFinite(frame) && Math.floor(frame) === frame) return frame;
    return Math.floor((t * cfg.fpsNum) / cfg.fpsDen + 1e-6);
  }

  function show(video, url) {
    video.__hfWant = url;
    return decode(url).then(function () {
      if (video.__hfWant === url && video.__hfUrl !== url) {
        video.setAttribute("poster", url);
        video.__hfUrl = url;
      }
    });
  }

  function onSeek(t, frame) {
    stripAll();
    var f = frameIndex(t, frame), waits = [];
    for (var key in frames) {
      var entry = frames[key], paths = entry.paths;
      var video = videoFor(key);
      if (!video || !paths.length) continue;
      // Outside the clip window the video is hidden (data-hf-hidden); it keeps the nearest
      // frame so its layout size stays the video's.
      var i = Math.min(Math.max(f - entry.start_frame, 0), paths.length - 1);
      waits.push(show(video, paths[i]));
      for (var k = 1; k <= PREFETCH && i + k < paths.length; k++) {
        decode(paths[i + k]).catch(function () { /* reported when it is needed */ });
      }
    }
    return waits.length ? Promise.all(waits) : null;
  }

  window.__hf_seek_hooks = window.__hf_seek_hooks || [];
  window.__hf_seek_hooks.push(onSeek);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", stripAll);
  } else {
    stripAll();
  }
})();
