#!/usr/bin/env python3
"""Fetch the bundled fonts: the @fontsource packages listed in resources/fonts/bundled.json.

For each package, the tarball named by the npm registry is downloaded, checked against the
``dist.integrity`` the registry gives AND the integrity pinned in bundled.json (a mirror must
serve the same bytes), and only the needed files are extracted into
``resources/fonts/npm/<package>/`` (git-ignored): ``package.json``, ``LICENSE``,
``metadata.json``, ``unicode.json`` and the WOFF2 files of the weights and subsets
bundled.json names (every style the family has; ``wght`` files for ``@fontsource-variable``).

Idempotent: a package whose folder carries a ``integrity.txt`` stamp with the pinned integrity is
skipped without touching the network, so a second run takes milliseconds. The registry is the
one npm would use: ``NPM_CONFIG_REGISTRY`` (or ``npm_config_registry``), else ``registry=``
in ``~/.npmrc``, else https://registry.npmjs.org/. Stdlib + httpx only (setup.py runs it in
a build environment).

Usage: python scripts/fetch_fonts.py [--dest DIR] [--quiet]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import shutil
import sys
import tarfile
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "resources" / "fonts"
LOCK = FONTS / "bundled.json"
DEFAULT_REGISTRY = "https://registry.npmjs.org/"
STAMP = "integrity.txt"
#: Files kept from every package besides the font files.
KEPT = ("package.json", "LICENSE", "metadata.json", "unicode.json")
TIMEOUT = 60.0


class FetchError(RuntimeError):
    """A package could not be fetched; ``str()`` names the package and the fix."""


def registry_url() -> str:
    for name in ("NPM_CONFIG_REGISTRY", "npm_config_registry"):
        value = os.environ.get(name, "").strip()
        if value:
            return value.rstrip("/") + "/"
    npmrc = Path.home() / ".npmrc"
    if npmrc.is_file():
        for line in npmrc.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "registry" and value.strip():
                return value.strip().rstrip("/") + "/"
    return DEFAULT_REGISTRY


def wanted_files(package: str, metadata: dict, weights: list[int], subsets: list[str]) -> list[str]:
    """The ``files/…woff2`` names to keep for one package, from its metadata.json."""
    slug = metadata["id"]
    styles = [s for s in ("normal", "italic") if s in metadata.get("styles", ["normal"])]
    have = [s for s in subsets if s in metadata.get("subsets", [])]
    if package.startswith("@fontsource-variable/"):
        return [f"files/{slug}-{subset}-wght-{style}.woff2" for style in styles for subset in have]
    shipped = [w for w in weights if w in metadata.get("weights", [])]
    return [
        f"files/{slug}-{subset}-{weight}-{style}.woff2"
        for weight in shipped
        for style in styles
        for subset in have
    ]


def _check_integrity(path: Path, integrity: str, package: str) -> None:
    algorithm, _, expected = integrity.partition("-")
    if algorithm not in ("sha512", "sha384", "sha256", "sha1"):
        raise FetchError(f"{package}: unknown integrity algorithm {algorithm!r}")
    digest = hashlib.new(algorithm)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if base64.b64encode(digest.digest()).decode() != expected:
        raise FetchError(
            f"{package}: the downloaded tarball does not match its integrity {integrity}; "
            "nothing was extracted. Fix: check the registry (NPM_CONFIG_REGISTRY) and retry."
        )


def _download(client, url: str, dest: Path) -> None:
    with client.stream("GET", url) as response:
        response.raise_for_status()
        with dest.open("wb") as fh:
            for chunk in response.iter_bytes(1 << 20):
                fh.write(chunk)


def fetch_package(client, registry: str, entry: dict, lock: dict, dest: Path) -> bool:
    """Fetch one package into ``dest/<package>``; False when it was already there."""
    package, version, integrity = entry["package"], entry["version"], entry["integrity"]
    target = dest / package
    stamp = target / STAMP
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == integrity:
        return False
    packument_url = registry + quote(package, safe="@")
    try:
        response = client.get(
            packument_url, headers={"Accept": "application/vnd.npm.install-v1+json"}
        )
        response.raise_for_status()
        dist = response.json()["versions"][version]["dist"]
    except Exception as exc:  # every failure becomes one sentence
        raise FetchError(
            f"{package}@{version}: the registry {registry} did not give its metadata ({exc}). "
            "Fix: check the network or NPM_CONFIG_REGISTRY, then rerun scripts/fetch_fonts.py."
        ) from exc
    if dist.get("integrity") != integrity:
        raise FetchError(
            f"{package}@{version}: the registry's integrity {dist.get('integrity')} differs "
            f"from the pinned {integrity} in {LOCK.name}. Fix: use a registry that mirrors npm."
        )
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest, prefix=".fetch-") as tmp:
        tarball = Path(tmp) / "package.tgz"
        try:
            _download(client, dist["tarball"], tarball)
        except Exception as exc:
            raise FetchError(
                f"{package}@{version}: downloading {dist['tarball']} failed ({exc}). "
                "Fix: check the network, then rerun scripts/fetch_fonts.py."
            ) from exc
        _check_integrity(tarball, integrity, package)
        staging = Path(tmp) / "out"
        with tarfile.open(tarball, "r:gz") as archive:
            members = {m.name.removeprefix("package/"): m for m in archive.getmembers()}
            metadata = json.loads(archive.extractfile(members["metadata.json"]).read())
            names = [*KEPT, *wanted_files(package, metadata, lock["weights"], lock["subsets"])]
            for name in names:
                member = members.get(name)
                if member is None or not member.isfile():
                    if name in KEPT and name != "unicode.json":
                        raise FetchError(f"{package}@{version}: the tarball lacks {name}")
                    continue
                out = staging / name
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(archive.extractfile(member).read())
        (staging / STAMP).write_text(integrity + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, target)
    return True


def fetch_all(dest: Path = FONTS / "npm", quiet: bool = False) -> int:
    """Fetch every package of bundled.json into ``dest``; the number fetched."""
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    entries = lock["packages"]
    todo = [
        e
        for e in entries
        if not (dest / e["package"] / STAMP).is_file()
        or (dest / e["package"] / STAMP).read_text(encoding="utf-8").strip() != e["integrity"]
    ]
    if not todo:
        return 0
    import httpx  # only when something is missing: a done checkout needs no httpx

    registry = registry_url()
    if not quiet:
        names = ", ".join(e["package"] for e in todo)
        print(f"[fonts] fetching {len(todo)} packages from {registry}: {names}", file=sys.stderr)
    limits = httpx.Limits(max_connections=4)
    with (
        httpx.Client(timeout=TIMEOUT, follow_redirects=True, limits=limits) as client,
        ThreadPoolExecutor(max_workers=4) as pool,
    ):
        results = list(pool.map(lambda e: fetch_package(client, registry, e, lock, dest), todo))
    return sum(results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=FONTS / "npm")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    try:
        count = fetch_all(args.dest, args.quiet)
    except FetchError as exc:
        print(f"[fonts] {exc}", file=sys.stderr)
        return 1
    if count and not args.quiet:
        print(f"[fonts] {count} font packages ready in {args.dest}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
