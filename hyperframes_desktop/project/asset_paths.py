"""The one rule for relative URLs (``src``, ``href``, CSS ``url()``) written in a composition
file: the compiler, the problem checker, the media stage and (through the compiled page) the
farm bundle all ask here.

HyperFrames' rule, taken as facts from its compiler:

- the composition being rendered is a page: its URLs resolve against its own folder;
- a sub-composition is inlined into that page, so its URLs are rewritten, relative to the
  project folder, from where the sub-composition file sits (``compositions/a.html``):
  - URLs, protocol-relative ``//host``, ``data:``, ``#fragment`` and ``/absolute`` ones stay;
  - a file directly in the project folder keeps its URLs;
  - ``../x`` resolves against the file's folder (never above the project folder);
  - ``x`` and ``./x`` name the file beside the sub-composition when one exists there, else
    stay relative to the project folder.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from pathlib import Path

from .files import resolve_src
from .model import Composition

_SPECIAL = ("http://", "https://", "//", "data:", "#", "/")
_SUFFIX = re.compile(r"[?#]")


def rewrite_for_project(comp_dir: str, value: str, exists: Callable[[str], bool]) -> str:
    """``value``, written in a sub-composition whose folder is ``comp_dir`` (relative to the
    project folder, posix), as a URL relative to the project folder."""
    if not value or value.startswith(_SPECIAL) or comp_dir in ("", "."):
        return value
    if value == ".." or value.startswith("../"):
        return posixpath.normpath("/" + posixpath.join(comp_dir, value)).lstrip("/")
    cut = _SUFFIX.search(value)
    file_part, suffix = (value[: cut.start()], value[cut.start() :]) if cut else (value, "")
    if not file_part:
        return value
    sibling = posixpath.normpath("/" + posixpath.join(comp_dir, file_part)).lstrip("/")
    return sibling + suffix if exists(sibling) else value


def _comp_dir(comp: Composition) -> str:
    try:
        return comp.path.parent.relative_to(comp.project_root).as_posix()
    except ValueError:  # outside the project folder: nothing to rewrite against
        return "."


def _exists_in(root: Path) -> Callable[[str], bool]:
    return lambda rel: (root / rel).exists()


def page_url(comp: Composition, value: str, page_dir: Path) -> str:
    """``value`` as the compiled page of the composition rendered from ``page_dir`` must hold
    it: unchanged for that composition itself, rewritten for a sub-composition."""
    value = value.strip()
    if not comp.sub:
        return value
    rewritten = rewrite_for_project(_comp_dir(comp), value, _exists_in(comp.project_root))
    if rewritten == value or rewritten.startswith(_SPECIAL):
        return rewritten
    target = comp.project_root / rewritten
    return Path(os.path.relpath(target, page_dir)).as_posix()


def resolve_asset(comp: Composition, value: str) -> Path | None:
    """The file a relative ``value`` written in ``comp``'s file names (None for URLs)."""
    value = value.strip()
    if not comp.sub:
        return resolve_src(comp.path.parent, value)
    rewritten = rewrite_for_project(_comp_dir(comp), value, _exists_in(comp.project_root))
    return resolve_src(comp.project_root, rewritten)
