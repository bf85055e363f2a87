"""``@hyperframes/shader-transitions``' global build (``window.HyperShader``), fetched once from
the npm registry into the repository's ignored ``.cache/``. Never vendored."""

from __future__ import annotations

import shutil
from pathlib import Path

from support.projects import REPO_ROOT, npm_file, write_project

SHADER_LIB_VERSION = "0.8.41"
SHADER_LIB_URL = (
    "https://registry.npmjs.org/@hyperframes/shader-transitions/-/"
    f"shader-transitions-{SHADER_LIB_VERSION}.tgz"
)
_MEMBER = "package/dist/index.global.js"
SHADER_LIB_CACHE = (
    REPO_ROOT / ".cache" / "hyperframes-shader-transitions" / SHADER_LIB_VERSION / "index.global.js"
)


def _is_library(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(200)
    except OSError:
        return False
    return b"var HyperShader=" in head


def shader_library_js() -> Path:
    """Path of the library's ``dist/index.global.js``, downloaded when missing."""
    what = f"@hyperframes/shader-transitions {SHADER_LIB_VERSION}'s global build"
    return npm_file(SHADER_LIB_URL, _MEMBER, SHADER_LIB_CACHE, _is_library, what)


# Two full-frame scenes and a badge outside them, 10 fps: the transition runs from 0.5 s to
# 1.5 s (frames 5..15), frame 10 is its middle. Blue comes later in the DOM, so the library's
# opacity flip alone (what the page shows without us) paints blue over everything from 0.5 s.
PAGE = """<!doctype html><html><head>
<script src="gsap.min.js"></script>
<script src="hyper-shader.js"></script>
<style>html, body {{ margin: 0; background: #000; }}
#main {{ position: relative; width: 320px; height: 180px; overflow: hidden; }}
.scene {{ position: absolute; inset: 0; opacity: 0; }}
#red {{ opacity: 1; background: rgb(220,30,30); }}
#blue {{ background: rgb(30,60,220); }}
#stripe {{ position: absolute; left: 0; top: 0; width: 160px; height: 180px; background: #fff; }}
#badge {{ position: absolute; left: 0; top: 0; width: 20px; height: 20px; background: #fff;
          z-index: 5; }}
</style></head><body>
<div id="main" data-composition-id="main" data-width="320" data-height="180" data-duration="2"
     data-fps="10">
  <section id="red" class="scene clip" data-start="0" data-duration="2">{red_inside}</section>
  <section id="blue" class="scene clip" data-start="0" data-duration="2"></section>
  <div id="badge"></div>
</div>
<script>
  const tl = gsap.timeline({{ paused: true }});
  HyperShader.init({{
    bgColor: "#000000", {accent}
    scenes: ["red", "blue"],
    transitions: [{{ time: 0.5, shader: "{shader}", duration: 1.0, ease: "power2.inOut" }}],
    timeline: tl,
    compositionId: "main",
  }});
  window.__timelines["main"] = tl;
</script>
</body></html>"""


def shader_project(
    folder: Path, gsap: Path, shader: str, accent: str = "", red_inside: str = ""
) -> Path:
    """A project whose red scene turns into a blue one through ``shader`` (0.5 s to 1.5 s at
    10 fps: frames 5..15), GSAP and the library beside ``index.html``."""
    html = PAGE.format(shader=shader, accent=accent, red_inside=red_inside)
    project = write_project(folder, html)
    shutil.copyfile(gsap, project / "gsap.min.js")
    shutil.copyfile(shader_library_js(), project / "hyper-shader.js")
    return project
