"""The project folder as a render sees it: one rule for symbolic links, shared by the farm's
bundle, the local render, the studio preview and the problem checker.

A link inside the project to a file or folder that is also inside the project is followed
(``assets -> media``), so the farm sends those files as the browser would load them. A link
that resolves outside the project folder (``logo.png -> /etc/hostname``, ``media ->
../../footage``) is left out by all of them, with a warning naming it: a render reads the
project, nothing else of the machine, and a farm render equals a local one. Only the user can
let one be followed (:mod:`project.outside_links`): the links passed as ``follow`` are read as
if their target were inside the project, and nothing else outside it is.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from .outside_links import OutsideLink, allowed_for_session, links_to_follow, remembered

log = logging.getLogger("hyperframes_desktop.render")


def _inside(real: str, root_real: str) -> bool:
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def resolves_inside(root: Path, path: Path) -> bool:
    """True when ``path`` (after following every link) is inside the project ``root``."""
    return _inside(os.path.realpath(path), os.path.realpath(root))


def _under(rel: str, top: str) -> bool:
    return rel == top or rel.startswith(top + "/")


def lexically_inside(root: Path, path: Path) -> bool:
    """True when ``path`` names something under ``root`` before links are followed."""
    return _inside(os.path.abspath(path), os.path.abspath(root))


@dataclass
class ProjectTree:
    #: (path relative to the project, POSIX; the real file to read)
    files: list[tuple[str, Path]] = field(default_factory=list)
    #: (path relative to the project, POSIX; where the link leads) for links left out
    outside: list[tuple[str, Path]] = field(default_factory=list)

    #: links leading outside that the user allowed and that were followed
    followed: list[OutsideLink] = field(default_factory=list)

    def warnings(self) -> list[str]:
        return [outside_sentence(rel, target) for rel, target in self.outside]

    def links(self) -> list[OutsideLink]:
        """The links leading outside the project left out (what a grant would follow)."""
        return [OutsideLink(rel, target) for rel, target in self.outside]


def outside_sentence(rel: str, target: Path) -> str:
    return (
        f'Left out "{rel}": it is a link to "{target}", outside the project folder, and a '
        "render reads only the project. Fix: copy what it points to into the project folder "
        "(or link to something inside it), or, if you trust this project, allow the link: "
        '--follow-outside-links on the command line, or "Allow for this project" in the '
        "studio."
    )


def followed_sentence(link: OutsideLink) -> str:
    return f'Following "{link.rel}", a link to "{link.target}" outside the project: you allowed it.'


def _followed_roots(root: Path, follow: Collection[OutsideLink]) -> dict[str, OutsideLink]:
    """The real targets of the allowed links that still lead where they were allowed to."""
    roots = {}
    for link in follow:
        real = os.path.realpath(root / link.rel)
        if real == os.path.realpath(link.target):
            roots[real] = link
    return roots


def readable(root: Path, path: Path, follow: Collection[OutsideLink] = ()) -> bool:
    """True when ``path``, named under the project ``root``, may be read: it resolves inside
    the project, or it goes through an allowed link (and resolves inside its target)."""
    real = os.path.realpath(path)
    if _inside(real, os.path.realpath(root)):
        return True
    where = os.path.abspath(path)
    for link in follow:
        through = os.path.abspath(root / link.rel)
        if _inside(where, through) and os.path.realpath(through) == os.path.realpath(link.target):
            return _inside(real, os.path.realpath(link.target))
    return False


def walk_project(root: Path, keep_dir: Callable[[str, str], bool] | None = None,
                 keep_file: Callable[[str], bool] | None = None,
                 follow: Collection[OutsideLink] = ()) -> ProjectTree:  # fmt: skip
    """Every file of the project folder, links inside it followed (not a link to the folder
    it is in or a parent of it: a loop), links leading outside it left out and listed, but
    those in ``follow`` (the user's grant) followed. ``keep_dir(parent_rel, name)`` and
    ``keep_file(name)`` skip entries by name."""
    root = Path(os.path.abspath(root))
    root_real = os.path.realpath(root)
    granted = _followed_roots(root, follow)
    tree = ProjectTree()

    def allowed(rel: str, real: str) -> bool:
        if _inside(real, root_real):
            return True
        link = granted.get(real)
        if link is not None and link.rel == rel:  # the allowed link itself
            tree.followed.append(link)
            return True
        # inside a followed link's target, reached through it
        return any(_inside(real, target) and _under(rel, granted[target].rel)
                   for target in granted)  # fmt: skip

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
            if not allowed(f"{rel}/{name}".lstrip("/"), real):
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
            if allowed(f"{rel}/{name}".lstrip("/"), real):
                tree.files.append((f"{rel}/{name}".lstrip("/"), Path(real)))
            else:
                tree.outside.append((f"{rel}/{name}".lstrip("/"), Path(real)))
    return tree


def outside_links(root: Path) -> list[OutsideLink]:
    """Every link in the project (hidden folders aside) that leads outside it."""
    return walk_project(root, keep_dir=lambda _rel, name: not name.startswith(".")).links()


def warn_outside_links(root: Path, follow: Collection[OutsideLink] = ()) -> list[str]:
    """Log (and return) a warning for each link in the project that leads outside it and is
    not followed; say which allowed links are followed."""
    tree = walk_project(root, keep_dir=lambda _rel, name: not name.startswith("."), follow=follow)
    for link in tree.followed:
        log.warning("%s", followed_sentence(link))
    found = tree.warnings()
    for sentence in found:
        log.warning("%s", sentence)
    return found


def granted_links(root: Path, *, follow_all: bool = False) -> frozenset[OutsideLink]:
    """The links leading out of the project at ``root`` that this run follows: all of them
    with ``--follow-outside-links`` (``follow_all``), else those the user allowed for good
    (:mod:`project.outside_links`). Never anything the project itself says."""
    if follow_all or allowed_for_session(root):
        return links_to_follow(outside_links(root), root, follow_all=True)
    # only what the user allowed, where it still leads (no walk of the whole project)
    return frozenset(
        link
        for link in remembered(root)
        if os.path.islink(root / link.rel)
        and os.path.realpath(root / link.rel) == os.path.realpath(link.target)
    )
