"""Small original compositions whose frames are easy to predict, with the geometry the tests
check. All are 640x360 on a flat #202020 background; boxes are big flat colours."""

from __future__ import annotations

from dataclasses import dataclass

RGB = tuple[int, int, int]

BACKGROUND: RGB = (0x20, 0x20, 0x20)
WIDTH, HEIGHT = 640, 360

_BASE_CSS = f"""
* {{ margin: 0; padding: 0; box-sizing: border-box; }}
html, body {{ width: {WIDTH}px; height: {HEIGHT}px; overflow: hidden; background: #202020; }}
#root {{ position: relative; width: {WIDTH}px; height: {HEIGHT}px; background: #202020; }}
.box {{ position: absolute; width: 80px; height: 80px; }}
"""


@dataclass(frozen=True)
class Box:
    """An 80x80 box whose left edge moves linearly from ``x0`` to ``x1`` over ``duration``."""

    left: int
    top: int
    x0: float
    x1: float
    duration: float
    size: int = 80

    def left_at(self, t: float) -> float:
        p = min(max(t / self.duration, 0.0), 1.0)
        return self.left + self.x0 + (self.x1 - self.x0) * p

    def centre_at(self, t: float) -> tuple[int, int]:
        return round(self.left_at(t) + self.size / 2), self.top + self.size // 2

    @property
    def row(self) -> int:
        return self.top + self.size // 2


# --------------------------------------------------------------------------- no timeline

#: CSS @keyframes box: slides right 400 px and fades red -> blue over the 2 s composition.
CSS_BOX = Box(left=20, top=20, x0=0, x1=400, duration=2.0)
CSS_FROM: RGB = (255, 0, 0)
CSS_TO: RGB = (0, 0, 255)
#: WAAPI box (element.animate on margin-left): slides LEFT 400 px -> 0 over 2 s, green.
WAAPI_BOX = Box(left=20, top=130, x0=400, x1=0, duration=2.0)
WAAPI_COLOUR: RGB = (0, 200, 0)
#: Clips: CLIP_A shows for [0.5, 1.0); CLIP_B starts "clip-a + 0.5" = 1.5 s, for 0.3 s.
CLIP_A_COLOUR: RGB = (255, 208, 0)
CLIP_A_POINT = (80, 290)
CLIP_A_WINDOW = (0.5, 1.0)
CLIP_B_COLOUR: RGB = (255, 0, 255)
CLIP_B_POINT = (260, 290)
CLIP_B_WINDOW = (1.5, 1.8)


def css_colour_at(t: float) -> RGB:
    p = min(max(t / CSS_BOX.duration, 0.0), 1.0)
    return (
        round(CSS_FROM[0] + (CSS_TO[0] - CSS_FROM[0]) * p),
        round(CSS_FROM[1] + (CSS_TO[1] - CSS_FROM[1]) * p),
        round(CSS_FROM[2] + (CSS_TO[2] - CSS_FROM[2]) * p),
    )


def mixed_html(
    *, composition_id: str = "mixed", duration: float = 2.0, fps: str = "10", extra: str = ""
) -> str:
    """No GSAP (data-no-timeline): a CSS-animated box, a WAAPI box and two clips, one with a
    relative start."""
    return f"""<!doctype html>
<html>
<head>
<meta charset="utf-8">
<style>
{_BASE_CSS}
#css-box {{ left: {CSS_BOX.left}px; top: {CSS_BOX.top}px; background: rgb(255, 0, 0);
  animation: slide 2s linear both; }}
@keyframes slide {{
  from {{ transform: translateX(0px); background-color: rgb(255, 0, 0); }}
  to {{ transform: translateX(400px); background-color: rgb(0, 0, 255); }}
}}
#waapi-box {{ left: {WAAPI_BOX.left}px; top: {WAAPI_BOX.top}px; background: rgb(0, 200, 0); }}
.slab {{ position: absolute; top: 250px; width: 120px; height: 80px; }}
#clip-a {{ left: 20px; background: rgb(255, 208, 0); }}
#clip-b {{ left: 200px; background: rgb(255, 0, 255); }}
</style>
</head>
<body>
<div id="root" data-composition-id="{composition_id}" data-start="0" data-width="{WIDTH}"
     data-height="{HEIGHT}" data-duration="{duration:g}" data-fps="{fps}" data-no-timeline>
  <div id="css-box" class="box"></div>
  <div id="waapi-box" class="box"></div>
  <div id="clip-a" class="slab clip" data-start="0.5" data-duration="0.5"
       data-track-index="0"></div>
  <div id="clip-b" class="slab clip" data-start="clip-a + 0.5" data-duration="0.3"
       data-track-index="0"></div>
  {extra}
</div>
<script>
  // margin-left, not transform: a transform-only animation runs on Chromium's compositor,
  // whose first frame is not reliably seeked (see test_render_compositor.py)
  document.getElementById("waapi-box").animate(
    [{{ marginLeft: "400px" }}, {{ marginLeft: "0px" }}],
    {{ duration: 2000, easing: "linear", fill: "both" }}
  );
</script>
</body>
</html>
"""


# --------------------------------------------------------------------------- GSAP

#: GSAP box: x 0 -> 400 px over 2 s, ease "none", white.
GSAP_BOX = Box(left=20, top=40, x0=0, x1=400, duration=2.0)
GSAP_BOX_COLOUR: RGB = (240, 240, 240)
#: Painted by the timeline's onUpdate: red before 0.5 s, green before 1.5 s, then blue.
CALLBACK_POINT = (80, 260)
CALLBACK_INITIAL: RGB = (128, 128, 128)


