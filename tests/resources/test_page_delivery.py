# ruff: noqa: E501  (the pages' scripts read best on one line each)
"""Renders of pages that name CDN libraries and fetch data, served through the ``hf:``
scheme from the resolver, and the security probe: a page reaches no file and no loopback
server, whatever it tries."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_rgb, write_project
from support.media import near, pixel

from hyperframes_desktop.render import RenderError, RenderJob, RenderOptions

pytestmark = pytest.mark.slow

GSAP_CDN = "https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js"


def page(body: str, script: str, head: str = "", duration: float = 1.0) -> str:
    return f"""<!doctype html>
<html><head><meta charset="utf-8">{head}
<style>* {{ margin: 0; padding: 0; }} html, body {{ width: 160px; height: 90px; background: #000; }}
#root {{ position: relative; width: 160px; height: 90px; overflow: hidden; }}
.b {{ position: absolute; top: 10px; width: 30px; height: 30px; background: rgb(128,128,128); }}
</style></head><body>
<div id="root" data-composition-id="t" data-start="0" data-width="160" data-height="90"
     data-duration="{duration:g}" data-fps="4">{body}</div>
<script>{script}</script>
</body></html>
"""


def render(project: Path, out: Path):
    return RenderJob(RenderOptions(project=project, output=out, format="png-sequence")).run()


def test_cdn_gsap_renders_and_moves(npm_env, tmp_path: Path) -> None:
    html = page(
        '<div id="box" class="b" style="left:0;background:rgb(255,255,255)"></div>',
        """var tl = gsap.timeline({paused: true});
tl.to("#box", {x: 120, duration: 1, ease: "none"}, 0);
window.__timelines = {t: tl};""",
        head=f'<script src="{GSAP_CDN}"></script>',
    )
    project = write_project(tmp_path / "p", html)
    frames = render(project, tmp_path / "frames").output
    first, last = (
        frame_rgb(frames / "frame_000000.png", 0),
        frame_rgb(frames / "frame_000003.png", 0),
    )
    assert near(pixel(first, 15, 25), (255, 255, 255)), pixel(first, 15, 25)
    assert near(pixel(last, 15 + 90, 25), (255, 255, 255)), "GSAP moved the box"
    assert near(pixel(last, 15, 25), (0, 0, 0))


def test_fetched_atlas_data_arrives_and_other_hosts_do_not(npm_env, tmp_path: Path) -> None:
    script = """
var paint = function (id, ok) { document.getElementById(id).style.background = ok ? "rgb(0,255,0)" : "rgb(255,0,0)"; };
Promise.allSettled([
  fetch("https://cdn.jsdelivr.net/npm/us-atlas@3/states-10m.json").then(function (r) { return r.json(); })
    .then(function (j) { paint("atlas", j.type === "Topology" && !!j.objects.states); })
    .catch(function () { paint("atlas", false); }),
  fetch("https://api.example.com/data.json").then(function () { paint("other", false); })
    .catch(function () { paint("other", true); }),
]).then(function () { window.__timelines = {t: gsap.timeline({paused: true})}; });
"""
    html = page(
        '<div id="atlas" class="b" style="left:0"></div><div id="other" class="b" style="left:60px"></div>',
        script,
        head=f'<script src="{GSAP_CDN}"></script>',
    )
    project = write_project(tmp_path / "p", html)
    result = render(project, tmp_path / "frames")
    frame = frame_rgb(result.output / "frame_000002.png", 0)
    assert near(pixel(frame, 15, 25), (0, 255, 0)), "us-atlas data reached the page"
    assert near(pixel(frame, 75, 25), (0, 255, 0)), "the fetch to another host failed"
    blocked = " ".join(result.resource_warnings)
    assert "https://api.example.com/data.json was blocked" in blocked, result.resource_warnings


def test_security_probe_reaches_no_file_and_no_loopback(httpserver, tmp_path: Path) -> None:
    """Nothing here is allowed: a file:// read, fetch/XHR/beacon/img/script to a loopback
    server. The server must see no request, and the page must get no byte."""
    httpserver.expect_request("/").respond_with_data("x")
    loop = httpserver.url_for("/").rstrip("/")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    script = f"""
var mark = function () {{ document.getElementById("probe").style.background = "rgb(255,0,0)"; }};
var read = function (r) {{ return r.text().then(function (t) {{ if (r.ok || t.indexOf("secret") >= 0) mark(); }}); }};
window.__timelines = {{}};
fetch("{secret.as_uri()}").then(read).catch(function () {{}});
fetch("{loop}/fetch", {{method: "POST", body: "leak"}}).then(read).catch(function () {{}});
fetch("{loop.replace("127.0.0.1", "localhost")}/fetch2").then(read).catch(function () {{}});
try {{ var x = new XMLHttpRequest(); x.open("POST", "{loop}/xhr"); x.onload = function () {{ if (x.status) mark(); }}; x.send("leak"); }} catch (e) {{}}
try {{ var f = new XMLHttpRequest(); f.open("GET", "{secret.as_uri()}"); f.onload = function () {{ if (f.responseText.indexOf("secret") >= 0) mark(); }}; f.send(); }} catch (e) {{}}
try {{ navigator.sendBeacon("{loop}/beacon", "leak"); }} catch (e) {{}}
var img = new Image(); img.onload = mark; img.src = "{loop}/img.png";
var s = document.createElement("script"); s.src = "{loop}/s.js"; document.head.appendChild(s);
"""
    html = page(
        '<div id="probe" class="b" style="left:0;background:rgb(0,255,0)"></div>'
        f'<img src="{secret.as_uri()}" onload="mark()"><iframe src="{loop}/frame"></iframe>',
        script,
    ).replace('data-composition-id="t"', 'data-composition-id="t" data-no-timeline')
    project = write_project(tmp_path / "p", html)
    result = render(project, tmp_path / "frames")
    frame = frame_rgb(result.output / "frame_000003.png", 0)
    assert near(pixel(frame, 15, 25), (0, 255, 0)), "a blocked request reached the page"
    assert httpserver.log == [], [str(r.url) for r, _ in httpserver.log]


def test_a_missing_package_fails_the_render_with_a_sentence(npm_env, tmp_path: Path) -> None:
    html = page(
        "",
        "window.__timelines = {t: gsap.timeline({paused: true})};",
        head='<script src="https://cdn.jsdelivr.net/npm/gsap@9.9.9/dist/gsap.min.js"></script>',
    )
    project = write_project(tmp_path / "p", html)
    with pytest.raises(RenderError) as caught:
        render(project, tmp_path / "frames")
    assert 'no version matching "9.9.9"' in str(caught.value)


def test_a_missing_local_gsap_comes_from_the_registry(npm_env, tmp_path: Path) -> None:
    html = page(
        '<div id="box" class="b" style="left:0;background:rgb(255,255,255)"></div>',
        """var tl = gsap.timeline({paused: true});
tl.to("#box", {x: 120, duration: 1, ease: "none"}, 0);
window.__timelines = {t: tl};""",
        head='<script src="lib/gsap.min.js"></script>',
    )
    project = write_project(tmp_path / "p", html)
    frames = render(project, tmp_path / "frames").output
    assert near(pixel(frame_rgb(frames / "frame_000003.png", 0), 105, 25), (255, 255, 255))
    assert any(url.endswith("gsap-3.14.2.tgz") for url in npm_env.requests())
