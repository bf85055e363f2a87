"""The incremental render cache: renders keep their closed-GOP segments and the fingerprints
of their frames, and a later render of the same composition captures again only the chunks
whose fingerprints changed (see render.py)."""

from hyperframes_desktop.render.incremental.store import (
    CACHE_DIR_ENV,
    CACHE_MB_ENV,
    CACHE_OFF_ENV,
    RenderCache,
    cache_disabled_by_env,
)

__all__ = ["CACHE_DIR_ENV", "CACHE_MB_ENV", "CACHE_OFF_ENV", "RenderCache", "cache_disabled_by_env"]
