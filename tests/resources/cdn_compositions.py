"""Small compositions written the way HyperFrames' catalog writes them (libraries from CDNs,
data fetched at run time, remote media), for the conformance suite (test_conformance.py).

Every one draws a white box that GSAP moves right (x 0 → 60 over 1 s) and an indicator
square that the page paints green when what it loaded is right (red otherwise): a Google
Fonts family measures as wide as the same text set in the package's font file declared
explicitly (and not as the fallback), a WebGL canvas over the square is drawn green.
"""

from __future__ import annotations

from dataclasses import dataclass

JSD = "https://cdn.jsdelivr.net/npm"
UNPKG = "https://unpkg.com"
CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"
#: Served by a loopback server through the resolver's test-only origin override.
MEDIA = "https://media.example.com"


@dataclass(frozen=True)
class Conformance:
    name: str
    head: str = ""
    script: str = "ok(!!window.gsap); ready();"
    body: str = ""


def page(c: Conformance) -> str:
    return f"""<!doctype html>
<html><head><meta charset="utf-8">{c.head}
<style>* {{ margin: 0; padding: 0; }} html, body {{ width: 96px; height: 54px; background: #000; }}
#root {{ position: relative; width: 96px; height: 54px; overflow: hidden; }}
#m {{ position: absolute; left: 0; top: 0; width: 10px; height: 10px; background: #fff; }}
#ok {{ position: absolute; left: 76px; top: 34px; width: 20px; height: 20px; background: #f00; }}
</style></head><body>
<div id="root" data-composition-id="c" data-start="0" data-width="96" data-height="54"
     data-duration="1" data-fps="4"><div id="m"></div><div id="ok"></div>{c.body}</div>
<script>
function ok(v) {{ document.getElementById("ok").style.background = v ? "#0f0" : "#f00"; }}
function ready() {{
  var tl = gsap.timeline({{paused: true}});
  tl.to("#m", {{x: 60, duration: 1, ease: "none"}}, 0);
  window.__timelines = {{c: tl}};
}}
{c.script}
</script>
</body></html>
"""


def script(src: str, extra: str = "") -> str:
    return f'<script src="{src}"{extra}></script>'


_ATLAS_DRAW = """
  var states = topojson.feature(us, us.objects.states);
  ok(states.features.length >= 50 && typeof d3.geoPath === "function");
  ready();
"""

