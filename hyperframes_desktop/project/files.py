"""Find the project folder and composition file, and read HTML text safely."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote

from .errors import ProjectError, display_name

HTML_SUFFIXES = frozenset({".html", ".htm"})
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")
_TAG = re.compile(r"<[A-Za-z!/]")
_OVERRIDES: ContextVar[Mapping[Path, str] | None] = ContextVar("html_overrides", default=None)


@contextmanager
def html_overrides(texts: Mapping[Path, str]) -> Iterator[None]:
    """Within the block, :func:`read_html` returns ``texts[path]`` instead of reading the file
    (the timeline resolves an edit's result before anything is written)."""
    token = _OVERRIDES.set({**(_OVERRIDES.get() or {}), **texts})
    try:
        yield
    finally:
        _OVERRIDES.reset(token)


def project_root(project: str | Path) -> Path:
    """The project folder as an absolute path; ProjectError if it is not a folder."""
    given = Path(project).expanduser()
    if not given.exists():
        raise ProjectError(
            "the project folder does not exist",
            file=given,
            display=str(project),
            fix="choose the folder that contains the project's index.html",
        )
    if not given.is_dir():
        raise ProjectError(
            "this is a file, not a project folder",
            file=given,
            display=str(project),
            fix="choose the folder that contains index.html, not a file",
        )
    return given.resolve()


def composition_path(root: Path, composition: str | Path | None) -> Path:
    """Absolute path of the composition file to load (index.html when None)."""
    if composition is None:
        path = root / "index.html"
        if not path.is_file():
            raise ProjectError(
                "the project folder has no index.html",
                file=path,
                display=str(root),
                fix="open the folder that contains index.html (the root composition), or pick "
                "a composition file in it",
            )
        return path
    given = Path(composition).expanduser()
    if given.is_absolute():
        return given.resolve()
    inside = root / given
    if inside.exists() or not given.exists():
        return inside.resolve()
    return given.resolve()


def read_html(path: Path, root: Path) -> str:
    """UTF-8 text of an HTML file; ProjectError when missing, binary or not markup."""
    shown = display_name(path, root)
    override = (_OVERRIDES.get() or {}).get(path)
    if override is not None:
        return override
    if not path.exists():
        raise ProjectError(
            "the composition file does not exist",
            file=path,
            display=shown,
            fix="check the file name; composition paths are relative to the project folder",
        )
    if not path.is_file():
        raise ProjectError(
            "this is a folder, not an HTML file",
            file=path,
            display=shown,
            fix="pick an .html file",
        )
    not_html = ProjectError(
        "this is not an HTML text file",
        file=path,
        display=shown,
        fix="pick a UTF-8 .html file whose root element has data-composition-id",
    )
    if path.suffix.lower() not in HTML_SUFFIXES:
        raise not_html
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ProjectError(
            f"the file cannot be read ({exc.strerror or exc})",
            file=path,
            display=shown,
            fix="check that the file exists and is readable",
        ) from None
    if b"\x00" in data:
        raise not_html
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise not_html from None
    if not _TAG.search(text):
        raise ProjectError(
            "the file contains no HTML markup",
            file=path,
            display=shown,
            fix="a composition is an HTML file with an element carrying data-composition-id",
        )
    return text


def is_remote(src: str) -> bool:
    """http(s):, data:, blob: and other URLs that are not files in the project."""
    return bool(_URL_SCHEME.match(src)) and not src.lower().startswith("file:")


def resolve_src(root: Path, src: str) -> Path | None:
    """A project-root-relative (or file:) reference as an absolute path; None for URLs."""
    src = src.strip()
    if not src or is_remote(src):
        return None
    if src.lower().startswith("file://"):
        src = src[len("file://") :]
        path_part = unquote(src.split("?", 1)[0].split("#", 1)[0])
        return Path(path_part).resolve()
    path_part = unquote(src.split("?", 1)[0].split("#", 1)[0])
    if path_part.startswith("/"):
        absolute = Path(path_part)
        if absolute.exists() and not (root / path_part.lstrip("/")).exists():
            return absolute.resolve()
        path_part = path_part.lstrip("/")
    return (root / path_part).resolve()
