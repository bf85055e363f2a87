"""Load one composition file (and, through hosts, its sub-compositions) into a Composition."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from .elements import build_host, build_media, resolve_child, track_index
from .errors import ProjectError, display_name
from .files import composition_path, project_root, read_html
from .model import Clip, Composition, CompositionHost
from .scanner import Element, is_inside, scan
from .timing import PendingClip, overlap_warnings, resolve_starts
from .values import Where, parse_fps

MAX_DEPTH = 8
DEFAULT_FPS = Fraction(30)


@dataclass(frozen=True)
class Inherited:
    """Values a sub-composition falls back to when its root leaves them out."""

    width: int
    height: int
    duration: float
    fps: Fraction


@dataclass
class RootAttributes:
    composition_id: str
    width: int | None
    height: int | None
    duration: float | None
    fps: Fraction | None


def load_composition(project: str | Path, composition: str | Path | None = None) -> Composition:
    """Parse and resolve a composition (``index.html`` by default) of a project folder."""
    root = project_root(project)
    path = composition_path(root, composition)
    return load_file(path, root, inherited=None, chain=())


def find_root(elements: list[Element]) -> Element | None:
    """The first element carrying data-composition-id."""
    return next((e for e in elements if "data-composition-id" in e.attrs), None)


def read_root(root_el: Element, where: Where) -> RootAttributes:
    """The root's id, size, duration and fps as written (None when absent)."""
    cid = (root_el.attrs.get("data-composition-id") or "").strip()
    if not cid:
        raise where.error(
            "data-composition-id is empty",
            "data-composition-id",
            'give the root element a name, e.g. data-composition-id="main"',
        )
    on_root = f'the root element (data-composition-id="{cid}")'
    width = where.positive_int(
        root_el, "data-width", f'set data-width on {on_root} to the video width, e.g. "1920"'
    )
    height = where.positive_int(
        root_el, "data-height", f'set data-height on {on_root} to the video height, e.g. "1080"'
    )
    duration = where.seconds(
        root_el,
        "data-duration",
        f'set data-duration on {on_root} to the video length, e.g. data-duration="5"',
        label="",
    )
    fps = None
    if "data-fps" in root_el.attrs:
        try:
            fps = parse_fps(root_el.attrs.get("data-fps") or "")
        except ValueError as exc:
            raise where.error(
                f"data-fps is invalid: {exc}",
                "data-fps",
                f'set data-fps on {on_root} to e.g. "30", "29.97" or "30000/1001"',
            ) from None
    return RootAttributes(cid, width, height, duration, fps)


def _require(value: object, attribute: str, cid: str, example: str, where: Where) -> None:
    if value is None:
        raise where.error(
            f"the root element has no {attribute}",
            attribute,
            f'add {attribute}="{example}" to the root element (data-composition-id="{cid}")',
        )


def load_file(
    path: Path, root: Path, inherited: Inherited | None, chain: tuple[Path, ...]
) -> Composition:
    """Load ``path``; ``chain`` holds the files of the hosts above it (cycle/depth check)."""
    text = read_html(path, root)
    where = Where(path, display_name(path, root), text)
    elements = scan(text)
    root_el = find_root(elements)
    if root_el is None:
        raise where.error(
            "no element has data-composition-id",
            "data-composition-id",
            'add data-composition-id="main" data-width="1920" data-height="1080" '
            'data-duration="5" to the element that wraps the video',
        )
    attrs = read_root(root_el, where)
    cid = attrs.composition_id
    width, height, duration = attrs.width, attrs.height, attrs.duration
    if inherited is not None:
        width = inherited.width if width is None else width
        height = inherited.height if height is None else height
        duration = inherited.duration if duration is None else duration
    _require(width, "data-width", cid, "1920", where)
    _require(height, "data-height", cid, "1080", where)
    _require(duration, "data-duration", cid, "5", where)
    assert width is not None and height is not None and duration is not None
    fps = attrs.fps or (inherited.fps if inherited else DEFAULT_FPS)

    template_span = None
    if root_el.template is not None:
        template = elements[root_el.template]
        template_span = (template.span[1], template.closed_at or len(text))

    comp = Composition(
        path=path,
        project_root=root,
        text=text,
        composition_id=cid,
        width=width,
        height=height,
        duration=float(duration),
        fps=fps,
        no_timeline="data-no-timeline" in root_el.attrs,
        is_template=root_el.template is not None,
        template_span=template_span,
        root_span=root_el.span,
        root_name_end=root_el.name_end,
        variables_schema=_schema(root_el, where),
    )
    body = [e for e in elements if is_inside(elements, e, root_el)]
    _add_clips(comp, elements, body, where, (*chain, path))
    return comp