COMPOSITIONS: tuple[Conformance, ...] = (
    Conformance(
        "jsdelivr-exact",
        script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js"),
        'ok(gsap.version === "3.14.2"); ready();',
    ),
    Conformance(
        "jsdelivr-major-range",
        script(f"{JSD}/gsap@3/dist/gsap.min.js"),
        'ok(gsap.version === "3.14.2"); ready();',
    ),
    Conformance(
        "jsdelivr-caret-range",
        script(f"{JSD}/gsap@^3.12.0/dist/gsap.min.js"),
        'ok(gsap.version === "3.14.2"); ready();',
    ),
    Conformance(
        "jsdelivr-tilde-range",
        script(f"{JSD}/gsap@~3.12.0/dist/gsap.min.js"),
        'ok(gsap.version === "3.12.5"); ready();',
    ),
    Conformance(
        "jsdelivr-no-version",
        script(f"{JSD}/gsap/dist/gsap.min.js"),
        'ok(gsap.version === "3.14.2"); ready();',
    ),
    Conformance(
        "jsdelivr-latest-tag",
        script(f"{JSD}/gsap@latest/dist/gsap.min.js"),
        'ok(gsap.version === "3.14.2"); ready();',
    ),
    Conformance(
        "jsdelivr-default-file",
        script(f"{JSD}/gsap@3.14.2"),
        'ok(gsap.version === "3.14.2"); ready();',
    ),
    Conformance("unpkg-exact", script(f"{UNPKG}/gsap@3.14.2/dist/gsap.min.js")),
    Conformance("unpkg-default-file", script(f"{UNPKG}/gsap@3")),
    Conformance("protocol-relative", script("//cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js")),
    Conformance(
        "cdnjs-gsap",
        script(f"{CDNJS}/gsap/3.12.5/gsap.min.js"),
        'ok(gsap.version === "3.12.5"); ready();',
    ),
    Conformance("cdnjs-gsap-integrity", "@INTEGRITY@", 'ok(gsap.version === "3.12.5"); ready();'),
    Conformance(
        "gsap-plugins",
        script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js")
        + script(f"{JSD}/gsap@3.14.2/dist/MotionPathPlugin.min.js")
        + script(f"{JSD}/gsap@3.14.2/dist/CustomEase.min.js"),
        "gsap.registerPlugin(MotionPathPlugin, CustomEase);"
        'ok(!!CustomEase.create("hf", "M0,0 C0.5,0 0.5,1 1,1") && !!MotionPathPlugin); ready();',
    ),
    Conformance("missing-local-gsap", script("gsap.min.js")),
    Conformance("missing-local-gsap-in-folder", script("js/vendor/gsap.min.js")),
    Conformance(
        "d3-topojson-fetch-atlas",
        script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js")
        + script(f"{JSD}/d3@7")
        + script(f"{JSD}/topojson-client@3.1.0"),
        f'fetch("{JSD}/us-atlas@3/states-10m.json").then(function (r) {{ return r.json(); }})'
        f".then(function (us) {{{_ATLAS_DRAW}}}).catch(function () {{ ok(false); ready(); }});",
    ),
    Conformance(
        "d3-json-atlas",
        script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js")
        + script(f"{UNPKG}/d3@7.9.0/dist/d3.min.js")
        + script(f"{JSD}/topojson-client@3"),
        f'd3.json("{JSD}/us-atlas@3.0.1/nation-10m.json").then(function (us) {{'
        "ok(topojson.feature(us, us.objects.nation).features.length > 0); ready(); })"
        ".catch(function () { ok(false); ready(); });",
    ),
    Conformance(
        "d3-draws-the-map",
        script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js")
        + script(f"{JSD}/d3@7.9.0/dist/d3.min.js")
        + script(f"{JSD}/topojson-client@3.1.0/dist/topojson-client.min.js"),
        f'd3.json("{JSD}/us-atlas@3/states-10m.json").then(function (us) {{'
        'var svg = d3.select("#root").append("svg").attr("width", 96).attr("height", 54)'
        '.style("position", "absolute").style("left", "0").style("top", "12px");'
        "var path = d3.geoPath(d3.geoIdentity().fitSize([60, 40],"
        " topojson.feature(us, us.objects.nation)));"
        'svg.append("path").datum(topojson.feature(us, us.objects.nation)).attr("d", path)'
        '.attr("fill", "#00f"); ok(true); ready(); });',
    ),
    Conformance(
        "xhr-atlas",
        script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js"),
        "var x = new XMLHttpRequest();"
        f'x.open("GET", "{JSD}/us-atlas@3/counties-10m.json");'
        'x.onload = function () { ok(JSON.parse(x.responseText).type === "Topology"); ready(); };'
        "x.onerror = function () { ok(false); ready(); }; x.send();",
    ),
    Conformance(
        "three-with-examples-js",
        script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js")
        + script(f"{JSD}/three@0.147.0/build/three.min.js")
        + script(f"{JSD}/three@0.147.0/examples/js/loaders/GLTFLoader.js")
        + script(f"{JSD}/three@0.147.0/examples/js/postprocessing/EffectComposer.js")
        + script(f"{JSD}/three@0.147.0/examples/js/shaders/CopyShader.js"),
        'ok(THREE.REVISION === "147" && !!THREE.GLTFLoader && !!THREE.EffectComposer'
        " && !!THREE.CopyShader); ready();",
    ),
    Conformance(
        "three-math-moves-the-box",
        script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js") + script(f"{UNPKG}/three@0.147.0"),
        "var v = new THREE.Vector3(3, 4, 0); ok(v.length() === 5); ready();",
    ),
    Conformance(
        "remote-image",
        script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js"),
        "ready();",
        f'<img src="{MEDIA}/green.svg" style="position:absolute;left:76px;top:34px;'
        'width:20px;height:20px">',
    ),
    Conformance(
        "remote-css-background",
        script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js")
        + f'<style>#bg {{ background: url("{MEDIA}/green.svg"); }}</style>',
        "ready();",
        '<div id="bg" style="position:absolute;left:76px;top:34px;width:20px;height:20px"></div>',
    ),
    Conformance(
        "remote-stylesheet",
        script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js")
        + f'<link rel="stylesheet" href="{MEDIA}/ok.css">',
        "ready();",
    ),
    Conformance(
        "blocked-fetch-goes-on",
        script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js"),
        f'fetch("{MEDIA}/api/data.json").then(function () {{ ok(false); ready(); }})'
        ".catch(function () { ok(true); ready(); });",
    ),
    Conformance(
        "late-timeline-after-two-fetches",
        script(f"{JSD}/gsap@3/dist/gsap.min.js"),
        "Promise.all(["
        f'fetch("{JSD}/us-atlas@3/states-10m.json").then(function (r) {{ return r.json(); }}),'
        f'fetch("{JSD}/us-atlas@3/nation-10m.json").then(function (r) {{ return r.json(); }})'
        "]).then(function (a) { ok(a[0].type === a[1].type); ready(); })"
        ".catch(function () { ok(false); ready(); });",
    ),
)

