"""``doctor`` lines about remote resources: the npm registry in use and the resolver's cache
(where, how big), and ``doctor --clear-cache``."""

from __future__ import annotations

from hyperframes_desktop.cli.doctor_check import OK, Check
from hyperframes_desktop.render.resources.cache import ContentCache
from hyperframes_desktop.render.resources.settings import ResolverSettings


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"


def resource_checks() -> list[Check]:
    settings = ResolverSettings.from_environment()
    cache = ContentCache(settings.cache_dir)
    size = cache.size_bytes()
    return [
        Check(
            "registry",
            "npm registry",
            OK,
            f"{settings.registry} (CDN libraries and fonts that projects name come from here)",
            data={"url": settings.registry},
        ),
        Check(
            "resource_cache",
            "Library cache",
            OK,
            f"{_size(size)} in {settings.cache_dir} (doctor --clear-cache empties it)",
            data={"path": str(settings.cache_dir), "bytes": size},
        ),
    ]


def clear_cache() -> str:
    settings = ResolverSettings.from_environment()
    cache = ContentCache(settings.cache_dir)
    size = cache.size_bytes()
    cache.clear()
    return (
        f"Cleared the library cache ({_size(size)} in {settings.cache_dir}); libraries and "
        "fonts are downloaded again when a project needs them."
    )
