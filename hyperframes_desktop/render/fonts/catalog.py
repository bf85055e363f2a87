"""The bundled @fontsource packages: what is shipped, and where each file is.

``resources/fonts/bundled.json`` (committed) pins each package, version and integrity;
``scripts/fetch_fonts.py`` extracts them at build time into ``resources/fonts/npm/<package>/``
(git-ignored): ``metadata.json``, ``unicode.json``, ``LICENSE`` and the WOFF2 files of the
bundled weights and subsets. This module reads that folder, found through
:mod:`hyperframes_desktop.resource_paths` (the one locator). Qt-free.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from hyperframes_desktop import resource_paths

LOCK_FILE = "bundled.json"
NPM_FOLDER = "npm"
_STAMP = "integrity.txt"
FETCH_FIX = (
    "run `python scripts/fetch_fonts.py` in the source checkout (scripts/bootstrap.sh runs it)"
)


class BundledFontsMissing(FileNotFoundError):
    """The bundled font files are not where the application expects them (a broken install).

    ``str()`` is the whole sentence: what is missing and how to fix it.
    """


@dataclass(frozen=True)
class Face:
    """One bundled WOFF2 file: weights (a range for a variable font), style and subset."""

    file: str  # relative to the package folder: "files/inter-latin-400-normal.woff2"
    weight: tuple[int, int]
    style: str  # "normal" | "italic"
    subset: str
    unicode_range: str | None


@dataclass(frozen=True)
class BundledPackage:
    """One bundled @fontsource package as it lies in the resources folder."""

    package: str
    version: str
    folder: Path
    family: str
    faces: tuple[Face, ...]

    @property
    def variable(self) -> bool:
        return self.package.startswith("@fontsource-variable/")


def _fix_for(folder: Path) -> str:
    return resource_paths.REINSTALL_FIX if resource_paths.is_installed(folder) else FETCH_FIX


def bundled_fonts_dir() -> Path:
    """The folder holding the bundled fonts: ``fonts`` in the resources folder that
    :mod:`hyperframes_desktop.resource_paths` finds. Raises :class:`BundledFontsMissing`
    naming what is missing and how to fix it."""
    folder = resource_paths.fonts_dir()
    if folder is None:
        searched = " and ".join(str(c / "fonts") for c in resource_paths.candidates())
        raise BundledFontsMissing(
            f"The bundled fonts were not found (looked in {searched}). "
            f"Fix: {resource_paths.REINSTALL_FIX}."
        )
    packages(folder)  # raises when incomplete
    return folder


def _lock(folder: Path) -> dict:
    try:
        return json.loads((folder / LOCK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BundledFontsMissing(
            f"The bundled fonts' list {folder / LOCK_FILE} cannot be read ({exc}). "
            f"Fix: {_fix_for(folder)}."
        ) from exc


def _faces(package: str, root: Path, metadata: dict, ranges: dict[str, str]) -> tuple[Face, ...]:
    slug = metadata["id"]
    faces = []
    for path in sorted((root / "files").glob("*.woff2")):
        stem = path.name.removesuffix(".woff2").removeprefix(slug + "-")
        rest, _, style = stem.rpartition("-")
        subset, _, weight = rest.rpartition("-")
        if weight == "wght":
            axis = metadata.get("variable", {}).get("wght", {})
            span = (int(float(axis.get("min", 100))), int(float(axis.get("max", 900))))
        elif weight.isdigit():
            span = (int(weight), int(weight))
        else:
            continue
        faces.append(Face(f"files/{path.name}", span, style, subset, ranges.get(subset)))
    # Upright first, then by weight; latin, then latin-ext, then the rest (the order of the
    # rules the renderer has always written: a later rule wins where ranges overlap).
    order = ["latin", "latin-ext"]
    faces.sort(
        key=lambda f: (
            f.style != "normal",
            f.weight,
            order.index(f.subset) if f.subset in order else len(order),
            f.subset,
        )
    )
    return tuple(faces)


@lru_cache(maxsize=8)
def _packages(folder: Path) -> tuple[BundledPackage, ...]:
    lock = _lock(folder)
    found: list[BundledPackage] = []
    missing: list[str] = []
    for entry in lock.get("packages", []):
        package, version = entry["package"], entry["version"]
        root = folder / NPM_FOLDER / PurePosixPath(package)
        stamp = root / _STAMP
        try:
            complete = stamp.read_text(encoding="utf-8").strip() == entry["integrity"]
            metadata = json.loads((root / "metadata.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            complete = False
        if not complete:
            missing.append(f"{package}@{version}")
            continue
        ranges_file = root / "unicode.json"
        ranges = {}
        if ranges_file.is_file():
            ranges = json.loads(ranges_file.read_text(encoding="utf-8"))
        faces = _faces(package, root, metadata, ranges)
        found.append(BundledPackage(package, version, root, metadata["family"], faces))
    if missing:
        raise BundledFontsMissing(
            f"The bundled fonts are incomplete: {folder / NPM_FOLDER} lacks "
            f"{', '.join(missing)}. Fix: {_fix_for(folder)}."
        )
    return tuple(found)


def packages(folder: Path | None = None) -> tuple[BundledPackage, ...]:
    """Every bundled package (raises :class:`BundledFontsMissing` when one is missing)."""
    if folder is None:
        return _packages(bundled_fonts_dir().resolve())
    return _packages(Path(folder).resolve())


def find_package(package: str, folder: Path | None = None) -> BundledPackage | None:
    for bundled in packages(folder):
        if bundled.package == package:
            return bundled
    return None


def bundled_font_file(package: str, version: str | None, path: str) -> Path | None:
    """The bundled copy of that @fontsource file (e.g. ``("@fontsource/inter", None,
    "files/inter-latin-700-normal.woff2")``), or None when it is not shipped.

    ``version`` None means whichever version is bundled; any other version must be the
    bundled one exactly. ``path`` is the file's path inside the package (a leading ``/`` or
    ``package/`` is accepted); nothing outside the package folder is ever returned.
    """
    if not package.startswith(("@fontsource/", "@fontsource-variable/")):
        return None
    folder = resource_paths.fonts_dir()
    if folder is None:
        return None
    try:
        bundled = find_package(package, folder)
    except BundledFontsMissing:
        bundled = _partial_package(folder, package)
    if bundled is None or (version is not None and version != bundled.version):
        return None
    relative = PurePosixPath(path.lstrip("/").removeprefix("package/"))
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return None
    if relative.name.startswith("."):
        return None
    candidate = bundled.folder / relative
    return candidate if candidate.is_file() else None


def _partial_package(folder: Path, package: str) -> BundledPackage | None:
    """A complete package folder in an otherwise incomplete install (still worth serving)."""
    lock = _lock(folder)
    for entry in lock.get("packages", []):
        if entry["package"] != package:
            continue
        root = folder / NPM_FOLDER / PurePosixPath(package)
        try:
            if (root / _STAMP).read_text(encoding="utf-8").strip() != entry["integrity"]:
                return None
        except OSError:
            return None
        return BundledPackage(package, entry["version"], root, "", ())
    return None
