"""``doctor`` line about the render cache (where, how big, its cap), and
``doctor --clear-render-cache``."""

from __future__ import annotations

from hyperframes_desktop.cli.doctor_check import OK, Check
from hyperframes_desktop.render.incremental import CACHE_MB_ENV, RenderCache, cache_disabled_by_env


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def render_cache_checks() -> list[Check]:
    cache = RenderCache()
    size = cache.size_bytes()
    off = " (turned off by HYPERFRAMES_RENDER_CACHE)" if cache_disabled_by_env() else ""
    return [
        Check(
            "render_cache",
            "Render cache",
            OK,
            f"{_mb(size)} of {_mb(cache.cap_bytes)} in {cache.root}{off} (unchanged chunks of "
            f"earlier renders; {CACHE_MB_ENV} sets the cap, render --no-cache skips it, "
            "doctor --clear-render-cache empties it)",
            data={
                "path": str(cache.root),
                "bytes": size,
                "capBytes": cache.cap_bytes,
                "enabled": not cache_disabled_by_env(),
            },
        )
    ]


def clear_render_cache() -> str:
    cache = RenderCache()
    size = cache.size_bytes()
    cache.clear()
    return (
        f"Cleared the render cache ({_mb(size)} in {cache.root}); the next render of each "
        "composition captures every frame."
    )
