"""Answers pinned per URL in a cache folder that travels with a farm bundle: every remote
URL a composition names, resolved once on the client, so farm workers need no internet and
all render the same bytes (the workers' resolver runs offline on this folder)."""

from __future__ import annotations

import re
from pathlib import Path

from hyperframes_desktop.project.model import Composition
from hyperframes_desktop.project.remote_refs import remote_refs
from hyperframes_desktop.render.resources.cache import ContentCache
from hyperframes_desktop.render.resources.errors import Refusal
from hyperframes_desktop.render.resources.resolver import PINNED, Answer, Resolver
from hyperframes_desktop.render.resources.settings import ResolverSettings

_CSS_URL = re.compile(r"""url\(\s*["']?(https://[^"')\s]+)["']?\s*\)""")


def pin_resources(comp: Composition, resolver: Resolver, folder: Path) -> list[Refusal]:
    """Resolve ``comp``'s remote URLs (and the https URLs inside the stylesheets they give,
    e.g. font files) into ``folder``; returns what could not be had."""
    cache = ContentCache(folder)
    refusals: list[Refusal] = []
    pending = [(ref.url, ref.integrity) for ref in remote_refs(comp)]
    seen: set[str] = set()
    while pending:
        url, integrity = pending.pop(0)
        if url in seen:
            continue
        seen.add(url)
        answer = resolver.resolve(url, integrity=integrity)
        if not isinstance(answer, Answer):
            refusals.append(answer)
            continue
        cache.remember(
            PINNED + url, {"digest": cache.put(answer.body), "type": answer.content_type}
        )
        if answer.content_type == "text/css":
            text = answer.body.decode("utf-8", "replace")
            pending.extend((found, None) for found in _CSS_URL.findall(text))
    return refusals


def pinned_settings(folder: Path) -> ResolverSettings:
    """A farm worker's resolver: the bundle's pinned answers only, never the network."""
    return ResolverSettings(cache_dir=folder, offline=True)
