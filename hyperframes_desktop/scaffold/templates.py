"""The project templates bundled in ``resources/templates/<name>/``.

Each folder is a project whose text files carry a few tokens filled in by ``init``:
``{{width}}``, ``{{height}}``, ``{{fps}}``, ``{{unit}}`` (1 % of the shorter side, in
pixels, so a template lays out at any size) and ``{{name}}`` (the project folder's name).
``template.json`` describes it: title, description, default resolution, order in lists, and
``variants``: more entries for the same files that differ only in those fields (the blank
template is offered at 16:9, 9:16 and 1:1 from one folder).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.resource_paths import resources_dir

DEFAULT_TEMPLATE = "blank"
DESCRIPTION_FILE = "template.json"
#: Files whose tokens are filled in; everything else is copied byte for byte.
TEXT_SUFFIXES = frozenset({".html", ".css", ".js", ".json", ".md", ".svg", ".txt"})


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    description: str
    resolution: str  # a RESOLUTION_NAMES name
    folder: Path
    order: int = 100

    def files(self) -> list[Path]:
        """The template's files, relative to its folder (the description left out)."""
        return sorted(
            p.relative_to(self.folder)
            for p in self.folder.rglob("*")
            if p.is_file() and p.name != DESCRIPTION_FILE
        )


def templates_dir() -> Path:
    return resources_dir() / "templates"


def _read(folder: Path) -> list[Template]:
    """The template in ``folder`` and its variants; none if its description is unreadable."""
    try:
        data = json.loads((folder / DESCRIPTION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict):
        return []
    variants = data.get("variants")
    entries = (
        [data] + [v for v in variants if isinstance(v, dict)]
        if isinstance(variants, list)
        else [data]
    )
    return [_template(folder, entry, folder.name if entry is data else "") for entry in entries]


def _template(folder: Path, entry: dict, name: str) -> Template:
    name = str(name or entry.get("name") or folder.name)
    return Template(
        name=name,
        title=str(entry.get("title") or name),
        description=str(entry.get("description") or ""),
        resolution=str(entry.get("resolution") or "landscape"),
        folder=folder,
        order=int(entry.get("order") or 100),
    )


def list_templates() -> list[Template]:
    """Every bundled template, in the order the dialog and prompts show them."""
    root = templates_dir()
    folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    found = [template for folder in folders for template in _read(folder)]
    return sorted(found, key=lambda t: (t.order, t.name))


def find_template(name: str) -> Template:
    """The template called ``name``; ValueError names the ones there are."""
    templates = list_templates()
    for template in templates:
        if template.name == name.strip().lower():
            return template
    names = ", ".join(t.name for t in templates)
    raise ValueError(f'There is no template "{name}". Fix: choose one of {names}.')
