"""Remote media clips (``<video src="https://…">``, ``<audio>``): the media stages run FFmpeg
on local files, so each remote clip is resolved (fetched once, cached; offline = cache only)
and handed to them as the cached file. The loader only marks such a clip remote
(``MediaElement.remote_url``); fetching belongs here, in the render."""

from __future__ import annotations

import dataclasses

from hyperframes_desktop.project.model import Composition
from hyperframes_desktop.render.compile import PlacedMedia, place_media
from hyperframes_desktop.render.options import RenderError
from hyperframes_desktop.render.resources.resolver import Answer, Resolver


def _who(placed: PlacedMedia) -> str:
    element = placed.element
    kind = "video" if element.tag == "video" else "audio"
    return f'{kind} clip "{element.element_id}"' if element.element_id else f"<{element.tag}>"


def studio_resolver_needed(comp: Composition) -> bool:
    """Whether ``comp`` plays any remote clip (the studio then hands its resolver over)."""
    return any(item.element.remote_url is not None for item in place_media(comp))


def localize_media(placed: list[PlacedMedia], resolver: Resolver | None) -> list[PlacedMedia]:
    """``placed`` with every remote clip pointing at the resolver's cached copy of its URL.

    Raises :class:`RenderError` with the resolver's sentence (naming the URL and the fix)
    when a clip that is seen or heard cannot be had. A muted ``<audio>`` is never mixed, so
    its failure is not fatal: it stays without a file and the mix skips it.
    """
    if resolver is None:
        return placed
    result: list[PlacedMedia] = []
    for item in placed:
        url = item.element.remote_url
        if url is None:
            result.append(item)
            continue
        answer = resolver.resolve(url)
        if not isinstance(answer, Answer):
            if item.element.tag == "audio" and item.element.muted:
                result.append(item)
                continue
            stage = "video_extract" if item.element.tag == "video" else "audio"
            raise RenderError(f"The {_who(item)} cannot play: {answer.message}", stage=stage)
        local = resolver.cache.blob_path(resolver.cache.put(answer.body))
        element = dataclasses.replace(item.element, path=local)
        result.append(dataclasses.replace(item, element=element))
    return result
