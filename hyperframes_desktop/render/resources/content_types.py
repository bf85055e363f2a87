"""Content types the scheme handler answers with, by file name (Chromium needs them right
for module scripts, stylesheets and fonts)."""

from __future__ import annotations

import mimetypes

_BY_SUFFIX = {
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".cjs": "text/javascript",
    ".json": "application/json",
    ".topojson": "application/json",
    ".geojson": "application/geo+json",
    ".css": "text/css",
    ".html": "text/html",
    ".htm": "text/html",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".wasm": "application/wasm",
    ".map": "application/json",
    ".glsl": "text/plain",
    ".txt": "text/plain",
}


def content_type_for(path: str) -> str:
    """The type of ``path`` (a file name or URL path); ``application/octet-stream`` if unknown."""
    name = path.rsplit("/", 1)[-1].lower().split("?", 1)[0]
    dot = name.rfind(".")
    if dot != -1 and name[dot:] in _BY_SUFFIX:
        return _BY_SUFFIX[name[dot:]]
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"