GF = "https://fonts.googleapis.com"
_SAMPLE = "Hamburgefontsiv iiii WW"
GSAP_TAG = script(f"{JSD}/gsap@3.14.2/dist/gsap.min.js")


def font_check(family: str, file_url: str) -> tuple[str, str, str]:
    """(head, script, body) of a page whose indicator turns green when text set in
    ``family`` (from a Google Fonts stylesheet) is exactly as wide as the same text set in
    ``file_url``, the family's font file declared by hand, and not as wide as the fallback."""
    head = (
        f"<style>@font-face {{ font-family: Ref; src: url({file_url}) format('woff2'); }}"
        ".t { position: absolute; left: 0; top: 0; font-size: 20px; white-space: nowrap;"
        " visibility: hidden; }</style>"
    )
    js = (
        "function w(id) { return document.getElementById(id).getBoundingClientRect().width; }"
        f"Promise.all([document.fonts.load('20px \"{family}\"', '{_SAMPLE}'),"
        f" document.fonts.load('20px Ref', '{_SAMPLE}')]).then(function () {{"
        " ok(w('a') === w('r') && w('a') !== w('f')); ready(); })"
        ".catch(function () { ok(false); ready(); });"
    )
    body = (
        f'<span id="a" class="t" style="font-family: \'{family}\', serif">{_SAMPLE}</span>'
        f'<span id="r" class="t" style="font-family: Ref, serif">{_SAMPLE}</span>'
        f'<span id="f" class="t" style="font-family: NoSuchFallbackProbe, serif">{_SAMPLE}</span>'
    )
    return head, js, body


def _font(name: str, stylesheet: str, family: str, file_url: str) -> Conformance:
    head, js, body = font_check(family, file_url)
    return Conformance(name, GSAP_TAG + stylesheet + head, js, body)


def _link(url: str) -> str:
    return f'<link rel="preconnect" href="{GF}"><link href="{url}" rel="stylesheet">'


def _import(url: str) -> str:
    return f'<style>@import url("{url}");</style>'


BEBAS_FILE = f"{JSD}/@fontsource/bebas-neue@5.2.7/files/bebas-neue-latin-400-normal.woff2"
ANTON_FILE = f"{JSD}/@fontsource/anton@5.3.0/files/anton-latin-400-normal.woff2"
INTER_700 = f"{JSD}/@fontsource/inter@5.2.8/files/inter-latin-700-normal.woff2"
SPACE_MONO = f"{JSD}/@fontsource/space-mono@5.2.9/files/space-mono-latin-400-normal.woff2"

#: Google Fonts families served from the fake registry's @fontsource tarballs.
FONT_COMPOSITIONS: tuple[Conformance, ...] = (
    _font(
        "google-fonts-css2-link",
        _link(f"{GF}/css2?family=Bebas+Neue&display=block"),
        "Bebas Neue",
        BEBAS_FILE,
    ),
    _font(
        "google-fonts-import",
        _import(f"{GF}/css2?family=Bebas+Neue:wght@400&display=swap"),
        "Bebas Neue",
        BEBAS_FILE,
    ),
    _font("google-fonts-old-css-api", _link(f"{GF}/css?family=Anton"), "Anton", ANTON_FILE),
)

#: Bundled families: they must render with no registry at all (see the offline test).
BUNDLED_FONT_COMPOSITIONS: tuple[Conformance, ...] = (
    _font(
        "google-fonts-bundled-inter",
        _link(f"{GF}/css2?family=Inter:wght@400;500;700&display=block"),
        "Inter",
        INTER_700.replace("-700-", "-400-"),
    ),
    _font(
        "google-fonts-bundled-space-mono-import",
        _import(f"{GF}/css2?family=Space+Mono&display=block"),
        "Space Mono",
        SPACE_MONO,
    ),
)