def _schema(root_el: Element, where: Where) -> list | dict | None:
    schema = where.json(root_el, "data-composition-variables")
    if schema is not None and not isinstance(schema, list | dict):
        raise where.error(
            "data-composition-variables must be a JSON array or object",
            "data-composition-variables",
            "describe the variables as a JSON array of objects, e.g. "
            '\'[{"id": "title", "type": "string", "default": "Hello"}]\'',
        )
    return schema


def _is_timed(element: Element) -> tuple[bool, bool, bool]:
    """(is_clip, is_host, is_media) for one element."""
    is_host = "data-composition-src" in element.attrs
    is_media = element.tag in ("video", "audio")
    is_clip = "clip" in element.classes() or (
        (is_host or is_media) and "data-start" in element.attrs
    )
    return is_clip, is_host, is_media


def _add_clips(
    comp: Composition,
    elements: list[Element],
    body: list[Element],
    where: Where,
    chain: tuple[Path, ...],
) -> None:
    pending: list[tuple[PendingClip, bool, bool, bool]] = []
    for element in body:
        is_clip, is_host, is_media = _is_timed(element)
        if not (is_clip or is_host or is_media):
            continue
        raw_start = element.attrs.get("data-start", "0") or ""
        fix = 'set data-duration to the clip length in seconds, e.g. data-duration="2"'
        duration = where.seconds(element, "data-duration", fix)
        clip = PendingClip(element, raw_start, duration, track_index(element, where))
        pending.append((clip, is_clip, is_host, is_media))

    all_ids = {e.attrs["id"] or "" for e in body if e.attrs.get("id")}
    starts = resolve_starts([p[0] for p in pending], all_ids, where)
    timed = [(p[0], s) for p, s in zip(pending, starts, strict=True) if p[1]]
    comp.warnings.extend(overlap_warnings(timed, comp.duration, where))

    for (clip, is_clip, is_host, is_media), start in zip(pending, starts, strict=True):
        element = clip.element
        common = {
            "element_id": element.attrs.get("id"),
            "tag": element.tag,
            "start": start,
            "duration": clip.duration,
            "track_index": clip.track_index,
            "raw_start": clip.raw_start,
            "span": element.span,
            "name_end": element.name_end,
        }
        item: Clip
        if is_host:
            item = _host(comp, element, common, where, chain)
        elif is_media:
            media = build_media(comp, elements, element, common, where)
            comp.media.append(media)
            item = media
        else:
            item = Clip(**common)
        if is_clip:
            comp.clips.append(item)
            if start >= comp.duration - 1e-9:
                comp.warnings.append(
                    f"{where.display}: clip {where.describe(element)} starts at {start:g} s, "
                    f"at or after the end of the composition ({comp.duration:g} s); it never shows"
                )


def _host(
    comp: Composition, element: Element, common: dict, where: Where, chain: tuple[Path, ...]
) -> CompositionHost:
    path = resolve_child(comp, element, where, chain, MAX_DEPTH)
    duration = common["duration"]
    if duration is None:
        duration = comp.duration - common["start"]
    inherited = Inherited(comp.width, comp.height, max(duration, 1e-3), comp.fps)
    try:
        child = load_file(path, comp.project_root, inherited, chain)
    except ProjectError as exc:
        exc.add_note(f"loaded through {where.describe(element)} in {where.display}")
        raise
    host = build_host(comp, element, common, where, path, child)
    comp.hosts.append(host)
    comp.warnings.extend(child.warnings)
    return host
