"""Registry items as HyperFrames describes them (``registry-item.json``), read strictly enough
that a malformed item is refused with a sentence rather than half-installed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import CatalogError

#: ``type`` → the registry folder holding items of that type, and its short name.
FOLDERS = {
    "hyperframes:example": "examples",
    "hyperframes:block": "blocks",
    "hyperframes:component": "components",
}
KINDS = {"example": "hyperframes:example", "block": "hyperframes:block"}
KINDS["component"] = "hyperframes:component"


@dataclass(frozen=True)
class ItemFile:
    path: str  # inside the item's registry folder
    target: str  # inside the project
    type: str


@dataclass(frozen=True)
class RegistryItem:
    name: str
    type: str
    title: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    dimensions: tuple[int, int] | None = None
    duration: float | None = None
    variables: tuple[dict[str, Any], ...] = ()
    files: tuple[ItemFile, ...] = ()
    registry_dependencies: tuple[str, ...] = ()
    min_cli_version: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def kind(self) -> str:
        """``example``, ``block`` or ``component``."""
        return self.type.split(":", 1)[-1]

    @property
    def folder(self) -> str:
        return FOLDERS[self.type]

    def summary(self) -> dict[str, Any]:
        """What ``catalog --json`` prints for the item."""
        width_height = (
            {"width": self.dimensions[0], "height": self.dimensions[1]} if self.dimensions else None
        )
        return {
            "name": self.name,
            "type": self.kind,
            "title": self.title,
            "description": self.description,
            "tags": list(self.tags),
            "dimensions": width_height,
            "duration": self.duration,
        }


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def parse_item(data: Any, where: str) -> RegistryItem:
    """A :class:`RegistryItem` from the decoded JSON at ``where`` (named in refusals)."""
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise CatalogError(f"{where} is not a registry item (no name). Fix: check the registry.")
    name = data["name"]
    kind = data.get("type")
    if kind not in FOLDERS:
        raise CatalogError(
            f'{where}: item "{name}" has the unknown type {kind!r}. Fix: the type must be '
            "hyperframes:example, hyperframes:block or hyperframes:component."
        )
    files = []
    for entry in data.get("files") or []:
        if not isinstance(entry, dict) or not entry.get("path") or not entry.get("target"):
            raise CatalogError(
                f'{where}: item "{name}" lists a file without a path and target. Fix: check '
                "the registry item."
            )
        files.append(ItemFile(str(entry["path"]), str(entry["target"]), str(entry.get("type"))))
    dims = data.get("dimensions")
    dimensions = None
    if isinstance(dims, dict) and _number(dims.get("width")) and _number(dims.get("height")):
        dimensions = (int(dims["width"]), int(dims["height"]))
    deps = data.get("registryDependencies") or []
    variables = data.get("variables") or []
    return RegistryItem(
        name=name,
        type=kind,
        title=str(data.get("title") or name),
        description=str(data.get("description") or ""),
        tags=tuple(str(t) for t in data.get("tags") or [] if isinstance(t, str)),
        dimensions=dimensions,
        duration=_number(data.get("duration")),
        variables=tuple(v for v in variables if isinstance(v, dict)),
        files=tuple(files),
        registry_dependencies=tuple(str(d) for d in deps if isinstance(d, str)),
        min_cli_version=str(data["minCliVersion"]).strip() if data.get("minCliVersion") else None,
        raw=data,
    )
