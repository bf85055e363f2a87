"""What a project watcher looks at, and what a burst of file events changed (Qt-free).

The studio's watcher only learns *that* something happened in a folder; after a debounce it
takes a new :func:`snapshot` and :func:`diff` says what changed. Editors' swap and temp
files, hidden folders, the renders folder and dependency caches are never part of a
snapshot, so they never cause a reload. :func:`affected` says which compositions depend on
the changed files, so only their previews and thumbnails are redone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .files import HTML_SUFFIXES

#: Folders never watched, at any depth (besides hidden ones).
IGNORED_DIRS = frozenset({"node_modules", "__pycache__"})
#: Folders never watched at the project's top level: where the studio writes its renders.
IGNORED_TOP_DIRS = frozenset({"renders"})
#: Editors' and tools' scratch files, by suffix.
_IGNORED_SUFFIXES = (
    "~",
    ".swp",
    ".swo",
    ".swx",
    ".swpx",
    ".tmp",
    ".temp",
    ".bak",
    ".part",
    ".crdownload",
    ".kate-swp",
    "___jb_tmp___",
    "___jb_old___",
)
_IGNORED_NAMES = frozenset({"4913", "Thumbs.db", "desktop.ini"})  # 4913: vim's write probe
_IGNORED_PATTERNS = (
    re.compile(r"^#.*#$"),  # emacs auto-save
    re.compile(r"^sed[A-Za-z0-9]{6}$"),  # sed -i
    re.compile(r"\.partial(\.[A-Za-z0-9]+)?$"),  # our own unpublished renders
)
#: Files whose text may name other files (so a change to what they name matters).
TEXT_SUFFIXES = frozenset(HTML_SUFFIXES | {".css", ".js", ".mjs", ".json", ".svg"})
#: A project bigger than this is only partly watched (someone opened their home folder).
MAX_FILES = 5000
MAX_DIRS = 1000
_MAX_TEXT_BYTES = 2_000_000


def is_ignored_name(name: str) -> bool:
    """True for hidden files and editors' swap, backup and temp files."""
    if not name or name.startswith("."):
        return True  # hidden, and also .#lock, .goutputstream-*, .name.swp
    if name in _IGNORED_NAMES or name.endswith(_IGNORED_SUFFIXES):
        return True
    return any(p.search(name) for p in _IGNORED_PATTERNS)


def is_ignored_dir(name: str, *, top_level: bool) -> bool:
    if name.startswith(".") or name in IGNORED_DIRS:
        return True
    return top_level and name in IGNORED_TOP_DIRS


def is_ignored(path: Path, root: Path) -> bool:
    """Whether a change at ``path`` (inside ``root``) is of no interest to the preview."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return True
    if not parts:
        return False
    for depth, name in enumerate(parts[:-1]):
        if is_ignored_dir(name, top_level=depth == 0):
            return True
    return is_ignored_name(parts[-1]) or is_ignored_dir(parts[-1], top_level=len(parts) == 1)


#: A file's identity for change detection: (mtime in ns, size, inode).
Stamp = tuple[int, int, int]


@dataclass(frozen=True)
class Snapshot:
    files: dict[Path, Stamp]
    dirs: tuple[Path, ...]
    truncated: bool = False  # more than MAX_FILES: the rest is not watched


def snapshot(root: Path, max_files: int = MAX_FILES, max_dirs: int = MAX_DIRS) -> Snapshot:
    """Every watched file with its stamp, and every watched folder (``root`` first); past
    ``max_files`` files or ``max_dirs`` folders the rest is left out (``truncated``)."""
    files: dict[Path, Stamp] = {}
    dirs: list[Path] = []
    truncated = False
    for current, subdirs, names in os.walk(root):
        here = Path(current)
        top = here == root
        subdirs[:] = sorted(d for d in subdirs if not is_ignored_dir(d, top_level=top))
        if len(dirs) >= max_dirs:
            truncated = True
            break
        dirs.append(here)
        for name in sorted(names):
            if is_ignored_name(name):
                continue
            if len(files) >= max_files:
                truncated = True
                break
            path = here / name
            try:
                st = path.stat()
            except OSError:
                continue  # vanished meanwhile, or a dangling link
            files[path] = (st.st_mtime_ns, st.st_size, st.st_ino)
        if truncated:
            break
    return Snapshot(files, tuple(dirs), truncated)


@dataclass(frozen=True)
class FileChanges:
    added: frozenset[Path] = frozenset()
    removed: frozenset[Path] = frozenset()
    modified: frozenset[Path] = frozenset()
    renamed: tuple[tuple[Path, Path], ...] = field(default=())  # (old, new)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.modified or self.renamed)

    @property
    def paths(self) -> frozenset[Path]:
        """Every path concerned (both names of a rename)."""
        moved = {p for pair in self.renamed for p in pair}
        return self.added | self.removed | self.modified | moved

    @property
    def listing_changed(self) -> bool:
        """Files appeared, disappeared or moved: the list of compositions may differ."""
        return bool(self.added or self.removed or self.renamed)

    def touches_html(self) -> bool:
        return any(p.suffix.lower() in HTML_SUFFIXES for p in self.paths)

    def without(self, skip: Iterable[Path]) -> FileChanges:
        """The same changes minus modifications and additions of ``skip`` (own writes)."""
        drop = set(skip)
        return FileChanges(self.added - drop, self.removed, self.modified - drop, self.renamed)


def diff(old: Snapshot, new: Snapshot) -> FileChanges:
    """What changed between two snapshots. A file removed and another added with the same
    inode and mtime is a rename (editors and file managers rename, they do not copy)."""
    added = set(new.files) - set(old.files)
    removed = set(old.files) - set(new.files)
    modified = {p for p in set(old.files) & set(new.files) if old.files[p] != new.files[p]}
    renamed = []
    by_stamp = {old.files[p]: p for p in removed}
    for path in sorted(added):
        before = by_stamp.pop(new.files[path], None)
        if before is not None:
            renamed.append((before, path))
            removed.discard(before)
            added.discard(path)
    return FileChanges(frozenset(added), frozenset(removed), frozenset(modified), tuple(renamed))


def _read_text(path: Path) -> str:
    try:
        if path.stat().st_size > _MAX_TEXT_BYTES:
            return ""
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def affected(
    compositions: Iterable[Path], changes: FileChanges, files: Iterable[Path]
) -> set[Path]:
    """The compositions that may look different after ``changes``.

    A composition depends on its own file, on every project text file (HTML, CSS, JS, SVG,
    JSON) that its text names, transitively, and on every file any of those texts names.
    Names are matched by file name, so ``../assets/logo.png`` and ``logo.png`` both count:
    a false match costs one extra reload, a missed one a stale preview.
    """
    changed = changes.paths
    if not changed:
        return set()
    changed_names = {p.name for p in changed}
    texts_by_name: dict[str, list[Path]] = {}
    for path in files:
        if path.suffix.lower() in TEXT_SUFFIXES:
            texts_by_name.setdefault(path.name, []).append(path)
    cache: dict[Path, str] = {}

    def text(path: Path) -> str:
        if path not in cache:
            cache[path] = _read_text(path)
        return cache[path]

    result = set()
    for comp in compositions:
        seen = {comp}
        frontier = [comp]
        hit = comp in changed
        while frontier and not hit:
            body = text(frontier.pop())
            if any(name in body for name in changed_names):
                hit = True
                break
            for name, paths in texts_by_name.items():
                if name in body:
                    for path in paths:
                        if path not in seen:
                            seen.add(path)
                            frontier.append(path)
            hit = bool(seen & changed)
        if hit:
            result.add(comp)
    return result
