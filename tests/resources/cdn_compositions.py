"""Small compositions written the way HyperFrames' catalog writes them (libraries from CDNs,
data fetched at run time, remote media), for the conformance suite (test_conformance.py).

Every one draws a white box that GSAP moves right (x 0 → 60 over 1 s) and an indicator
square that the page paints green when what it loaded is right (red otherwise). Google Fonts
and WebGL compositions join this list once the fonts and WebGL work lands.
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

#: What the media server serves (the static "remote" host).
MEDIA_FILES = {
    "green.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20">'
    '<rect width="20" height="20" fill="#00ff00"/></svg>',
    "ok.css": "#ok { background: #00ff00 !important; }",
}
