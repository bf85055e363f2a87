"""The compiled page's own URL space (Qt-free): which local files the page scheme serves,
and how remote URLs are named inside it.

The page is served as ``hf://page/<absolute path of composition.html>``; the compiled page's
``file://`` URLs (its ``<base>``, the runtime, bundled fonts, extracted video frames) become
``hf://page/<same path>`` when served. Only files under the folders the compiler itself
points at (the page's scratch folder, the project folder named by ``<base>``, and the folders
of files our generated scripts and styles name) are served; any other path is refused.

Remote URLs that the request interceptor lets through are redirected to
``hf://page/~remote/<scheme>/<host>/<path>?<query>``: the same origin as the page (so a
page's ``fetch`` needs no CORS), and relative URLs inside a fetched stylesheet or module keep
resolving against the original remote URL.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Collection
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from hyperframes_desktop.project.outside_links import OutsideLink
from hyperframes_desktop.project.tree import lexically_inside, readable
from hyperframes_desktop.render.resources.content_types import content_type_for

SCHEME = "hf"
HOST = "page"
ORIGIN = f"{SCHEME}://{HOST}"
REMOTE = "/~remote/"

_BASE = re.compile(r"<base\s+href=\"(file://[^\"]+)\"", re.IGNORECASE)
_FILE_URL = re.compile(r"file://(/[^\"'()\s<>]+)")
#: Files the compiler writes beside the page (its runtime, styles, externalised scripts).
_GENERATED = re.compile(r"^(composition\.html|hf-[\w.-]+\.(?:js|css))$")


#: Beside the compiled page: the links leading out of the project the user allowed for this
#: run (project.outside_links). Written by the compiler into its own scratch folder, never
#: served to the page, never sent to a farm.
FOLLOWED_LINKS_FILE = "followed-links.json"


def write_followed_links(page_dir: Path, follow: Collection[OutsideLink]) -> None:
    rows = [[link.rel, str(link.target)] for link in sorted(follow)]
    (page_dir / FOLLOWED_LINKS_FILE).write_text(json.dumps(rows), encoding="utf-8")


def read_followed_links(page_dir: Path) -> frozenset[OutsideLink]:
    try:
        rows = json.loads((page_dir / FOLLOWED_LINKS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    return frozenset(OutsideLink(str(rel), Path(target)) for rel, target in rows)


def _path_of_file_url(url: str) -> Path:
    path = unquote(urlsplit(url).path)
    if re.match(r"^/[A-Za-z]:/", path):  # file:///C:/… on Windows
        path = path[1:]
    return Path(path)


def page_url(html_path: Path) -> str:
    """The URL the page is loaded from."""
    posix = Path(html_path).resolve().as_posix()
    return ORIGIN + quote(posix if posix.startswith("/") else "/" + posix, safe="/:@-._~")


def remote_url(url: str) -> str:
    """Where the interceptor redirects an allowed ``https`` URL (``url`` must be http(s))."""
    parts = urlsplit(url)
    tail = f"{parts.scheme}/{parts.netloc}{parts.path or '/'}"
    return ORIGIN + REMOTE + tail + (f"?{parts.query}" if parts.query else "")


def remote_source(path: str, query: str) -> str | None:
    """The original URL of a ``/~remote/…`` path (None when ``path`` is a local file)."""
    if not path.startswith(REMOTE):
        return None
    scheme, _sep, rest = path[len(REMOTE) :].partition("/")
    if scheme not in ("http", "https") or not rest:
        return None
    return f"{scheme}://{rest}" + (f"?{query}" if query else "")


class LocalFiles:
    """The local side of one compiled page: allowed folders and the served bytes."""

    def __init__(self, html_path: Path) -> None:
        self.html_path = Path(html_path).resolve()
        self.page_dir = self.html_path.parent
        roots = {self.page_dir}
        #: the project folder (the page's <base>): links in it leading outside are not served
        self.project_root: Path | None = None
        for child in self.page_dir.iterdir():
            if not _GENERATED.match(child.name):
                continue
            try:
                text = child.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if child.name == "composition.html":
                base = _BASE.search(text)
                if base:
                    self.project_root = _path_of_file_url(base.group(1))
                    roots.add(self.project_root)
                continue
            for match in _FILE_URL.finditer(text):
                roots.add(_path_of_file_url("file://" + match.group(1)).parent)
        self.roots = tuple(sorted({Path(os.path.normpath(r)) for r in roots}))
        #: links leading out of the project that the user allowed for this page
        self.follow = read_followed_links(self.page_dir)

    def allowed(self, path: Path) -> bool:
        path = Path(os.path.normpath(path))
        if not any(path == root or root in path.parents for root in self.roots):
            return False
        if path == self.page_dir / FOLLOWED_LINKS_FILE:
            return False
        # the project as the farm's bundle carries it (project.tree): a link inside the
        # project that leads outside it is not read, unless the user allowed it
        root = self.project_root
        return root is None or not lexically_inside(root, path) or readable(root, path, self.follow)

    @staticmethod
    def _path(url_path: str) -> Path:
        raw = unquote(url_path)
        if re.match(r"^/[A-Za-z]:/", raw):
            raw = raw[1:]
        return Path(os.path.normpath(raw))

    def allowed_url_path(self, url_path: str) -> bool:
        path = self._path(url_path)
        return path.is_absolute() and self.allowed(path)

    def read(self, url_path: str) -> tuple[bytes, str] | None:
        """Bytes and content type of the local file at ``url_path`` (decoded URL path), or
        None when it is outside the page's folders or missing."""
        path = self._path(url_path)
        if not path.is_absolute() or not self.allowed(path) or not path.is_file():
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if path.parent == self.page_dir and _GENERATED.match(path.name):
            data = data.replace(b"file:///", f"{ORIGIN}/".encode())
        return data, content_type_for(path.name)
