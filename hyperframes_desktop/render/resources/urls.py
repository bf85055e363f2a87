"""What a URL named by a composition is, before anything is fetched.

Four kinds of target are ever fetched: a file of an npm package (jsDelivr's ``/npm/``, unpkg,
and cdnjs for the libraries that are on npm), a Google Fonts stylesheet (answered by the
fonts module from ``@fontsource`` packages), and any other static ``https`` URL on a public
host. Everything else (``file:``, plain ``http`` off the CDNs, loopback and private hosts,
``data:``-less schemes we do not know) is blocked.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from hyperframes_desktop.render.resources.cdnjs import cdnjs_target

JSDELIVR_HOSTS = frozenset({"cdn.jsdelivr.net", "fastly.jsdelivr.net", "gcore.jsdelivr.net"})
UNPKG_HOSTS = frozenset({"unpkg.com"})
CDNJS_HOSTS = frozenset({"cdnjs.cloudflare.com"})
GOOGLE_FONTS_CSS_HOSTS = frozenset({"fonts.googleapis.com"})

#: ``name``, ``name@spec``, ``@scope/name``, ``@scope/name@spec``, then an optional ``/path``
_PACKAGE = re.compile(
    r"^(?P<name>(?:@[a-z0-9][\w.~-]*/)?[a-z0-9][\w.~-]*)(?:@(?P<spec>[^/]*))?(?:/(?P<path>.*))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NpmTarget:
    """One file of an npm package. ``path`` is None when the URL names the package only
    (the CDN then serves its default file); ``spec`` is ``""`` for "latest"."""

    package: str
    spec: str
    path: str | None
    cdn: str = "jsdelivr"  # which CDN's default-file rules apply: "jsdelivr" | "unpkg"
    #: cdnjs URLs name a file by its cdnjs path, which may sit elsewhere in the npm package:
    #: the file of that base name is used when ``path`` itself is not there.
    loose_path: bool = False


@dataclass(frozen=True)
class GoogleFontsTarget:
    url: str


@dataclass(frozen=True)
class StaticTarget:
    """Any other https URL on a public host (a remote image, a library not on npm)."""

    url: str


@dataclass(frozen=True)
class BlockedTarget:
    reason: str


Target = NpmTarget | GoogleFontsTarget | StaticTarget | BlockedTarget


def parse_package_path(rest: str) -> tuple[str, str, str | None] | None:
    """``gsap@3.14.2/dist/gsap.min.js`` → ("gsap", "3.14.2", "dist/gsap.min.js")."""
    match = _PACKAGE.match(rest)
    if match is None:
        return None
    path = match.group("path")
    path = unquote(path).strip("/") if path else None
    return match.group("name").lower(), unquote(match.group("spec") or ""), path or None


def _npm_target(rest: str, cdn: str) -> Target:
    parsed = parse_package_path(rest)
    if parsed is None:
        return BlockedTarget(f"it does not name an npm package ({rest!r})")
    name, spec, path = parsed
    if path is not None and (path.startswith("+") or "/+" in path):
        return BlockedTarget("jsDelivr's generated files (+esm, combine) are not npm files")
    return NpmTarget(name, spec, path, cdn)


def is_public_host(host: str) -> bool:
    """False for loopback, private, link-local and single-label names (never fetched)."""
    host = host.strip("[]").lower()
    if not host or host == "localhost" or host.endswith(".localhost") or "." not in host:
        try:
            ipaddress.ip_address(host)
        except ValueError:
            return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return not host.endswith((".local", ".internal", ".lan", ".home"))
    return address.is_global


def classify(url: str) -> Target:
    """What ``url`` is; never touches the network."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return BlockedTarget("it is not a valid URL")
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in ("http", "https"):
        return BlockedTarget(f"{scheme or 'this'}: URLs are never read by a composition")
    if host in JSDELIVR_HOSTS and parts.path.startswith("/npm/"):
        return _npm_target(parts.path[len("/npm/") :], "jsdelivr")
    if host in UNPKG_HOSTS:
        return _npm_target(parts.path.lstrip("/"), "unpkg")
    if host in CDNJS_HOSTS and parts.path.startswith("/ajax/libs/"):
        mapped = cdnjs_target(parts.path[len("/ajax/libs/") :])
        if mapped is None:
            return BlockedTarget("that cdnjs library has no npm package we know of")
        package, version, path = mapped
        return NpmTarget(package, version, path, "jsdelivr", loose_path=True)
    if host in GOOGLE_FONTS_CSS_HOSTS and parts.path.rstrip("/") in ("/css", "/css2"):
        return GoogleFontsTarget(url)
    if scheme != "https":
        return BlockedTarget("only https URLs are fetched")
    if not is_public_host(host):
        return BlockedTarget("it names a local or private host")
    return StaticTarget(url)


def npm_url(package: str, version: str, path: str) -> str:
    """The jsDelivr URL of one file of an exact package version (how pages name them)."""
    return f"https://cdn.jsdelivr.net/npm/{package}@{version}/{path}"
