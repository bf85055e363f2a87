"""Real ``@fontsource`` tarballs for the font tests, fetched once from the npm registry into
the repository's git-ignored ``.cache/fontsource/`` (checked against their integrity), and an
``NpmFiles`` that reads them: the resolver's interface, backed by real packages, offline."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tarfile
import tempfile
import urllib.request
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE = REPO_ROOT / ".cache" / "fontsource"

#: package → (version, dist.integrity) of the tarballs the tests use.
TARBALLS: dict[str, tuple[str, str]] = {
    "@fontsource/montserrat": (
        "5.2.8",
        "sha512-xTjLxSbSfCycDB0pwmNsfNvdfWPaDaRQ2LC6yt/ZI7SdvXG52zHnzNYC/09mzuAuWNJyShkteutfCoDgym56hQ==",
    ),
    "@fontsource/lato": (
        "5.2.7",
        "sha512-k5mum1ADbDW5cTw1Ett1eQVWeoZ6gq0ct6SFBibEhB4LRxhniChJZTBgd6ph5yBxLkN1fcnsnmicBNA4S/3nbw==",
    ),
    "@fontsource/bebas-neue": (
        "5.3.0",
        "sha512-nCxMEb9Bg9sjNWm9TIOsvHKDMLRUfEZPWpLgYu6m9KavZZVSA/WoHzI5wROwqA+eNwEi/PNBAcB5Co7HA3S0Cw==",
    ),
}


def _matches(data: bytes, integrity: str) -> bool:
    algorithm, _, expected = integrity.partition("-")
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == expected


def tarball(package: str) -> bytes:
    """The package's tarball bytes, from the cache or (once) from the npm registry."""
    version, integrity = TARBALLS[package]
    name = package.split("/")[-1]
    path = CACHE / f"{name}-{version}.tgz"
    if path.is_file():
        data = path.read_bytes()
        if _matches(data, integrity):
            return data
    url = f"https://registry.npmjs.org/{package}/-/{name}-{version}.tgz"
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
    except OSError as exc:
        raise RuntimeError(
            f"cannot download {package}@{version} from {url} ({exc}); the font tests need it "
            f"once, cached at {path}"
        ) from exc
    if not _matches(data, integrity):
        raise RuntimeError(f"{url} does not match its integrity {integrity}")
    CACHE.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=CACHE, prefix=".tgz-", suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
    return data


@cache
def _members(package: str) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(tarball(package)), mode="r:gz") as archive:
        return {
            m.name.removeprefix("package/"): archive.extractfile(m).read()  # type: ignore[union-attr]
            for m in archive.getmembers()
            if m.isfile()
        }


class TarballNpm:
    """``NpmFiles`` over the real tarballs of :data:`TARBALLS`; records every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    def resolve_version(self, package: str, spec: str) -> str | None:
        self.calls.append(("resolve_version", package, spec))
        if package not in TARBALLS:
            return None
        version = TARBALLS[package][0]
        return version if spec in ("latest", version) else None

    def read(self, package: str, spec: str, path: str) -> bytes | None:
        self.calls.append(("read", package, spec, path))
        if package not in TARBALLS or spec != TARBALLS[package][0]:
            return None
        return _members(package).get(path.lstrip("/"))

    def has(self, package: str, version: str, path: str) -> bool:
        return version == TARBALLS[package][0] and path in _members(package)
