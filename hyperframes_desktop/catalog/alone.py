"""A catalog item laid out on its own, as in the registry (its files at their ``path``s,
beside its composition), so it can be previewed or rendered alone before it is installed.

A block's files name their assets relative to the project root (``assets/…``), which is also
where they sit beside the block in the registry; once installed, the block lives in
``compositions/`` and is meant to be mounted, so this layout is the one to open it alone.
"""

from __future__ import annotations

from pathlib import Path

from .client import RegistryClient, safe_relative
from .errors import CatalogError
from .install import _write_atomic, primary_file
from .items import RegistryItem


def stage_alone(client: RegistryClient, item: RegistryItem, folder: Path) -> Path:
    """Write ``item``'s files into ``folder`` by their registry paths; returns the path of its
    composition there (what to open or render)."""
    main = primary_file(item)
    if main is None:
        raise CatalogError(
            f'The registry item "{item.name}" has no HTML file to show. Fix: choose a block.'
        )
    for file in item.files:
        rel = safe_relative(file.path, "file path")
        target = folder.joinpath(*rel.parts)
        data = client.file_bytes(item, file.path)
        if not target.is_file() or target.read_bytes() != data:
            _write_atomic(target, data)
    return folder.joinpath(*safe_relative(main.path, "file path").parts)
