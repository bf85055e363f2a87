"""An npm tarball, checked and unpacked into the cache, and the file a CDN serves for a
package URL without a path."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import posixpath
import tarfile

from hyperframes_desktop.render.resources.cache import ContentCache
from hyperframes_desktop.render.resources.errors import RefusalKind, ResourceError

_MAX_FILES = 50_000


def check_integrity(data: bytes, integrity: str, shasum: str, what: str) -> None:
    """Refuse ``data`` unless it matches the registry's ``dist.integrity`` (an SRI string,
    strongest algorithm checked) or, for old packages that only have one, ``dist.shasum``."""
    expected = _sri_digests(integrity)
    if expected:
        algorithm = next(a for a in ("sha512", "sha384", "sha256", "sha1") if a in expected)
        actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
        if actual not in expected[algorithm]:
            raise _mismatch(what)
        return
    if shasum:
        if hashlib.sha1(data).hexdigest() != shasum.lower():
            raise _mismatch(what)
        return
    raise ResourceError(
        RefusalKind.INTEGRITY,
        f"The registry gives no integrity hash for {what}, so it was not used.",
    )


def _sri_digests(integrity: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for token in integrity.split():
        algorithm, sep, value = token.partition("-")
        if sep and algorithm in ("sha512", "sha384", "sha256", "sha1"):
            found.setdefault(algorithm, set()).add(value.split("?", 1)[0])
    return found


def sri_matches(data: bytes, integrity: str) -> bool:
    """True when ``data`` matches an SRI ``integrity=`` attribute (any listed hash of its
    strongest algorithm, as browsers check it)."""
    expected = _sri_digests(integrity)
    if not expected:
        return True  # nothing a browser would check
    algorithm = next(a for a in ("sha512", "sha384", "sha256", "sha1") if a in expected)
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")
    return actual in expected[algorithm]


def _mismatch(what: str) -> ResourceError:
    return ResourceError(
        RefusalKind.INTEGRITY,
        f"The tarball of {what} does not match the registry's integrity hash; it was refused "
        "and nothing was cached. Fix: try again later, or check the registry setting "
        "(NPM_CONFIG_REGISTRY, registry= in ~/.npmrc) if a mirror serves it.",
    )


def unpack_into(cache: ContentCache, tarball: bytes, what: str, max_file_bytes: int) -> dict:
    """Store every regular file of ``tarball`` in ``cache``; return the package manifest:
    ``{"files": {path: digest}, "package_json": {...}}`` (paths without the top folder)."""
    files: dict[str, str] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:*") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                if len(files) >= _MAX_FILES or member.size > max_file_bytes:
                    raise ResourceError(
                        RefusalKind.FAILED, f"The tarball of {what} is too large to unpack."
                    )
                name = posixpath.normpath(member.name.lstrip("/"))
                _top, _sep, path = name.partition("/")
                if not path or path.startswith("../") or path == "..":
                    continue
                handle = archive.extractfile(member)
                if handle is None:
                    continue
                files[path] = cache.put(handle.read())
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ResourceError(
            RefusalKind.FAILED, f"The tarball of {what} could not be unpacked ({exc})."
        ) from exc
    package_json: dict = {}
    if "package.json" in files:
        raw = cache.get(files["package.json"]) or b"{}"
        try:
            loaded = json.loads(raw.decode("utf-8"))
            package_json = loaded if isinstance(loaded, dict) else {}
        except (ValueError, UnicodeDecodeError):
            package_json = {}
    entry_fields = {k: package_json.get(k) for k in ("jsdelivr", "unpkg", "browser", "main")}
    return {"files": files, "entry": entry_fields}


def default_file(manifest: dict, cdn: str) -> str | None:
    """The file a CDN serves for a package URL without a path.

    jsDelivr reads ``jsdelivr``, then ``browser`` (when it is a path), then ``main``; unpkg
    reads ``unpkg`` first instead. A path without an extension gets ``.js``; the fallback is
    ``index.js``.
    """
    entry = manifest.get("entry") or {}
    order = ("unpkg", "browser", "main") if cdn == "unpkg" else ("jsdelivr", "browser", "main")
    files: dict = manifest.get("files") or {}
    for name in order:
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        path = posixpath.normpath(value.strip()).lstrip("./")
        for candidate in (path, f"{path}.js", f"{path}/index.js"):
            if candidate in files:
                return candidate
    return "index.js" if "index.js" in files else None


def find_file(manifest: dict, path: str, loose: bool) -> str | None:
    """``path`` if the package has it; with ``loose`` (cdnjs) the one file of that base name."""
    files: dict = manifest.get("files") or {}
    path = posixpath.normpath(path)
    if path in files:
        return path
    if not loose:
        return None
    base = posixpath.basename(path)
    matches = sorted(p for p in files if posixpath.basename(p) == base)
    return min(matches, key=len) if matches else None
