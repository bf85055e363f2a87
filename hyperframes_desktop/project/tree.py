"""The project folder as a render sees it: one rule for symbolic links, shared by the farm's
bundle and the local render.

A link inside the project to a file or folder that is also inside the project is followed
(``assets -> media``), so the farm sends those files as the browser would load them. A link
that resolves outside the project folder (``logo.png -> /etc/hostname``, ``media ->
../../footage``) is left out by both, with a warning naming it: a render reads the project,
nothing else of the machine, and a farm render equals a local one.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("hyperframes_desktop.render")


def _inside(real: str, root_real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def resolves_inside(root: Path, path: Path) -> bool:
    """True when ``path`` (after following every link) is inside the project ``root``."""
    return _inside(os.path.realpath(path), os.path.realpath(root))


def lexically_inside(root: Path, path: Path) -> bool:
    """True when ``path`` names something under ``root`` before links are followed."""
    return _inside(os.path.abspath(path), os.path.abspath(root))


@dataclass
class ProjectTree:
    #: (path relative to the project, POSIX; the real file to read)
    files: list[tuple[str, Path]] = field(default_factory=list)
    #: (path relative to the project, POSIX; where the link leads) for links left out
    outside: list[tuple[str, Path]] = field(default_factory=list)

    def warnings(self) -> list[str]:
        return [outside_sentence(rel, target) for rel, target in self.outside]


def outside_sentence(rel: str, target: Path) -> str:
    return (
        f'Left out "{rel}": it is a link to "{target}", outside the project folder, and a '
        "render reads only the project. Fix: copy what it points to into the project folder "
        "(or link to something inside it)."
    )


def walk_project(root: Path, keep_dir: Callable[[str, str], bool] | None = None,
                 keep_file: Callable[[str], bool] | None = None) -> ProjectTree:  # fmt: skip
    """Every file of the project folder, links inside it followed (not a link to the folder
    it is in or a parent of it: a loop), links leading outside it left out and listed.
    ``keep_dir(parent_rel, name)`` and ``keep_file(name)`` skip entries by name."""
    root = Path(os.path.abspath(root))
    root_real = os.path.realpath(root)
    tree = ProjectTree()
    for folder, dirs, files in os.walk(root, followlinks=True):
        rel = Path(folder).relative_to(root).as_posix()
        rel = "" if rel == "." else rel
        here = os.path.realpath(folder)
        parts = rel.split("/") if rel else []
        chain = {os.path.realpath(root.joinpath(*parts[:n])) for n in range(len(parts) + 1)}
        kept = []
        for name in sorted(dirs):
            if keep_dir is not None and not keep_dir(rel, name):
                continue
            real = os.path.realpath(os.path.join(folder, name))
            if not _inside(real, root_real):
                tree.outside.append((f"{rel}/{name}".lstrip("/"), Path(real)))
            elif real not in chain and not _inside(here, real):  # else a loop
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if keep_file is not None and not keep_file(name):
                continue
            path = os.path.join(folder, name)
            real = os.path.realpath(path)
            if not os.path.isfile(real):
                continue  # a dangling link, a socket: nothing a page can load
            if _inside(real, root_real):
                tree.files.append((f"{rel}/{name}".lstrip("/"), Path(real)))
            else:
                tree.outside.append((f"{rel}/{name}".lstrip("/"), Path(real)))
    return tree


def warn_outside_links(root: Path) -> list[str]:
    """Log (and return) a warning for each link in the project that leads outside it."""
    found = walk_project(root, keep_dir=lambda _rel, name: not name.startswith(".")).warnings()
    for sentence in found:
        log.warning("%s", sentence)
    return found
