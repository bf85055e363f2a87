"""List the compositions of a project for pickers (never raises for one broken file)."""

from __future__ import annotations

from pathlib import Path

from .errors import ProjectError, display_name
from .files import HTML_SUFFIXES, project_root, read_html
from .loader import DEFAULT_FPS, Inherited, find_root, load_file, read_root
from .model import CompositionInfo
from .scanner import scan
from .values import Where

# Stand-ins so a sub-composition that inherits its size/length from a host can be checked alone.
_PLACEHOLDER = Inherited(width=1920, height=1080, duration=1.0, fps=DEFAULT_FPS)


def composition_files(root: Path) -> list[Path]:
    """The .html files that may be compositions: index.html first, then the others in the
    project folder and in compositions/, by name."""
    found: list[Path] = []
    for folder in (root, root / "compositions"):
        if folder.is_dir():
            found.extend(
                sorted(
                    p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in HTML_SUFFIXES
                )
            )
    index = root / "index.html"
    rest = [p for p in found if p != index]
    return ([index] if index.is_file() else []) + rest


def _info(path: Path, root: Path, *, is_index: bool) -> CompositionInfo | None:
    try:
        text = read_html(path, root)
    except ProjectError as exc:
        if not is_index:
            return None  # not a composition: skip silently
        return CompositionInfo(path, None, None, None, None, None, False, str(exc))
    root_el = find_root(scan(text))
    if root_el is None and not is_index:
        return None
    is_sub = root_el is not None and root_el.template is not None
    cid = (root_el.attrs.get("data-composition-id") or None) if root_el else None
    try:
        if is_sub:
            assert root_el is not None
            child = load_file(path, root, _PLACEHOLDER, chain=())  # raises the first error
            assert child is not None
            attrs = read_root(root_el, Where(path, display_name(path, root), text))
            return CompositionInfo(
                path,
                attrs.composition_id,
                attrs.width,
                attrs.height,
                attrs.duration,
                attrs.fps,
                True,
                None,
                len(child.clips),
            )
        comp = load_file(path, root, None, chain=())
        assert comp is not None  # without findings, a file with no composition raises
        return CompositionInfo(
            path,
            comp.composition_id,
            comp.width,
            comp.height,
            comp.duration,
            comp.fps,
            comp.is_template,
            None,
            len(comp.clips),
        )
    except ProjectError as exc:
        return CompositionInfo(path, cid, None, None, None, None, is_sub, str(exc))


def list_compositions(project: str | Path) -> list[CompositionInfo]:
    """index.html first, then other compositions in the project root and compositions/."""
    root = project_root(project)
    infos = []
    for path in composition_files(root):
        info = _info(path, root, is_index=path == root / "index.html")
        if info is not None:
            infos.append(info)
    return infos
