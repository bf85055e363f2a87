"""Build the typed objects for media elements and composition hosts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .asset_paths import resolve_asset
from .errors import display_name
from .files import HTML_SUFFIXES, is_remote, resolve_src
from .media_files import check_media_file
from .model import Composition, CompositionHost, MediaElement
from .scanner import Element
from .values import Where

VOLUME_RANGE = (0.0, 1.0)
RATE_RANGE = (0.1, 5.0)


def track_index(element: Element, where: Where) -> int | None:
    """data-track-index as a whole number >= 0, None when absent (or invalid: recorded)."""
    if "data-track-index" not in element.attrs:
        return None
    raw = (element.attrs.get("data-track-index") or "").strip()
    if not raw.isdigit():
        where.fail(
            f'{where.describe(element)} data-track-index "{raw}" must be a whole number >= 0',
            "data-track-index",
            'number the tracks 0, 1, 2, ..., e.g. data-track-index="0"',
            element,
        )
        return None
    return int(raw)


def _media_src(elements: list[Element], element: Element) -> str:
    """The element's src, else the src of its first <source> child."""
    src = element.attrs.get("src")
    if src:
        return src
    for other in elements[element.index + 1 :]:
        if other.parent == element.index and other.tag == "source" and other.attrs.get("src"):
            return other.attrs["src"] or ""
        if other.span[0] >= (element.closed_at or 0):
            break
    return ""


def _clamped(
    value: float,
    bounds: tuple[float, float],
    attribute: str,
    element: Element,
    where: Where,
    warnings: list[str],
) -> float:
    low, high = bounds
    if low <= value <= high:
        return value
    clamped = min(max(value, low), high)
    warnings.append(
        where.warn(
            f"{where.describe(element)} {attribute} {value:g} is outside {low:g}-{high:g}; "
            f"using {clamped:g}",
            f"write a value from {low:g} to {high:g}",
            attribute,
            element,
        )
    )
    return clamped


def build_media(
    comp: Composition,
    elements: list[Element],
    element: Element,
    common: dict[str, Any],
    where: Where,
) -> MediaElement:
    src = _media_src(elements, element)
    path = resolve_asset(comp, src)
    if not src:
        comp.warnings.append(f"{where.display}: {where.describe(element)} has no src")
    elif path is not None and not path.is_file():
        comp.warnings.append(
            f'{where.display}: {where.describe(element)} src "{src}" not found '
            f"({display_name(path, comp.project_root)})"
        )
    check_media_file(element, src, path, comp.project_root, where)
    media_start = where.seconds(
        element,
        "data-media-start",
        'set data-media-start to the offset into the source file in seconds, e.g. "0"',
        allow_zero=True,
    )
    volume = where.number(element, "data-volume", 1.0)
    rate = where.number(element, "data-playback-rate", 1.0)
    is_audio = element.tag == "audio"
    return MediaElement(
        **common,
        src=src,
        path=path,
        media_start=media_start or 0.0,
        volume=_clamped(volume, VOLUME_RANGE, "data-volume", element, where, comp.warnings),
        playback_rate=_clamped(
            rate, RATE_RANGE, "data-playback-rate", element, where, comp.warnings
        ),
        has_audio=is_audio or (element.attrs.get("data-has-audio") or "").strip().lower() == "true",
        muted="muted" in element.attrs,
    )


def resolve_child(
    comp: Composition, element: Element, where: Where, chain: tuple[Path, ...], max_depth: int
) -> Path | None:
    """Absolute path of a host's sub-composition; checks existence, cycles and depth
    (None when one fails: recorded)."""
    src = (element.attrs.get("data-composition-src") or "").strip()
    who = where.describe(element)
    root = comp.project_root
    fix_path = "write a path relative to the project folder, e.g. compositions/card.html"
    attribute = "data-composition-src"
    if not src or is_remote(src):
        where.fail(
            f'{who} data-composition-src "{src}" is not a file in the project',
            attribute,
            fix_path,
            element,
        )
        return None
    path = resolve_src(root, src)
    assert path is not None
    if not path.is_file():
        where.fail(
            f'{who} data-composition-src "{src}" points to a missing file '
            f"({display_name(path, root)})",
            attribute,
            f"create {display_name(path, root)} or correct the path ({fix_path})",
            element,
        )
        return None
    if path.suffix.lower() not in HTML_SUFFIXES:
        where.fail(
            f'{who} data-composition-src "{src}" is not an .html file',
            attribute,
            "point it at the sub-composition's .html file",
            element,
        )
        return None
    if path in chain:
        names = [display_name(p, root) for p in chain[chain.index(path) :]]
        where.fail(
            f"sub-compositions include each other in a cycle: {' -> '.join([*names, names[0]])}",
            attribute,
            f'remove data-composition-src="{src}" from {who} or break the loop elsewhere',
            element,
        )
        return None
    if len(chain) > max_depth:
        where.fail(
            f"sub-compositions are nested more than {max_depth} levels deep at {who}",
            attribute,
            "flatten the nesting",
            element,
        )
        return None
    return path


def build_host(
    comp: Composition,
    element: Element,
    common: dict[str, Any],
    where: Where,
    path: Path,
    child: Composition,
) -> CompositionHost:
    values = where.json(element, "data-variable-values")
    if values is not None and not isinstance(values, dict):
        where.fail(
            f"{where.describe(element)} data-variable-values must be a JSON object",
            "data-variable-values",
            'write the values as an object, e.g. data-variable-values=\'{"title": "Hi"}\'',
            element,
        )
        values = None
    host_id = (element.attrs.get("data-composition-id") or "").strip()
    if host_id and host_id != child.composition_id:
        comp.warnings.append(
            where.warn(
                f'{where.describe(element)} data-composition-id "{host_id}" differs '
                f'from "{child.composition_id}" in {display_name(path, comp.project_root)}',
                f'use data-composition-id="{child.composition_id}" on the host',
                "data-composition-id",
                element,
            )
        )
    playback_start = where.seconds(
        element,
        "data-playback-start",
        'set data-playback-start to seconds into the child, e.g. "0"',
        allow_zero=True,
    )
    return CompositionHost(
        **common,
        composition_id=host_id or child.composition_id,
        src=element.attrs.get("data-composition-src") or "",
        path=path,
        child=child,
        playback_start=playback_start or 0.0,
        variable_values=values,
    )
