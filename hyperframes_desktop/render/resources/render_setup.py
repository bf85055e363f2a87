"""The resolver of one render (local, ``still``): settings shared with its capture workers
through a file in the render's scratch folder, static URLs resolved before capture, and the
list of URLs fetched for the report."""

from __future__ import annotations

from pathlib import Path

from hyperframes_desktop.project.model import Composition
from hyperframes_desktop.render.compile import PlacedMedia
from hyperframes_desktop.render.options import RenderError
from hyperframes_desktop.render.resources.prefetch import Prefetched, prefetch
from hyperframes_desktop.render.resources.remote_media import localize_media
from hyperframes_desktop.render.resources.resolver import Resolver
from hyperframes_desktop.render.resources.settings import ResolverSettings

SETTINGS_FILE = "resolver.json"
FETCH_LOG = "fetched.log"


def prepare_resources(
    comp: Composition, scratch: Path, offline: bool
) -> tuple[Prefetched, ResolverSettings]:
    """Resolve what ``comp`` names statically; write the settings its workers read.
    Raises nothing: the caller decides what a refusal means."""
    settings = ResolverSettings.from_environment(offline=offline)
    settings = ResolverSettings(**{**settings.__dict__, "fetch_log": str(scratch / FETCH_LOG)})
    (scratch / SETTINGS_FILE).write_text(settings.to_json(), encoding="utf-8")
    return prefetch(comp, Resolver(settings)), settings


def resolve_resources(comp: Composition, scratch: Path, offline: bool) -> Prefetched:
    """``prepare_resources``, raising the render error when a script the page names cannot
    be had (the page would run without it)."""
    prefetched, _settings = prepare_resources(comp, scratch, offline)
    fatal = prefetched.fatal()
    if fatal:
        raise RenderError(fatal[0].message, stage="compile")
    return prefetched


def localize_remote_media(
    placed: list[PlacedMedia], scratch: Path, offline: bool
) -> list[PlacedMedia]:
    """``placed`` with remote clips played from the resolver's cache (see remote_media),
    resolved with this render's settings so what is fetched is logged with the rest."""
    if all(item.element.remote_url is None for item in placed):
        return placed
    text = worker_settings(scratch)
    if text:
        settings = ResolverSettings.from_json(text)
    else:
        settings = ResolverSettings.from_environment(offline=offline)
    return localize_media(placed, Resolver(settings))


def write_worker_settings(scratch: Path, settings: ResolverSettings) -> None:
    scratch.mkdir(parents=True, exist_ok=True)
    (scratch / SETTINGS_FILE).write_text(settings.to_json(), encoding="utf-8")


def worker_settings(scratch: Path) -> str:
    """The settings JSON a capture worker of this render uses ("" = its environment's)."""
    try:
        return (scratch / SETTINGS_FILE).read_text(encoding="utf-8")
    except OSError:
        return ""


def fetched_urls(scratch: Path) -> list[str]:
    """Every URL the render's processes fetched, in order, once each."""
    try:
        lines = (scratch / FETCH_LOG).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return list(dict.fromkeys(line for line in lines if line))
