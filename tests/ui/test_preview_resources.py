"""The studio preview gets CDN libraries through the resolver, and a fetch to another host
is blocked and shows in the Problems panel, naming the URL."""

from __future__ import annotations

from pathlib import Path

GSAP_CDN = "https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js"


def test_preview_loads_cdn_gsap_and_reports_a_blocked_fetch(
    npm_env, open_window, tmp_path: Path, qtbot
) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(
        f"""<!doctype html>
<html><head><script src="{GSAP_CDN}"></script></head><body>
<div id="stage" data-composition-id="main" data-start="0" data-width="320" data-height="180"
 data-duration="1" data-fps="10"><div id="b" style="width:20px;height:20px;background:#fff"></div>
</div>
<script>
fetch("https://api.example.com/track.json").catch(function () {{}});
var tl = gsap.timeline({{paused: true}}); tl.to("#b", {{x: 100, duration: 1}}, 0);
window.__timelines = {{main: tl}};
</script>
</body></html>
""",
        encoding="utf-8",
    )
    window = open_window(project)
    qtbot.waitUntil(lambda: window.preview.is_ready, timeout=20_000)
    rows = lambda: [  # noqa: E731
        window.problems.tree.topLevelItem(i).text(0)
        for i in range(window.problems.tree.topLevelItemCount())
    ]
    qtbot.waitUntil(lambda: any("api.example.com/track.json" in r for r in rows()), timeout=10_000)
    assert not any("No GSAP timeline" in r or "gsap is not defined" in r for r in rows())


def test_preview_security_probe_reaches_no_file_and_no_loopback(
    open_window, httpserver, tmp_path: Path, qtbot
) -> None:
    """The same probe as the render's: in the studio preview a page reads no file and
    reaches no loopback server, whatever it tries."""
    httpserver.expect_request("/").respond_with_data("x")
    loop = httpserver.url_for("/").rstrip("/")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(
        f"""<!doctype html>
<html><head></head><body>
<div id="stage" data-composition-id="main" data-start="0" data-width="320" data-height="180"
 data-duration="1" data-fps="10" data-no-timeline></div>
<img src="{secret.as_uri()}"><iframe src="{loop}/frame"></iframe>
<script>
var leaked = [];
var read = function (r) {{ return r.text().then(function (t) {{
  if (r.ok || t.indexOf("secret") >= 0) leaked.push(r.url); }}); }};
fetch("{secret.as_uri()}").then(read).catch(function () {{}});
fetch("{loop}/fetch", {{method: "POST", body: "leak"}}).then(read).catch(function () {{}});
var x = new XMLHttpRequest(); x.open("GET", "{secret.as_uri()}");
x.onload = function () {{ if (x.responseText.indexOf("secret") >= 0) leaked.push("xhr"); }};
try {{ x.send(); }} catch (e) {{}}
try {{ navigator.sendBeacon("{loop}/beacon", "leak"); }} catch (e) {{}}
new Image().src = "{loop}/img.png";
</script>
</body></html>
""",
        encoding="utf-8",
    )
    window = open_window(project)
    qtbot.waitUntil(lambda: window.preview.is_ready, timeout=20_000)
    qtbot.wait(1500)  # the page's requests have settled
    box: list[str] = []
    page = window.preview.view.driver.page
    page.runJavaScript("JSON.stringify(leaked)", 0, lambda v: box.append(str(v)))
    qtbot.waitUntil(lambda: bool(box), timeout=5_000)
    assert box[0] == "[]"
    assert httpserver.log == [], [str(r.url) for r, _ in httpserver.log]


def test_preferences_switch_makes_the_preview_cache_only(open_window, tmp_path: Path) -> None:
    from hyperframes_desktop.ui import store
    from hyperframes_desktop.ui.preview.page import studio_delivery

    window = open_window()
    dialog = window.show_settings()
    assert dialog.downloads.isChecked()
    dialog.downloads.setChecked(False)
    assert store.load_settings().download_resources is False
    assert studio_delivery().resolver.settings.offline is True
    dialog.downloads.setChecked(True)
    assert store.load_settings().download_resources is True
    assert studio_delivery().resolver.settings.offline is False
