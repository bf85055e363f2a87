"""The resource resolver: the one way a composition gets anything outside its project folder.

``Resolver.resolve(url)`` answers with the bytes a CDN would serve, or a :class:`Refusal`
naming the URL and the fix. Qt-free: the capture worker's and the studio's URL scheme
handlers, the checker, ``still``, the farm bundle and ``vendor`` all ask it.

Only what the composition names leaves the machine: the registry's entry and tarball of a
package it names, and the static https URLs it names. Every network URL is logged in
``fetched`` (and via ``logging``).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from hyperframes_desktop.render.resources.cache import ContentCache
from hyperframes_desktop.render.resources.content_types import content_type_for
from hyperframes_desktop.render.resources.errors import Refusal, RefusalKind, ResourceError
from hyperframes_desktop.render.resources.http import Progress, http_get
from hyperframes_desktop.render.resources.npm import NpmRegistry
from hyperframes_desktop.render.resources.package_files import default_file, find_file, sri_matches
from hyperframes_desktop.render.resources.settings import ResolverSettings
from hyperframes_desktop.render.resources.urls import (
    BlockedTarget,
    GoogleFontsTarget,
    NpmTarget,
    StaticTarget,
    classify,
)

_log = logging.getLogger(__name__)
#: Cache key prefix of an exact answer pinned for one URL (a farm bundle's, see pinned.py).
PINNED = "pinned:"


@dataclass(frozen=True)
class Answer:
    url: str
    body: bytes
    content_type: str
    #: the exact npm file it came from ("gsap@3.14.2/dist/gsap.min.js"), for vendor and logs
    npm_file: str | None = None


def _fonts_module():
    """The fonts side (render.fonts), if it offers the Google Fonts interface."""
    try:
        return importlib.import_module("hyperframes_desktop.render.fonts")
    except ImportError:
        return None


class Resolver:
    def __init__(
        self, settings: ResolverSettings | None = None, on_progress: Progress | None = None
    ) -> None:
        self.settings = settings or ResolverSettings.from_environment()
        self.cache = ContentCache(self.settings.cache_dir)
        self.fetched: list[str] = []
        self.problems: list[str] = []  # warnings worth showing (e.g. a font family missing)
        self._lock = threading.RLock()
        self._answers: dict[str, Answer] = {}
        self.npm = NpmRegistry(self.settings, self.cache, self._note_fetch, on_progress)
        self._on_progress = on_progress

    # ---- the one question ------------------------------------------------------------------
    def resolve(
        self, url: str, *, dynamic: bool = False, integrity: str | None = None
    ) -> Answer | Refusal:
        """What ``url`` serves. ``dynamic`` requests (a page's fetch/XHR) resolve only for the
        npm CDNs and Google Fonts; ``integrity`` is a tag's SRI attribute, checked when given."""
        with self._lock:
            try:
                answer = self._answers.get(url) or self._resolve(url, dynamic)
            except ResourceError as exc:
                return Refusal(url, exc.kind, exc.message)
            self._answers[url] = answer
        if integrity and not sri_matches(answer.body, integrity):
            return Refusal(
                url,
                RefusalKind.INTEGRITY,
                f"{url} does not match the integrity= attribute of its tag, so it was not "
                "used. Fix: correct the attribute (or remove it) for the version the URL names.",
            )
        return answer

    def _resolve(self, url: str, dynamic: bool) -> Answer:
        pinned = self._pinned(url)
        if pinned is not None:
            return pinned
        target = classify(url)
        if isinstance(target, BlockedTarget):
            raise ResourceError(RefusalKind.BLOCKED, f"{url} is blocked: {target.reason}.")
        if isinstance(target, NpmTarget):
            return self._npm_answer(url, target)
        if isinstance(target, GoogleFontsTarget):
            return self._google_fonts(url)
        if dynamic:
            raise ResourceError(
                RefusalKind.BLOCKED,
                f"The page asked for {url} while running; only npm CDN and Google Fonts URLs "
                "are fetched at run time. Fix: name it in the HTML or CSS (a src or href), or "
                "put the file in the project folder.",
            )
        return self._static(url, target)

    def _pinned(self, url: str) -> Answer | None:
        known = self.cache.lookup(PINNED + url)
        body = self.cache.get(str(known.get("digest", ""))) if known else None
        if known is None or body is None:
            return None
        return Answer(url, body, str(known.get("type") or content_type_for(url)))

    # ---- npm -------------------------------------------------------------------------------
    def _npm_answer(self, url: str, target: NpmTarget) -> Answer:
        if target.spec and target.path is not None:
            # A bundled font file at its exact version (what a Google Fonts stylesheet of a
            # bundled family names) needs no registry at all: offline stays offline.
            bundled = self._bundled_font(target.package, target.spec, target.path)
            if bundled is not None:
                what = f"{target.package}@{target.spec}/{target.path}"
                return Answer(url, bundled, content_type_for(target.path), what)
        version = self.npm.version(target.package, target.spec)
        path, body = self._npm_file(target, version)
        return Answer(url, body, content_type_for(path), f"{target.package}@{version}/{path}")

    def _npm_file(self, target: NpmTarget, version: str) -> tuple[str, bytes]:
        what = f"{target.package}@{version}"
        if target.path is not None:
            bundled = self._bundled_font(target.package, version, target.path)
            if bundled is not None:
                return target.path, bundled
        manifest = self.npm.manifest(target.package, version)
        if target.path is None:
            path = default_file(manifest, target.cdn)
            if path is None:
                raise ResourceError(
                    RefusalKind.MISSING,
                    f"{what} names no default file. Fix: add the file's path to the URL.",
                )
        else:
            path = find_file(manifest, target.path, target.loose_path)
            if path is None:
                raise ResourceError(
                    RefusalKind.MISSING,
                    f'{what} has no file "{target.path}". Fix: check the path in the URL '
                    f"(the package's files are listed at https://www.npmjs.com/package/"
                    f"{target.package}/v/{version}?activeTab=code).",
                )
        body = self.cache.get(manifest["files"][path])
        if body is None:  # the blob was removed under us: fetch the package again
            self.npm.forget(target.package, version)
            manifest = self.npm.manifest(target.package, version)
            body = self.cache.get(manifest["files"][path]) or b""
        return path, body

    def _bundled_font(self, package: str, version: str | None, path: str) -> bytes | None:
        if not package.startswith(("@fontsource/", "@fontsource-variable/")):
            return None
        fonts = _fonts_module()
        finder = getattr(fonts, "bundled_font_file", None)
        if finder is None:
            return None
        found = finder(package, version, path)
        try:
            return found.read_bytes() if found is not None else None
        except OSError:
            return None

    # ---- NpmFiles (for the fonts side) -------------------------------------------------------
    def read(self, package: str, spec: str, path: str) -> bytes | None:
        """One file of an npm package (bundled fonts, the cache or the registry); None when
        the package, version or file is missing."""
        bundled = self._bundled_font(package, None, path)
        if bundled is not None:
            return bundled
        with self._lock:
            try:
                version = self.npm.version(package, spec)
                return self._npm_file(NpmTarget(package, spec, path), version)[1]
            except ResourceError:
                return None

    def resolve_version(self, package: str, spec: str) -> str | None:
        with self._lock:
            try:
                return self.npm.version(package, spec)
            except ResourceError:
                return None

    # ---- Google Fonts --------------------------------------------------------------------------
    def _google_fonts(self, url: str) -> Answer:
        offline_hf: Callable | None = getattr(_fonts_module(), "hf_offline_fonts", None)
        if offline_hf is not None and offline_hf():
            raise ResourceError(
                RefusalKind.OFFLINE,
                f"{url} was not answered: HYPERFRAMES_HF_OFFLINE_FONTS is set, so fonts render "
                "as HyperFrames renders them offline. Fix: unset it to load the family.",
            )
        key = f"google-css:{url}"
        known = self.cache.lookup(key)
        if known:
            body = self.cache.get(str(known.get("digest", "")))
            if body is not None:
                return Answer(url, body, "text/css")
        fonts = _fonts_module()
        make_css: Callable | None = getattr(fonts, "google_fonts_css", None)
        if make_css is None:
            raise ResourceError(
                RefusalKind.FAILED,
                f"{url}: this build cannot answer Google Fonts stylesheets.",
            )
        result = make_css(url, self)
        for family in getattr(result, "missing_families", ()):
            self.problems.append(
                f'Google Fonts family "{family}" has no @fontsource package; text set in it '
                "falls back to another font. Fix: pick another family or put its font files "
                "in the project."
            )
        body = str(result.css).encode("utf-8")
        if not getattr(result, "missing_families", ()):
            self.cache.remember(key, {"digest": self.cache.put(body)})
        return Answer(url, body, "text/css")

    # ---- other https URLs ---------------------------------------------------------------------
    def _static(self, url: str, target: StaticTarget) -> Answer:
        key = f"url:{url}"
        known = self.cache.lookup(key)
        if known:
            body = self.cache.get(str(known.get("digest", "")))
            if body is not None:
                return Answer(url, body, str(known.get("type") or content_type_for(url)))
        if self.settings.offline:
            raise ResourceError(
                RefusalKind.OFFLINE,
                f"{url} is not in the cache and downloads are off (offline). Fix: render once "
                "with downloads on, or run hyperframes-desktop vendor to copy it into the project.",
            )
        source = self._overridden(target.url)
        self._note_fetch(url)
        fetched = http_get(
            source,
            what=url,
            timeout_s=self.settings.timeout_s,
            max_bytes=self.settings.max_file_bytes,
            progress_over=self.settings.progress_over_bytes,
            on_progress=self._on_progress,
            not_found=f"{url} does not exist (HTTP 404). Fix: check the URL.",
        )
        content_type = fetched.content_type or content_type_for(url)
        self.cache.remember(key, {"digest": self.cache.put(fetched.body), "type": content_type})
        return Answer(url, fetched.body, content_type)

    def _overridden(self, url: str) -> str:
        """Test-only: an https origin served by a loopback server (see settings)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        for https_origin, loopback in self.settings.overrides:
            if origin == https_origin.lower():
                return loopback + url[len(origin) :]
        return url

    # ---- status, for lint and doctor ------------------------------------------------------------
    def is_cached(self, url: str) -> bool:
        """True when ``url`` can be answered without the network."""
        if self.cache.lookup(PINNED + url) is not None:
            return True
        target = classify(url)
        if isinstance(target, NpmTarget):
            version = self.npm.cached_version(target.package, target.spec)
            if version is None:
                return False
            manifest = self.npm.cached_manifest(target.package, version)
            if manifest is None:
                return False
            path = (
                default_file(manifest, target.cdn)
                if target.path is None
                else find_file(manifest, target.path, target.loose_path)
            )
            return path is not None
        if isinstance(target, GoogleFontsTarget):
            return self.cache.lookup(f"google-css:{url}") is not None
        if isinstance(target, StaticTarget):
            return self.cache.lookup(f"url:{url}") is not None
        return False

    def _note_fetch(self, url: str) -> None:
        _log.info("fetching %s", url)
        self.fetched.append(url)
        if self.settings.fetch_log:
            # one short append per line: lines of several processes never interleave
            with contextlib.suppress(OSError), open(self.settings.fetch_log, "a") as log:
                log.write(url.replace("\n", " ") + "\n")
