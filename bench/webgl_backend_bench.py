#!/usr/bin/env python3
"""Software WebGL: SwiftShader (the default where chromium-common is installed) against
Mesa's llvmpipe (the fallback), on WebGL compositions, taken in turn in one run.

    .venv/bin/python bench/webgl_backend_bench.py [--runs 3] [--project PATH ...]

Without ``--project`` it renders two compositions it writes itself: a full-frame fbm-noise
shader (1280x720, 60 frames: the kind of shader transition HyperFrames' catalog draws, every
pixel shaded every frame) and a light one (a solid quad, 60 frames: the fixed cost). Each run
is a fresh CLI render (``--quality draft``, render cache off); reports wall seconds and the
CPU-seconds of the whole process tree, medians and spreads, and the ratio llvmpipe ÷ SwiftShader.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_bench import become_subreaper, measured, spread

FBM = """precision highp float; uniform float t; uniform vec2 res;
float h(vec2 p){return fract(sin(dot(p,vec2(12.9898,78.233)))*43758.5453);}
float n(vec2 p){vec2 i=floor(p),f=fract(p);vec2 u=f*f*(3.-2.*f);
return mix(mix(h(i),h(i+vec2(1,0)),u.x),mix(h(i+vec2(0,1)),h(i+vec2(1,1)),u.x),u.y);}
float fbm(vec2 p){float v=0.,a=.5;for(int k=0;k<6;k++){v+=a*n(p);p*=2.;a*=.5;}return v;}
void main(){vec2 uv=gl_FragCoord.xy/res;float v=fbm(uv*6.+t);
gl_FragColor=vec4(v,v*uv.x,1.-v,1.);}"""
FLAT = "precision mediump float; uniform float t; uniform vec2 res;" \
    "void main(){gl_FragColor=vec4(t/2.,.5,.5,1.);}"  # fmt: skip


def composition(shader: str, width: int, height: int) -> str:
    return f"""<!doctype html><html><head><style>html,body{{margin:0}}</style></head><body>
<div id="root" data-composition-id="gl" data-width="{width}" data-height="{height}"
 data-duration="2" data-fps="30"><canvas id="c" width="{width}" height="{height}"></canvas></div>
<script>
var gl = document.getElementById('c').getContext('webgl');
function sh(type, src) {{ var s = gl.createShader(type); gl.shaderSource(s, src);
  gl.compileShader(s); return s; }}
var p = gl.createProgram();
gl.attachShader(p, sh(gl.VERTEX_SHADER,
  'attribute vec2 q;void main(){{gl_Position=vec4(q,0.,1.);}}'));
gl.attachShader(p, sh(gl.FRAGMENT_SHADER, {shader!r}));
gl.linkProgram(p); gl.useProgram(p);
gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1,-1,3,-1,-1,3]), gl.STATIC_DRAW);
gl.enableVertexAttribArray(0); gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
gl.uniform2f(gl.getUniformLocation(p, 'res'), {width}, {height});
var tl = gl.getUniformLocation(p, 't');
window.__timelines.gl = {{ paused: function () {{ return true; }},
  duration: function () {{ return 2; }},
  totalTime: function (t) {{ gl.uniform1f(tl, t); gl.drawArrays(gl.TRIANGLES, 0, 3); }} }};
</script></body></html>"""


def write_projects(work: Path) -> list[Path]:
    projects = []
    for name, shader in (("fbm-noise-720p", FBM), ("flat-quad-720p", FLAT)):
        folder = work / name
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(composition(shader, 1280, 720), encoding="utf-8")
        projects.append(folder)
    return projects


def render(project: Path, backend: str, out: Path) -> tuple[float, float]:
    env = {
        **os.environ,
        "HYPERFRAMES_NO_TELEMETRY": "1",
        "HYPERFRAMES_RENDER_CACHE": "off",
        "HYPERFRAMES_SOFTWARE_WEBGL": backend,
        "HYPERFRAMES_FRAME_TIMEOUT_S": "120",
    }
    cmd = [sys.executable, "-m", "hyperframes_desktop.cli", "render", str(project), "-o",
           str(out), "--quality", "draft"]  # fmt: skip
    proc, wall, cpu = measured(cmd, env)
    if proc.returncode != 0:
        raise SystemExit(f"{project.name} ({backend}) failed: {proc.stderr[-800:]}")
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--project", type=Path, action="append", help="a WebGL project")
    args = parser.parse_args()
    become_subreaper()
    print(f"load average at start: {os.getloadavg()}")
    with tempfile.TemporaryDirectory(prefix="webgl-bench-") as tmp:
        work = Path(tmp)
        projects = args.project or write_projects(work)
        for project in projects:
            figures: dict[str, list[tuple[float, float]]] = {"swiftshader": [], "llvmpipe": []}
            for run in range(args.runs):
                for backend in ("swiftshader", "llvmpipe"):
                    wall, cpu = render(project, backend, work / f"{backend}.mp4")
                    figures[backend].append((wall, cpu))
                    load = os.getloadavg()[0]
                    print(f"{project.name} run {run + 1} {backend}: wall {wall:.2f} s, "
                          f"tree CPU {cpu:.2f} s, load {load:.1f}", flush=True)  # fmt: skip
            for backend, rows in figures.items():
                print(f"{project.name} {backend}: wall {spread([r[0] for r in rows])} s, "
                      f"tree CPU {spread([r[1] for r in rows])} s")  # fmt: skip
            pairs = zip(figures["swiftshader"], figures["llvmpipe"], strict=True)
            ratios = [ll[1] / ss[1] for ss, ll in pairs]
            print(f"{project.name} tree CPU llvmpipe / SwiftShader, run by run: "
                  f"{spread(ratios)}")  # fmt: skip
    print(f"load average at end: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
