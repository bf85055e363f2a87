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