def callback_colour_at(t: float) -> RGB:
    if t < 0.5:
        return (255, 0, 0)
    if t < 1.5:
        return (0, 255, 0)
    return (0, 0, 255)


def gsap_html(*, composition_id: str = "gsap-demo", duration: float = 2.0, fps: str = "10") -> str:
    """A paused GSAP timeline registered as window.__timelines[id]: a linear x tween and an
    onUpdate callback that writes a colour (it only changes if callbacks fire on seek)."""
    return f"""<!doctype html>
<html>
<head>
<meta charset="utf-8">
<script src="gsap.min.js"></script>
<style>
{_BASE_CSS}
#g-box {{ left: {GSAP_BOX.left}px; top: {GSAP_BOX.top}px; background: rgb(240, 240, 240); }}
#cb {{ position: absolute; left: 20px; top: 200px; width: 120px; height: 120px;
  background: rgb(128, 128, 128); }}
</style>
</head>
<body>
<div id="root" data-composition-id="{composition_id}" data-start="0" data-width="{WIDTH}"
     data-height="{HEIGHT}" data-duration="{duration:g}" data-fps="{fps}">
  <div id="g-box" class="box"></div>
  <div id="cb"></div>
</div>
<script>
  (function () {{
    var cb = document.getElementById("cb");
    var tl = gsap.timeline({{
      paused: true,
      onUpdate: function () {{
        var t = tl.time();
        cb.style.backgroundColor =
          t < 0.5 ? "rgb(255, 0, 0)" : t < 1.5 ? "rgb(0, 255, 0)" : "rgb(0, 0, 255)";
      }}
    }});
    tl.fromTo("#g-box", {{ x: 0 }}, {{ x: 400, duration: 2, ease: "none" }}, 0);
    window.__timelines = window.__timelines || {{}};
    window.__timelines["{composition_id}"] = tl;
  }})();
</script>
</body>
</html>
"""


# --------------------------------------------------------------------------- compositor

#: Transform-only animations (Chromium runs them on its compositor thread), fast enough that
#: one display frame of drift (~17 ms) moves the box ~17 px.
SPIN_PERIOD_S = 0.5
SPIN_DISTANCE = 500
SPIN_ROWS = {"waapi": 40, "css": 120}
SPIN_COLOUR: RGB = (0, 200, 0)


def spin_left_at(t: float) -> float:
    return 20 + (t % SPIN_PERIOD_S) / SPIN_PERIOD_S * SPIN_DISTANCE


def composited_html(duration: float = 4.0, fps: str = "10") -> str:
    """Two boxes animated on transform only, one by WAAPI and one by CSS, repeating every
    0.5 s over 500 px."""
    return f"""<!doctype html>
<html>
<head>
<meta charset="utf-8">
<style>
{_BASE_CSS}
.spin {{ position: absolute; left: 20px; width: 60px; height: 60px; background: rgb(0, 200, 0); }}
#waapi-spin {{ top: {SPIN_ROWS["waapi"] - 30}px; }}
#css-spin {{ top: {SPIN_ROWS["css"] - 30}px; animation: spin 0.5s linear infinite; }}
@keyframes spin {{ from {{ transform: translateX(0px); }} to {{ transform: translateX(500px); }} }}
</style>
</head>
<body>
<div id="root" data-composition-id="composited" data-start="0" data-width="{WIDTH}"
     data-height="{HEIGHT}" data-duration="{duration:g}" data-fps="{fps}" data-no-timeline>
  <div id="waapi-spin" class="spin"></div>
  <div id="css-spin" class="spin"></div>
</div>
<script>
  document.getElementById("waapi-spin").animate(
    [{{ transform: "translateX(0px)" }}, {{ transform: "translateX(500px)" }}],
    {{ duration: 500, easing: "linear", iterations: Infinity }}
  );
</script>
</body>
</html>
"""


# --------------------------------------------------------------------------- failures


def long_html(*, duration: float = 10.0, fps: str = "30") -> str:
    """Long enough (300 frames) to be cancelled in the middle of capture."""
    return mixed_html(composition_id="long", duration=duration, fps=fps)


THROWN_MESSAGE = "boom from the composition script"


def broken_timeline_html(composition_id: str = "broken") -> str:
    """Promises a GSAP timeline (no data-no-timeline) but its script throws before
    registering one."""
    return f"""<!doctype html>
<html>
<head><meta charset="utf-8"><style>{_BASE_CSS}</style></head>
<body>
<div id="root" data-composition-id="{composition_id}" data-start="0" data-width="{WIDTH}"
     data-height="{HEIGHT}" data-duration="1" data-fps="10">
  <div class="box" style="left: 20px; top: 20px; background: #fff"></div>
</div>
<script>
  throw new Error("{THROWN_MESSAGE}");
</script>
</body>
</html>
"""


def variable_card_html(duration: float) -> str:
    """160x90, no timeline: the whole stage is filled with the declared colour variable "bg"
    (default white), for renders that differ only by their variable values."""
    return f"""<!doctype html><html><head><style>
html, body {{ margin: 0; width: 160px; height: 90px; background: #000; }}
#fill {{ position: absolute; left: 0; top: 0; width: 160px; height: 90px; }}
</style></head><body>
<div id="root" data-composition-id="card" data-width="160" data-height="90"
     data-duration="{duration}" data-fps="10" data-no-timeline
     data-composition-variables='[{{"id": "bg", "type": "color", "default": "#ffffff"}}]'>
  <div id="fill"></div>
</div>
<script>document.getElementById("fill").style.background =
  window.__hyperframes.getVariables().bg;</script>
</body></html>"""
