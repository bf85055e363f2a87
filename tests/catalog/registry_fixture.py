"""A registry laid out like HyperFrames' (``registry.json``, ``{blocks|components|examples}/
{name}/registry-item.json`` and the files beside it), written by the tests, served from
127.0.0.1 by a thread of this process."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

GLOW_CARD = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <style>
      html, body { margin: 0; width: 320px; height: 180px; overflow: hidden; background: #123; }
      #gc-root { position: relative; width: 320px; height: 180px; overflow: hidden;
                 background: #123; }
      #gc-dot { position: absolute; left: 20px; top: 60px; width: 60px; height: 60px; }
      #gc-bar { position: absolute; left: 0; top: 150px; width: 320px; height: 20px;
                background: #f5a623; transform-origin: 0 50%; }
      #gc-word { position: absolute; left: 120px; top: 30px; font: 700 28px "Inter", sans-serif;
                 color: #fff; }
    </style>
  </head>
  <body>
    <div id="gc-root" data-composition-id="glow-card" data-start="0" data-duration="2"
         data-width="320" data-height="180" data-no-timeline>
      <img id="gc-dot" class="clip" src="assets/glow-dot.svg" alt=""
           data-start="0" data-duration="2" data-track-index="0" />
      <div id="gc-bar" class="clip" data-start="0" data-duration="2" data-track-index="1"></div>
      <div id="gc-word" class="clip" data-start="0.5" data-duration="1.5"
           data-track-index="2">GLOW</div>
    </div>
    <script>
      document.getElementById("gc-dot").animate(
        [{ transform: "translateX(0)" }, { transform: "translateX(200px)" }],
        { duration: 2000, easing: "linear", fill: "both" });
      document.getElementById("gc-bar").animate(
        [{ transform: "scaleX(0)" }, { transform: "scaleX(1)" }],
        { duration: 2000, easing: "linear", fill: "both" });
    </script>
  </body>
</html>
"""

DOT_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="60">'
    '<circle cx="30" cy="30" r="28" fill="#4ad1c8"/></svg>\n'
)
SHADOW_HTML = "<style>.soft-shadow { box-shadow: 0 8px 24px rgba(0,0,0,.4); }</style>\n"
EXAMPLE_HTML = """<!doctype html>
<html><head><meta charset="UTF-8" /><style>html, body { margin: 0; width: 320px; height: 180px;
background: #000; } video { width: 320px; height: 180px; }</style></head><body>
<div id="root" data-composition-id="starter" data-start="0" data-duration="__VIDEO_DURATION__"
     data-width="320" data-height="180" data-no-timeline>
  <video id="clip" class="clip" src="__VIDEO_SRC__" muted playsinline data-start="0"
         data-duration="__VIDEO_DURATION__" data-track-index="0"></video>
</div></body></html>
"""


def _item(name: str, kind: str, files: list[dict], **extra: object) -> dict:
    return {
        "$schema": "https://hyperframes.heygen.com/schema/registry-item.json",
        "name": name,
        "type": f"hyperframes:{kind}",
        "title": name.replace("-", " ").title(),
        "description": f"The {name} fixture {kind}.",
        "files": files,
        **extra,
    }


def write_registry(root: Path) -> Path:
    """The fixture registry under ``root``; returns ``root``."""
    items = {
        ("blocks", "glow-card"): (
            _item(
                "glow-card",
                "block",
                [
                    {"path": "glow-card.html", "target": "compositions/glow-card.html",
                     "type": "hyperframes:composition"},
                    {"path": "assets/glow-dot.svg", "target": "assets/glow-dot.svg",
                     "type": "hyperframes:asset"},
                ],
                tags=["card", "glow"],
                dimensions={"width": 320, "height": 180},
                duration=2,
                registryDependencies=["soft-shadow"],
            ),
            {"glow-card.html": GLOW_CARD, "assets/glow-dot.svg": DOT_SVG},
        ),
        ("components", "soft-shadow"): (
            _item(
                "soft-shadow",
                "component",
                [{"path": "soft-shadow.html", "target": "compositions/components/soft-shadow.html",
                  "type": "hyperframes:snippet"}],
                tags=["style"],
            ),
            {"soft-shadow.html": SHADOW_HTML},
        ),
        ("blocks", "too-new"): (
            _item("too-new", "block", [], minCliVersion="99.0.0", tags=["card"]),
            {},
        ),
        ("blocks", "half-there"): (
            _item(
                "half-there",
                "block",
                [
                    {"path": "half-there.html", "target": "compositions/half-there.html",
                     "type": "hyperframes:composition"},
                    {"path": "assets/missing.png", "target": "assets/missing.png",
                     "type": "hyperframes:asset"},
                ],
            ),
            {"half-there.html": GLOW_CARD},
        ),
        ("blocks", "needs-ghost"): (
            _item("needs-ghost", "block", [], registryDependencies=["ghost"]),
            {},
        ),
        ("examples", "starter"): (
            _item("starter", "example",
                  [{"path": "index.html", "target": "index.html",
                    "type": "hyperframes:composition"}]),
            {"index.html": EXAMPLE_HTML},
        ),
    }  # fmt: skip
    index = [{"name": name, "type": item["type"]} for (_, name), (item, _) in items.items()]
    index.append({"name": "ghost", "type": "hyperframes:block"})  # listed, never written: 404
    (root / "registry.json").parent.mkdir(parents=True, exist_ok=True)
    (root / "registry.json").write_text(json.dumps({"name": "fixture", "items": index}))
    for (folder, name), (item, files) in items.items():
        base = root / folder / name
        base.mkdir(parents=True, exist_ok=True)
        (base / "registry-item.json").write_text(json.dumps(item, indent=2))
        for rel, text in files.items():
            (base / rel).parent.mkdir(parents=True, exist_ok=True)
            (base / rel).write_text(text)
    return root


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 until the block ends; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
