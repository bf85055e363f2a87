"""``vendor``: remote resources copied into vendor/, only the URL bytes of the files change
(CRLF, quotes and the rest kept), a .bak keeps the old bytes, and the vendored project
renders with no registry and an empty cache."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support.rendering import cli_env

GSAP = "https://cdn.jsdelivr.net/npm/gsap@3/dist/gsap.min.js"
ATLAS = "https://cdn.jsdelivr.net/npm/us-atlas@3/states-10m.json"

PAGE = (
    "\ufeff<!doctype html>\r\n<html><head>\r\n"
    f"<script  SRC='{GSAP}' data-x=1></script>\r\n"
    "<style>html, body { margin: 0; width: 64px; height: 36px; background: #000; }</style>\r\n"
    "</head><body>\r\n"
    '<div id="root" data-composition-id="t" data-start="0" data-width="64" data-height="36" '
    'data-duration="0.5" data-fps="4"><div id="b" style="width:8px;height:8px;background:#fff">'
    "</div></div>\r\n<script>\r\n"
    f'fetch("{ATLAS}").then(function (r) {{ return r.json(); }}).then(function (j) {{\r\n'
    '  document.getElementById("b").style.background = j.type === "Topology" ? "#0f0" : "#f00";\r\n'
    "  var tl = gsap.timeline({paused: true}); tl.to('#b', {x: 40, duration: 0.5}, 0);\r\n"
    "  window.__timelines = {t: tl};\r\n});\r\n</script>\r\n</body></html>\r\n"
)


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


def test_vendor_copies_rewrites_exactly_and_renders_offline(npm_env, tmp_path: Path) -> None:
    project = tmp_path / "p"
    project.mkdir()
    index = project / "index.html"
    index.write_bytes(PAGE.encode("utf-8"))
    result = cli("vendor", str(project), env=cli_env())
    assert result.returncode == 0, result.stderr
    gsap_copy = "vendor/npm/gsap@3.14.2/dist/gsap.min.js"
    atlas_copy = "vendor/npm/us-atlas@3.0.1/states-10m.json"
    assert (project / gsap_copy).read_bytes()[:400].find(b"GSAP 3.14.2") != -1
    assert (project / atlas_copy).read_bytes().startswith(b'{"type":"Topology"')
    expected = PAGE.replace(GSAP, gsap_copy).replace(ATLAS, atlas_copy).encode("utf-8")
    assert index.read_bytes() == expected, "only the URLs changed"
    assert (project / "index.html.bak").read_bytes() == PAGE.encode("utf-8")
    # no registry, an empty cache, offline: the vendored project still renders
    env = cli_env(
        tmp_path,
        {
            "NPM_CONFIG_REGISTRY": "http://127.0.0.1:9",
            "HYPERFRAMES_RESOURCE_CACHE": str(tmp_path / "empty-cache"),
        },
    )
    render = cli("render", str(project), "-o", str(tmp_path / "out.mp4"), "--offline", env=env)
    assert render.returncode == 0, render.stderr
    lint = cli("lint", str(project), "--offline", env=env)
    assert lint.returncode == 0 and "Remote URLs:" not in lint.stdout
