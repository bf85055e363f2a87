"""The npm registry, as the resolver uses it: which version a spec names, and the files of
that version (tarball checked against ``dist.integrity``, then unpacked into the cache).

Both answers are cached: a spec's version (``d3@7`` → 7.9.0) and a version's file list, so a
second use never touches the network, and a range keeps resolving to the version the project
was first rendered with (every farm chunk and every re-render gets the same bytes).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote

from hyperframes_desktop.render.resources.cache import ContentCache
from hyperframes_desktop.render.resources.errors import RefusalKind, ResourceError
from hyperframes_desktop.render.resources.http import Progress, http_get
from hyperframes_desktop.render.resources.package_files import check_integrity, unpack_into
from hyperframes_desktop.render.resources.settings import ResolverSettings
from hyperframes_desktop.render.resources.versions import select_version

#: The abbreviated packument: versions, dist-tags and dist (what npm install reads).
_PACKUMENT_ACCEPT = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8"

Logger = Callable[[str], None]


def _spec_key(package: str, spec: str) -> str:
    return f"npm-spec:{package}@{spec}"


def _manifest_key(package: str, version: str) -> str:
    return f"npm-files:{package}@{version}"


class NpmRegistry:
    def __init__(
        self,
        settings: ResolverSettings,
        cache: ContentCache,
        log: Logger,
        on_progress: Progress | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self._log = log
        self._on_progress = on_progress
        self._packuments: dict[str, dict] = {}
        self._manifests: dict[str, dict] = {}

    # ---- versions ------------------------------------------------------------------------
    def version(self, package: str, spec: str) -> str:
        """The exact version ``package@spec`` names (cache first)."""
        known = self.cache.lookup(_spec_key(package, spec))
        if known and isinstance(known.get("version"), str):
            return known["version"]
        packument = self._packument(package, f"{package}@{spec}" if spec else package)
        versions = list((packument.get("versions") or {}).keys())
        tags = {k: v for k, v in (packument.get("dist-tags") or {}).items() if isinstance(v, str)}
        chosen = select_version(spec, versions, tags)
        if chosen is None or chosen not in versions:
            raise ResourceError(
                RefusalKind.MISSING,
                f'The npm package "{package}" has no version matching "{spec or "latest"}". '
                f"Fix: use a published version (the latest is {tags.get('latest', 'unknown')}).",
            )
        self.cache.remember(_spec_key(package, spec), {"version": chosen})
        return chosen

    def cached_version(self, package: str, spec: str) -> str | None:
        known = self.cache.lookup(_spec_key(package, spec))
        return known.get("version") if known else None

    def _packument(self, package: str, what: str) -> dict:
        if package in self._packuments:
            return self._packuments[package]
        self._require_online(what)
        url = f"{self.settings.registry}/{quote(package, safe='@')}"
        self._log(url)
        fetched = http_get(
            url,
            what=f"the npm registry's entry for {package}",
            timeout_s=self.settings.timeout_s,
            max_bytes=self.settings.max_tarball_bytes,
            progress_over=self.settings.progress_over_bytes,
            on_progress=self._on_progress,
            headers={"Accept": _PACKUMENT_ACCEPT},
            not_found=(
                f'The npm package "{package}" does not exist in the registry '
                f"{self.settings.registry}. Fix: check the package name in the URL."
            ),
        )
        try:
            packument = json.loads(fetched.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ResourceError(
                RefusalKind.FAILED, f"The npm registry's answer for {package} is not JSON."
            ) from exc
        if not isinstance(packument, dict):
            raise ResourceError(RefusalKind.FAILED, f"The registry's entry for {package} is odd.")
        self._packuments[package] = packument
        return packument

    # ---- files ---------------------------------------------------------------------------
    def manifest(self, package: str, version: str) -> dict:
        """``{"files": {path: digest}, "entry": {...}}`` of one exact version."""
        key = _manifest_key(package, version)
        if key in self._manifests:
            return self._manifests[key]
        known = self.cache.lookup(key)
        if known and isinstance(known.get("digest"), str):
            raw = self.cache.get(known["digest"])
            if raw is not None:
                manifest = json.loads(raw.decode("utf-8"))
                self._manifests[key] = manifest
                return manifest
        what = f"{package}@{version}"
        packument = self._packument(package, what)
        meta = (packument.get("versions") or {}).get(version)
        if not isinstance(meta, dict):
            raise ResourceError(
                RefusalKind.MISSING, f'The npm package "{package}" has no version {version}.'
            )
        dist = meta.get("dist") or {}
        tarball_url = str(dist.get("tarball") or "")
        if not tarball_url.startswith(("https://", "http://")):
            raise ResourceError(RefusalKind.FAILED, f"The registry gives no tarball for {what}.")
        self._log(tarball_url)
        tarball = http_get(
            tarball_url,
            what=what,
            timeout_s=self.settings.timeout_s,
            max_bytes=self.settings.max_tarball_bytes,
            progress_over=self.settings.progress_over_bytes,
            on_progress=self._on_progress,
            not_found=f"The registry lists {what} but its tarball is missing ({tarball_url}).",
        ).body
        integrity, shasum = str(dist.get("integrity") or ""), str(dist.get("shasum") or "")
        check_integrity(tarball, integrity, shasum, what)
        manifest = unpack_into(self.cache, tarball, what, self.settings.max_file_bytes)
        digest = self.cache.put(json.dumps(manifest, sort_keys=True).encode("utf-8"))
        self.cache.remember(key, {"digest": digest})
        self._manifests[key] = manifest
        return manifest

    def forget(self, package: str, version: str) -> None:
        """Drop a version's file list (its blobs went missing): the next use refetches it."""
        key = _manifest_key(package, version)
        self._manifests.pop(key, None)
        self.cache.remember(key, {})

    def cached_manifest(self, package: str, version: str) -> dict | None:
        known = self.cache.lookup(_manifest_key(package, version))
        if not known:
            return None
        raw = self.cache.get(str(known.get("digest", "")))
        return json.loads(raw.decode("utf-8")) if raw is not None else None

    def _require_online(self, what: str) -> None:
        if self.settings.offline:
            raise ResourceError(
                RefusalKind.OFFLINE,
                f"{what} is not in the cache and downloads are off (offline). Fix: render once "
                'with downloads on (without --offline, or switch on "Download libraries and '
                'fonts that projects use" in Preferences), or run hyperframes-desktop vendor.',
            )
