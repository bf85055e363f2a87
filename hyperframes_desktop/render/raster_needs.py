"""Whether a compiled page may run CSS or Web Animations, so its capture worker must raster
changed tiles whole (Chromium's ``--disable-partial-raster``).

History-free frames of pages whose animations move their element need whole-tile raster (the
seek runtime paints such elements into the page's own layer, and a tile patched around a
changed box came out a few levels apart depending on the frames drawn before; bench/RESULTS.md
"Issue 17"). It costs ~3 % of a render's CPU on pages that have no such animation, so it is
turned off only where the page provably has none: no ``@keyframes`` rule and no Web Animations
call in the compiled document or in any script or stylesheet it loads from the project. The
flag is per process and set before Chromium starts, so this is decided at compile time, from
text. Anything that cannot be read here (a remote or npm script or stylesheet, a module
script, an ``@import``, a script that writes or loads other scripts) counts as "may animate".
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from hyperframes_desktop.project.scanner import scan

#: What starts a CSS animation (an @keyframes rule, in a stylesheet or a script's string) or
#: a Web Animation (Element.animate, KeyframeEffect, new Animation).
_ANIMATES = re.compile(
    r"@keyframes|@-webkit-keyframes|\.animate\s*\(|\bKeyframeEffect\b|\bnew\s+Animation\s*\(",
    re.IGNORECASE,
)
#: What loads more code or CSS that this scan would not see.
_UNSEEN = re.compile(
    r"@import|\bimport\s*\(|<script[^>]*\btype\s*=\s*['\"]?module|document\.write|"
    r"createElement\s*\(\s*['\"](?:script|style|link)['\"]",
    re.IGNORECASE,
)


def _loaded(document: str) -> list[str] | None:
    """URLs of the scripts and stylesheets ``document`` loads; None if one of them is loaded
    in a way this scan does not follow (a <link> that preloads code)."""
    urls = []
    for element in scan(document):
        if element.tag == "script":
            if element.has("src"):
                urls.append(element.attrs["src"] or "")
        elif element.tag == "link":
            rel = (element.attrs.get("rel") or "").lower().split()
            if "stylesheet" in rel:
                urls.append(element.attrs.get("href") or "")
            elif {"preload", "modulepreload", "import"} & set(rel):
                return None
    return urls


def _local_file(url: str, base: Path) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme == "file":
        return Path(unquote(parts.path))
    if parts.scheme or url.startswith("//") or not parts.path:
        return None  # remote, npm:, data: or empty: not read here
    return base / unquote(parts.path)


def may_animate(document: str, base: Path, own_assets: Path) -> bool:
    """True unless ``document`` (a compiled page whose relative URLs resolve from ``base``)
    and the project files it loads provably start no CSS or Web Animation. Files in
    ``own_assets`` (the compiler's runtime, fonts CSS) are ours and skipped."""
    if _ANIMATES.search(document) or _UNSEEN.search(document):
        return True
    urls = _loaded(document)
    if urls is None:
        return True
    own = own_assets.resolve()
    for url in urls:
        path = _local_file(url, base)
        if path is None:
            return True
        try:
            resolved = path.resolve()
            if resolved.is_relative_to(own):
                continue
            text = resolved.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return True
        if _ANIMATES.search(text) or _UNSEEN.search(text):
            return True
    return False
