"""The CLI's side of remote resources: lint lists them with their status, --offline means
cache only (an uncached library is an error with a fix), render --json lists what it
fetched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import write_project
from support.rendering import cli_env

GSAP_CDN = "https://cdn.jsdelivr.net/npm/gsap@3.14.2/dist/gsap.min.js"


def cdn_page(script_src: str = GSAP_CDN) -> str:
    return f"""<!doctype html>
<html><head><script src="{script_src}"></script>
<style>html, body {{ margin: 0; width: 64px; height: 36px; background: #000; }}</style></head>
<body><div id="root" data-composition-id="t" data-start="0" data-width="64" data-height="36"
 data-duration="0.5" data-fps="4">
<div id="b" style="width:8px;height:8px;background:#fff"></div></div>
<script>
fetch("https://cdn.jsdelivr.net/npm/us-atlas@3/states-10m.json");
var tl = gsap.timeline({{paused: true}}); tl.to("#b", {{x: 40, duration: 0.5}}, 0);
window.__timelines = {{t: tl}};
</script></body></html>
"""


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hyperframes_desktop.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )


def test_lint_lists_remote_urls_and_offline_uncached_is_an_error(npm_env, tmp_path: Path):
    project = write_project(tmp_path / "p", cdn_page())
    env = cli_env()
    offline = cli("lint", str(project), "--offline", env=env)
    assert offline.returncode == 2, offline.stdout + offline.stderr
    assert "gsap@3.14.2 is not in the cache and downloads are off" in offline.stdout
    assert "no problems" not in (offline.stdout + offline.stderr).lower()
    online = cli("lint", str(project), env=env)
    assert online.returncode == 0, online.stdout + online.stderr
    assert f"resolvable  {GSAP_CDN}" in online.stdout
    assert "resolvable  https://cdn.jsdelivr.net/npm/us-atlas@3/states-10m.json" in online.stdout
    again = cli("lint", str(project), "--offline", env=env)
    assert again.returncode == 0 and f"cached      {GSAP_CDN}" in again.stdout


def test_lint_unknown_version_is_an_error(npm_env, tmp_path: Path) -> None:
    url = "https://cdn.jsdelivr.net/npm/gsap@9.9.9/dist/gsap.min.js"
    project = write_project(tmp_path / "p", cdn_page(url))
    result = cli("lint", str(project), env=cli_env())
    assert result.returncode == 2
    assert 'has no version matching "9.9.9"' in result.stdout
    assert f"unavailable {url}" in result.stdout


def test_lint_warns_about_a_google_fonts_family_with_no_package(npm_env, tmp_path: Path):
    link = '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=No+Such+Family">'
    project = write_project(tmp_path / "p", cdn_page().replace("<head>", "<head>" + link))
    result = cli("lint", str(project), env=cli_env())
    assert result.returncode == 0, result.stdout + result.stderr  # a warning, not an error
    assert 'Google Fonts family "No Such Family" has no @fontsource package' in result.stdout
    assert "no problems" not in result.stdout.lower()


def test_render_json_lists_fetched_urls_and_offline_renders_from_cache(npm_env, tmp_path):
    project = write_project(tmp_path / "p", cdn_page())
    env = cli_env(tmp_path)
    first = cli("render", str(project), "-o", str(tmp_path / "a.mp4"), "--json", env=env)
    assert first.returncode == 0, first.stderr
    fetched = json.loads(first.stdout.strip().splitlines()[-1])["fetchedUrls"]
    assert any(u.endswith("/gsap") for u in fetched) and any("us-atlas" in u for u in fetched)
    second = cli(
        "render", str(project), "-o", str(tmp_path / "b.mp4"), "--json", "--offline", env=env
    )
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout.strip().splitlines()[-1])["fetchedUrls"] == []


def test_render_offline_uncached_fails_with_a_sentence(npm_env, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", cdn_page())
    result = cli("render", str(project), "-o", str(tmp_path / "a.mp4"), "--offline", env=cli_env())
    assert result.returncode != 0
    assert "gsap@3.14.2 is not in the cache and downloads are off" in result.stderr
    assert "Traceback" not in result.stderr


def test_doctor_shows_registry_and_cache_and_clears_it(npm_env, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", cdn_page())
    env = cli_env()
    assert cli("lint", str(project), env=env).returncode == 0  # fills the cache
    doctor = cli("doctor", "--json", env=env)
    checks = {c["id"]: c for c in json.loads(doctor.stdout)["checks"]}
    assert checks["registry"]["data"]["url"] == npm_env.url
    cache = checks["resource_cache"]["data"]
    assert cache["path"] == str(tmp_path / "resource-cache") and cache["bytes"] > 1_000_000
    cleared = cli("doctor", "--clear-cache", env=env)
    assert cleared.returncode == 0 and "Cleared the library cache" in cleared.stdout
    after = cli("lint", str(project), "--offline", env=env)
    assert after.returncode == 2, "nothing is cached any more"
