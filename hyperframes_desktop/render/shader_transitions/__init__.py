"""HyperFrames' page-side shader transitions (``@hyperframes/shader-transitions``), drawn by us.

Facts (HyperFrames v0.8.10, read from its source; no code taken):

- ``HyperShader.init({scenes, transitions, bgColor, accentColor, timeline})`` sees HyperFrames'
  virtual clock (``window.__HF_VIRTUAL_TIME__``) during a render and then runs in *engine
  mode*: no WebGL, only opacity flips on the timeline (the incoming scene turns opaque at the
  transition's start, the outgoing one transparent at its end), and it publishes the
  transitions as ``window.__hf.transitions`` (time, duration, shader, ease, fromScene,
  toScene). The renderer is expected to draw each shader transition itself.
- HyperFrames draws it, for every time ``T <= t <= T + duration``, from two pictures: each
  scene alone, forced opaque and visible, on the composition's ``bgColor``; the shader then
  mixes them at ``progress = (t - T) / duration`` (linear: the ease is not applied) with the
  accent colours derived from ``accentColor``. The shader's output covers the whole frame.
  Transitions without a shader are CSS cross-fades the timeline itself plays; nothing to do.

Here: ``hf_shader_layers.js`` (part of the page runtime) records the colours and isolates one
scene at a time; the capture worker grabs both layers for the frames ``plan`` says are inside
a transition, and ``shaders`` mixes them with numpy, written from each GLSL shader's math.
One module, so renders, stills, farm chunks and the studio's renders draw the same frames.
"""

from hyperframes_desktop.render.shader_transitions.frames import bgra_to_rgb, rgb_to_bgra
from hyperframes_desktop.render.shader_transitions.plan import (
    Accents,
    ActiveTransition,
    TransitionPlan,
    TransitionWindow,
)
from hyperframes_desktop.render.shader_transitions.shaders import SHADER_NAMES, blend

__all__ = [
    "SHADER_NAMES",
    "Accents",
    "ActiveTransition",
    "TransitionPlan",
    "TransitionWindow",
    "bgra_to_rgb",
    "blend",
    "rgb_to_bgra",
]