MISSING_FAMILY = "No Such Family"
#: A family with no @fontsource package falls back (with a warning); the stylesheet's other
#: family is still served.
MISSING_FONT = _font(
    "google-fonts-404-family-falls-back",
    _link(f"{GF}/css2?family=No+Such+Family&family=Bebas+Neue&display=block"),
    "Bebas Neue",
    BEBAS_FILE,
)

_SHADER = """
var canvas = document.getElementById("gl"), gl = canvas.getContext("webgl");
var state = {t: 0}, draw = function () {};
if (gl) {
  var sh = function (type, src) {
    var s = gl.createShader(type); gl.shaderSource(s, src); gl.compileShader(s); return s; };
  var prog = gl.createProgram();
  gl.attachShader(prog, sh(gl.VERTEX_SHADER,
    "attribute vec2 p; void main() { gl_Position = vec4(p, 0.0, 1.0); }"));
  gl.attachShader(prog, sh(gl.FRAGMENT_SHADER, "precision mediump float; uniform float t;"
    + "void main() { float s = step(0.5, t); gl_FragColor = vec4(1.0 - s, s, 0.0, 1.0); }"));
  gl.linkProgram(prog); gl.useProgram(prog);
  gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
  gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 3, -1, -1, 3]), gl.STATIC_DRAW);
  var loc = gl.getAttribLocation(prog, "p");
  gl.enableVertexAttribArray(loc); gl.vertexAttribPointer(loc, 2, gl.FLOAT, false, 0, 0);
  var tu = gl.getUniformLocation(prog, "t");
  draw = function () { gl.uniform1f(tu, state.t); gl.drawArrays(gl.TRIANGLES, 0, 3); };
}
var tl = gsap.timeline({paused: true});
tl.to("#m", {x: 60, duration: 1, ease: "none"}, 0);
tl.to(state, {t: 1, duration: 1, ease: "none", onUpdate: draw}, 0);
window.__timelines = {c: tl};
"""

_THREE = """
try {
  var renderer = new THREE.WebGLRenderer({canvas: document.getElementById("gl"),
    preserveDrawingBuffer: true});
  renderer.setSize(20, 20, false);
  var scene = new THREE.Scene(); scene.background = new THREE.Color(0x000000);
  var camera = new THREE.OrthographicCamera(-1, 1, 1, -1, 0.1, 10); camera.position.z = 1;
  var geometry = THREE.BufferGeometryUtils.mergeBufferGeometries(
    [new THREE.PlaneGeometry(2, 1).translate(0, 0.5, 0),
     new THREE.PlaneGeometry(2, 1).translate(0, -0.5, 0)]);
  var mesh = new THREE.Mesh(geometry, new THREE.MeshBasicMaterial({color: 0x00ff00}));
  scene.add(mesh);
  var tl = gsap.timeline({paused: true});
  tl.to("#m", {x: 60, duration: 1, ease: "none"}, 0);
  tl.to(mesh.rotation, {z: 0.01, duration: 1, ease: "none",
    onUpdate: function () { renderer.render(scene, camera); }}, 0);
  renderer.render(scene, camera);
  window.__timelines = {c: tl};
} catch (e) { ok(false); ready(); }
"""

_CANVAS = (
    '<canvas id="gl" width="20" height="20" style="position:absolute;left:76px;top:34px;'
    'width:20px;height:20px"></canvas>'
)

#: WebGL: a fragment shader driven by GSAP time (red before 0.5 s, green after), and a
#: three.js mesh drawn by a WebGLRenderer, over the indicator square.
WEBGL_COMPOSITIONS: tuple[Conformance, ...] = (
    Conformance("webgl-shader-transition", GSAP_TAG, _SHADER, _CANVAS),
    Conformance(
        "three-webgl-renderer-mesh",
        GSAP_TAG
        + script(f"{JSD}/three@0.147.0/build/three.min.js")
        + script(f"{JSD}/three@0.147.0/examples/js/utils/BufferGeometryUtils.js"),
        _THREE,
        _CANVAS,
    ),
)

COMPOSITIONS = (
    COMPOSITIONS + FONT_COMPOSITIONS + BUNDLED_FONT_COMPOSITIONS + (MISSING_FONT,)
    + WEBGL_COMPOSITIONS
)  # fmt: skip

#: What the media server serves (the static "remote" host).
MEDIA_FILES = {
    "green.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
    '<rect width="20" height="20" fill="#00ff00"/></svg>',
    "ok.css": "#ok { background: #00ff00 !important; }",
}
