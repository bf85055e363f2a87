"""HyperFrames' catalog (its registry of examples, blocks and components): reading it over
HTTP(S) with an offline cache, and installing items into a project. Qt-free."""

from .client import RegistryClient, registry_cache_root
from .config import DEFAULT_REGISTRY_URL, HYPERFRAMES_VERSION, registry_base
from .errors import CatalogError
from .install import InstallResult, add_items
from .items import RegistryItem
from .resolve import resolve_with_dependencies

__all__ = [
    "DEFAULT_REGISTRY_URL",
    "HYPERFRAMES_VERSION",
    "CatalogError",
    "InstallResult",
    "RegistryClient",
    "RegistryItem",
    "add_items",
    "registry_base",
    "registry_cache_root",
    "resolve_with_dependencies",
]
