"""``add``: copy catalog items into a project, all files or none.

Targets follow the project's ``hyperframes.json`` paths (HyperFrames' rule: a block's
``compositions/`` prefix becomes ``paths.blocks``, a component's ``compositions/components/``
becomes ``paths.components``; an ``assets/`` prefix becomes ``paths.assets``). Every file is
downloaded before any is written; a file the project already has with other content is
refused (nothing is overwritten) unless ``force``.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .client import RegistryClient, safe_relative
from .config import read_project_config
from .errors import CatalogError
from .items import ItemFile, RegistryItem
from .resolve import resolve_with_dependencies

_COMPOSITION_ID = re.compile(r"""data-composition-id\s*=\s*["']([^"']+)["']""")


@dataclass
class InstallResult:
    items: list[str] = field(default_factory=list)  # names, dependencies first
    written: list[str] = field(default_factory=list)  # project-relative paths
    unchanged: list[str] = field(default_factory=list)  # already there, same bytes
    #: Requested block → the host element that mounts it.
    snippets: dict[str, str] = field(default_factory=dict)
    #: Requested block → its composition file, project-relative.
    compositions: dict[str, str] = field(default_factory=dict)


def target_in_project(item: RegistryItem, file: ItemFile, paths: dict[str, str]) -> str:
    """Where ``file`` of ``item`` goes in the project (POSIX, relative)."""
    target = safe_relative(file.target, "target").as_posix()
    prefixes = []
    if item.type == "hyperframes:block":
        prefixes.append(("compositions/", paths["blocks"]))
    if item.type == "hyperframes:component":
        prefixes.append(("compositions/components/", paths["components"]))
    prefixes.append(("assets/", paths["assets"]))
    for prefix, folder in prefixes:
        if target.startswith(prefix):
            target = f"{folder.strip('/')}/{target[len(prefix) :]}"
            break
    return safe_relative(target, "target").as_posix()


def primary_file(item: RegistryItem) -> ItemFile | None:
    for wanted in ("hyperframes:composition", "hyperframes:snippet"):
        for file in item.files:
            if file.type == wanted:
                return file
    return next((f for f in item.files if f.target.endswith(".html")), None)


def composition_id_in(html_text: str, fallback: str) -> str:
    """The first ``data-composition-id`` of a block's file (its root), else ``fallback``."""
    found = _COMPOSITION_ID.search(html_text)
    return found.group(1) if found else fallback


def mount_snippet(item: RegistryItem, target: str, html_text: str) -> str:
    """The host element that mounts a block: paste it into a composition and set data-start."""
    comp_id = composition_id_in(html_text, item.name)
    attrs = [
        f'data-composition-id="{html.escape(comp_id)}"',
        f'data-composition-src="{html.escape(target)}"',
        'data-start="0"',
    ]
    if item.duration:
        attrs.append(f'data-duration="{item.duration:g}"')
    attrs.append('data-track-index="0"')
    if item.dimensions:
        attrs.append(f'data-width="{item.dimensions[0]}" data-height="{item.dimensions[1]}"')
    return f"<div {' '.join(attrs)}></div>"


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_items(
    client: RegistryClient, names: list[str], project: Path, *, force: bool = False
) -> InstallResult:
    """Install ``names`` (and their dependencies) into ``project``."""
    project = project.absolute()
    if not project.is_dir():
        raise CatalogError(
            f'The project folder "{project}" does not exist. Fix: give a project folder with '
            "--dir, or start one with hyperframes-desktop init."
        )
    paths = read_project_config(project).paths
    plan: list[RegistryItem] = []
    for name in names:
        for item in resolve_with_dependencies(client, name):
            if item.type == "hyperframes:example":
                raise CatalogError(
                    f'"{item.name}" is an example, a whole project. Fix: start a project '
                    f"from it with hyperframes-desktop init DIR --example {item.name}."
                )
            if item.name not in {p.name for p in plan}:
                plan.append(item)
    downloads: list[tuple[RegistryItem, ItemFile, str, bytes]] = []
    for item in plan:
        for file in item.files:
            target = target_in_project(item, file, paths)
            downloads.append((item, file, target, client.file_bytes(item, file.path)))
    result = InstallResult(items=[item.name for item in plan])
    clashes = []
    for _item, _file, target, data in downloads:
        existing = project / target
        if existing.is_file() and existing.read_bytes() != data and not force:
            clashes.append(target)
    if clashes:
        raise CatalogError(
            f"The project already has {', '.join(clashes)} with other content. Nothing was "
            "installed. Fix: rename or move those files, or pass --force to replace them."
        )
    for _item, _file, target, data in downloads:
        existing = project / target
        if existing.is_file() and existing.read_bytes() == data:
            result.unchanged.append(target)
            continue
        try:
            _write_atomic(existing, data)
        except OSError as exc:
            raise CatalogError(
                f"Cannot write {target} in the project ({exc.strerror or exc}). Fix: check "
                "the folder can be written to."
            ) from None
        result.written.append(target)
    for item in plan:
        main = primary_file(item)
        if item.name not in names or main is None or item.type != "hyperframes:block":
            continue
        target = target_in_project(item, main, paths)
        result.compositions[item.name] = target
        text = (project / target).read_text(encoding="utf-8", errors="replace")
        result.snippets[item.name] = mount_snippet(item, target, text)
    return result
