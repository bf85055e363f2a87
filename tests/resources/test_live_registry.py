"""Opt-in (``-m live_registry``): the resolver against the real npm registry, as users get
it. The only test that leaves 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from hyperframes_desktop.render.resources import Answer, Resolver, ResolverSettings
from hyperframes_desktop.render.resources.settings import DEFAULT_REGISTRY


@pytest.mark.live_registry
def test_real_registry_resolves_a_range_and_a_default_file(tmp_path: Path) -> None:
    resolver = Resolver(ResolverSettings(registry=DEFAULT_REGISTRY, cache_dir=tmp_path))
    gsap = resolver.resolve("https://cdn.jsdelivr.net/npm/gsap@3/dist/gsap.min.js")
    assert isinstance(gsap, Answer) and gsap.npm_file.startswith("gsap@3.")
    d3 = resolver.resolve("https://cdn.jsdelivr.net/npm/d3@7")
    assert isinstance(d3, Answer) and d3.npm_file.endswith("/dist/d3.min.js")
    assert all(url.startswith(DEFAULT_REGISTRY) for url in resolver.fetched)
