"""A project's media files: listing them, importing new ones into the assets folder (never
overwriting), and finding files the compositions name that are not there.

Qt-free: the Assets panel and the timeline's drop target use it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from hyperframes_desktop.project.scanner import scan

KINDS: dict[str, str] = {
    **dict.fromkeys(("mp4", "mov", "webm", "mkv", "m4v", "ogv", "avi"), "video"),
    **dict.fromkeys(("mp3", "wav", "ogg", "oga", "opus", "m4a", "aac", "flac"), "audio"),
    **dict.fromkeys(("png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp"), "image"),
    **dict.fromkeys(("ttf", "otf", "woff", "woff2"), "font"),
}
#: Folders never listed: render output, packages, version control, caches.
SKIPPED = frozenset({"renders", "node_modules", ".git", ".cache", "__pycache__"})
#: Attributes that name a file a composition needs.
_REFERENCING = {"src", "poster"}


def asset_kind(path: Path | str) -> str | None:
    """``video``, ``audio``, ``image`` or ``font`` by the file's extension; None otherwise."""
    return KINDS.get(Path(path).suffix.lower().lstrip("."))


@dataclass(frozen=True)
class Asset:
    path: Path
    rel: str  # project-relative, POSIX
    kind: str
    size: int


def list_assets(project: Path) -> list[Asset]:
    """Every media and font file of the project (render output and hidden folders left out),
    sorted by kind then path."""
    found = []
    for folder, dirs, files in os.walk(project):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED and not d.startswith("."))
        for name in files:
            kind = asset_kind(name)
            if kind is None or name.startswith("."):
                continue
            path = Path(folder) / name
            try:
                size = path.stat().st_size
            except OSError:
                continue
            found.append(Asset(path, path.relative_to(project).as_posix(), kind, size))
    order = {"video": 0, "audio": 1, "image": 2, "font": 3}
    return sorted(found, key=lambda a: (order[a.kind], a.rel.lower()))


def unique_destination(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name-2``, ``name-3``… before the extension when taken."""
    path = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{suffix}"
    return path


def _copy_new(source: Path, folder: Path) -> Path:
    """Copy ``source`` into ``folder`` under an unused name; an existing file is never
    replaced, even by a copy racing this one (the final name is claimed with a hard link,
    which fails when the name exists)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".import-", suffix=".partial")
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        while True:
            target = unique_destination(folder, source.name)
            try:
                os.link(tmp, target)
                return target
            except FileExistsError:
                continue
    finally:
        Path(tmp).unlink(missing_ok=True)


class ImportRefused(Exception):
    """A file cannot be imported; the message says which and why."""


def import_files(project: Path, files: list[Path], assets_dir: str = "assets") -> list[Path]:
    """Copy ``files`` into the project's assets folder (files already inside the project are
    used where they are); returns the project paths, in order."""
    project = project.resolve()
    out = []
    for file in files:
        source = Path(file).expanduser()
        if not source.is_file():
            raise ImportRefused(f'"{source}" is not a file. Fix: choose media files to import.')
        resolved = source.resolve()
        if resolved.is_relative_to(project):
            out.append(resolved)
            continue
        try:
            out.append(_copy_new(resolved, project / assets_dir))
        except OSError as exc:
            raise ImportRefused(
                f'"{source.name}" could not be copied into {assets_dir}/ '
                f"({exc.strerror or exc}). Fix: check there is free space and the project "
                "folder can be written to."
            ) from None
    return out


@dataclass(frozen=True)
class MissingAsset:
    ref: str  # as written in the composition
    path: Path  # where it should be
    composition: str  # project-relative file that names it
    line: int
    kind: str | None


def _local_target(project: Path, composition: Path, ref: str) -> Path | None:
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith(("#", "data:", "//")) or not parts.path:
        return None
    base = project if parts.path.startswith("/") else composition.parent
    return (base / unquote(parts.path).lstrip("/")).resolve()


def missing_assets(project: Path) -> list[MissingAsset]:
    """Files named by ``src``/``poster`` in the project's compositions that do not exist."""
    project = project.resolve()
    missing: dict[Path, MissingAsset] = {}
    for html_file in sorted(project.rglob("*.html")):
        rel = html_file.relative_to(project)
        if any(part in SKIPPED or part.startswith(".") for part in rel.parts[:-1]):
            continue
        try:
            text = html_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        for element in scan(text):
            for name in _REFERENCING:
                ref = element.attrs.get(name)
                if not ref or "__" in ref:
                    continue  # unfilled example placeholders are init's business
                target = _local_target(project, html_file, ref)
                if target is None or target.exists() or target in missing:
                    continue
                missing[target] = MissingAsset(
                    ref, target, rel.as_posix(), element.line, asset_kind(target)
                )
    return list(missing.values())


def locate(project: Path, missing: MissingAsset, chosen: Path) -> Path:
    """Put a copy of ``chosen`` where the composition expects the missing file (no HTML is
    changed); refused when something is already there or the place is outside the project."""
    target = missing.path
    if not target.resolve().is_relative_to(project.resolve()):
        raise ImportRefused(
            f'"{missing.ref}" points outside the project. Fix: edit the composition to name a '
            "file inside the project folder."
        )
    if target.exists():
        raise ImportRefused(f'"{missing.ref}" is there now. Fix: reload the project.')
    if not Path(chosen).is_file():
        raise ImportRefused(f'"{chosen}" is not a file. Fix: choose the file to use.')
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".locate-", suffix=".partial")
    os.close(fd)
    try:
        shutil.copyfile(chosen, tmp)
        os.link(tmp, target)
    except FileExistsError:
        raise ImportRefused(f'"{missing.ref}" is there now. Fix: reload the project.') from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target
