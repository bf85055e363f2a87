"""Reading a HyperFrames registry over HTTP(S), with a cache that keeps it usable offline.

Layout (HyperFrames'): ``{base}/registry.json`` lists ``{name, type}``; each item is
described at ``{base}/{examples|blocks|components}/{name}/registry-item.json`` and its files
are at ``{base}/{folder}/{name}/{file.path}``.

Every answer is kept under the user cache folder (``registry/<hash of base>/<same path>``).
The index and files are asked for fresh each time and the cache is used when the registry
cannot be reached; item descriptions younger than ``item_max_age`` are used from the cache
without asking (listing the catalog reads hundreds of them).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import httpx
import platformdirs

from hyperframes_desktop import APP_NAME, __version__

from .errors import CatalogError
from .items import FOLDERS, RegistryItem, parse_item

TIMEOUT_S = 20.0
ITEM_MAX_AGE_S = 24 * 3600.0
_PARALLEL = 8


class NotInRegistry(CatalogError):
    """The registry answered 404 for something asked for."""


def registry_cache_root() -> Path:
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "registry"


def safe_relative(path: str, what: str) -> PurePosixPath:
    """``path`` as a relative POSIX path that cannot leave its folder; refused otherwise."""
    rel = PurePosixPath(path.replace("\\", "/"))
    if rel.is_absolute() or not rel.parts or ".." in rel.parts or ":" in rel.parts[0]:
        raise CatalogError(
            f'The {what} "{path}" is not a plain relative path. Fix: the registry item must '
            "name files inside its own folder and the project."
        )
    return rel


class RegistryClient:
    """One registry, by its base URL. Thread-safe for reads."""

    def __init__(
        self,
        base: str,
        *,
        cache_dir: Path | None = None,
        item_max_age: float = ITEM_MAX_AGE_S,
        timeout: float = TIMEOUT_S,
    ) -> None:
        self.base = base.rstrip("/")
        key = hashlib.sha256(self.base.encode()).hexdigest()[:16]
        self.cache = (cache_dir or registry_cache_root()) / key
        self.item_max_age = item_max_age
        self._http = httpx.Client(
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": f"hyperframes-desktop/{__version__}"},
        )
        self._index: list[tuple[str, str]] | None = None

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- raw fetches -------------------------------------------------------------------------

    def _cached(self, rel: PurePosixPath) -> Path:
        return self.cache.joinpath(*rel.parts)

    def _store(self, rel: PurePosixPath, data: bytes) -> None:
        target = self._cached(rel)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except OSError:
            pass  # a cache that cannot be written only costs a download next time

    def fetch(self, rel_path: str, *, max_age: float | None = None) -> bytes:
        """The bytes at ``{base}/{rel_path}``: fresh, or from the cache when the registry is
        unreachable (or the cached copy is younger than ``max_age``)."""
        rel = safe_relative(rel_path, "registry path")
        cached = self._cached(rel)
        fresh_enough = (
            max_age is not None
            and cached.is_file()
            and time.time() - cached.stat().st_mtime < max_age
        )
        if fresh_enough:
            return cached.read_bytes()
        url = f"{self.base}/{quote(rel.as_posix())}"
        try:
            response = self._http.get(url)
        except httpx.HTTPError as exc:
            if cached.is_file():
                return cached.read_bytes()
            raise CatalogError(
                f"The registry at {self.base} cannot be reached ({type(exc).__name__}) and "
                f"{rel.as_posix()} is not in the cache. Fix: check the connection or the "
                "--registry URL, then try again."
            ) from None
        if response.status_code == 404:
            raise NotInRegistry(
                f"The registry at {self.base} has no {rel.as_posix()} (404). Fix: check the "
                "name, or the --registry URL."
            )
        if response.status_code != 200:
            if cached.is_file():
                return cached.read_bytes()
            raise CatalogError(
                f"The registry at {self.base} answered {response.status_code} for "
                f"{rel.as_posix()}. Fix: try again later, or check the --registry URL."
            )
        self._store(rel, response.content)
        return response.content

    def _json(self, rel_path: str, *, max_age: float | None = None) -> object:
        data = self.fetch(rel_path, max_age=max_age)
        try:
            return json.loads(data.decode("utf-8-sig"))
        except ValueError:
            raise CatalogError(
                f"{self.base}/{rel_path} is not valid JSON. Fix: check the registry."
            ) from None

    # -- the catalog ---------------------------------------------------------------------------

    def index(self) -> list[tuple[str, str]]:
        """``(name, type)`` of every item in ``registry.json``, in its order."""
        if self._index is None:
            data = self._json("registry.json")
            entries = data.get("items") if isinstance(data, dict) else None
            if not isinstance(entries, list):
                raise CatalogError(
                    f"{self.base}/registry.json has no items list. Fix: check the --registry "
                    "URL points at a HyperFrames registry."
                )
            self._index = [
                (str(e["name"]), str(e["type"]))
                for e in entries
                if isinstance(e, dict) and e.get("name") and e.get("type") in FOLDERS
            ]
        return self._index

    def type_of(self, name: str) -> str:
        for entry_name, kind in self.index():
            if entry_name == name:
                return kind
        raise CatalogError(
            f'There is no item "{name}" in the registry at {self.base}. Fix: see '
            "`hyperframes-desktop catalog` for the names there are."
        )

    def item(self, name: str, kind: str | None = None) -> RegistryItem:
        """The item called ``name`` (its type looked up in the index unless given)."""
        kind = kind or self.type_of(name)
        rel = f"{FOLDERS[kind]}/{name}/registry-item.json"
        try:
            data = self._json(rel, max_age=self.item_max_age)
        except NotInRegistry:
            raise CatalogError(
                f'The registry at {self.base} lists "{name}" but has no {rel} (404). Fix: '
                "try again later, or report it to the registry's maintainers."
            ) from None
        item = parse_item(data, f"{self.base}/{rel}")
        if item.name != name:
            raise CatalogError(
                f'{self.base}/{rel} describes "{item.name}", not "{name}". Fix: check the registry.'
            )
        return item

    def items(self, kinds: set[str] | None = None) -> list[RegistryItem]:
        """Every item (of ``kinds``), read in parallel; an unreadable one is left out."""
        wanted = [(n, k) for n, k in self.index() if kinds is None or k in kinds]

        def one(entry: tuple[str, str]) -> RegistryItem | None:
            try:
                return self.item(*entry)
            except CatalogError:
                return None

        with ThreadPoolExecutor(_PARALLEL) as pool:
            return [item for item in pool.map(one, wanted) if item is not None]

    def file_bytes(self, item: RegistryItem, path: str) -> bytes:
        rel = safe_relative(path, "file path")
        try:
            return self.fetch(f"{item.folder}/{item.name}/{rel.as_posix()}")
        except NotInRegistry:
            raise CatalogError(
                f'The registry item "{item.name}" lists the file {path}, but the registry '
                f"has no {item.folder}/{item.name}/{path} (404). Nothing was installed. Fix: "
                "report it to the registry's maintainers, or choose another item."
            ) from None
