"""An item and its ``registryDependencies``, dependencies first, each checked against the
HyperFrames version we follow (``minCliVersion``)."""

from __future__ import annotations

import re

from .client import RegistryClient
from .config import HYPERFRAMES_VERSION
from .errors import CatalogError
from .items import RegistryItem

_VERSION = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$")


def version_tuple(text: str) -> tuple[int, int, int] | None:
    match = _VERSION.match(text.strip())
    if not match:
        return None
    return tuple(int(part or 0) for part in match.groups())  # type: ignore[return-value]


def check_compatible(item: RegistryItem, ours: str = HYPERFRAMES_VERSION) -> None:
    """Refuse an item that needs a newer HyperFrames than the one we follow."""
    if not item.min_cli_version:
        return
    needed = version_tuple(item.min_cli_version)
    if needed is None:
        raise CatalogError(
            f'The registry item "{item.name}" declares the unreadable minCliVersion '
            f'"{item.min_cli_version}". Fix: report it to the registry\'s maintainers.'
        )
    if needed > (version_tuple(ours) or (0, 0, 0)):
        raise CatalogError(
            f'The registry item "{item.name}" needs HyperFrames {item.min_cli_version} or '
            f"newer; HyperFrames Desktop follows HyperFrames {ours}. Fix: update HyperFrames "
            "Desktop, or choose another item."
        )


def resolve_with_dependencies(client: RegistryClient, name: str) -> list[RegistryItem]:
    """``name`` and everything it depends on, each once, dependencies before dependants."""
    ordered: list[RegistryItem] = []
    done: set[str] = set()

    def visit(item_name: str, chain: list[str]) -> None:
        if item_name in done:
            return
        if item_name in chain:
            cycle = " -> ".join([*chain[chain.index(item_name) :], item_name])
            raise CatalogError(
                f"The registry items depend on each other in a circle ({cycle}). Fix: report "
                "it to the registry's maintainers."
            )
        try:
            item = client.item(item_name)
        except CatalogError as exc:
            if not chain:
                raise
            raise CatalogError(
                f'"{chain[-1]}" depends on "{item_name}", which cannot be installed: {exc}'
            ) from None
        check_compatible(item)
        for dependency in item.registry_dependencies:
            visit(dependency, [*chain, item_name])
        done.add(item_name)
        ordered.append(item)

    visit(name, [])
    return ordered
