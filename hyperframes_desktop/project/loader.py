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
from .values import Findings, Where, parse_fps

MAX_DEPTH = 8
DEFAULT_FPS = Fraction(30)


@dataclass(frozen=True)
class Inherited:
    """Values a sub-composition falls back to when its root leaves them out."""

    width: int
    height: int
    duration: float
    fps: Fraction


# Stand-ins for a root attribute that is missing or invalid, so checking can go on.
_STAND_INS = Inherited(width=1920, height=1080, duration=5.0, fps=DEFAULT_FPS)


@dataclass
class RootAttributes:
    composition_id: str
    width: int | None
    height: int | None
    duration: float | None
    fps: Fraction | None
    invalid: frozenset[str] = frozenset()  # attributes present but unusable (recorded)


def load_composition(
    project: str | Path, composition: str | Path | None = None, *, duration: float | None = None
) -> Composition:
    """Parse and resolve a composition (``index.html`` by default) of a project folder.

    A root without data-duration takes its length from its page (its registered timeline,
    as HyperFrames does): such a composition comes back with ``duration_from_page`` set and
    a provisional ``duration``, until the caller, having asked the page, passes ``duration``.
    Raises the first error the problem checker would report for it.
    """
    root = project_root(project)
    path = composition_path(root, composition)
    comp = load_file(path, root, inherited=None, chain=(), root_duration=duration)
    assert comp is not None  # without findings, a file with no composition raises
    return comp


def find_root(elements: list[Element]) -> Element | None:
    """The first element carrying data-composition-id."""
    return next((e for e in elements if "data-composition-id" in e.attrs), None)


def read_root(root_el: Element, where: Where) -> RootAttributes:
    """The root's id, size, duration and fps as written (None when absent or invalid).

    Every bad attribute is recorded in ``where.findings``, not only the first.
    """
    before = len(where.findings.blocking)
    cid = (root_el.attrs.get("data-composition-id") or "").strip()
    if not cid:
        where.fail(
            "data-composition-id is empty",
            "data-composition-id",
            'give the root element a name, e.g. data-composition-id="main"',
            root_el,
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
            where.fail(
                f"data-fps is invalid: {exc}",
                "data-fps",
                f'set data-fps on {on_root} to e.g. "30", "29.97" or "30000/1001"',
                root_el,
            )
    invalid = frozenset(
        e.attribute for e in where.findings.blocking[before:] if e.attribute is not None
    )
    return RootAttributes(cid, width, height, duration, fps, invalid)


def _require(
    value: int | float | None,
    attribute: str,
    attrs: RootAttributes,
    stand_in: int | float,
    example: str,
    where: Where,
    root_el: Element,
) -> int | float:
    """The value, else a recorded error (unless already reported as invalid) and a stand-in."""
    if value is not None:
        return value
    if attribute not in attrs.invalid:
        where.fail(
            f"the root element has no {attribute}",
            attribute,
            f'add {attribute}="{example}" to the root element '
            f'(data-composition-id="{attrs.composition_id}")',
            root_el,
        )
    return stand_in


def load_file(
    path: Path,
    root: Path,
    inherited: Inherited | None,
    chain: tuple[Path, ...],
    findings: Findings | None = None,
    root_duration: float | None = None,
) -> Composition | None:
    """Load ``path``; ``chain`` holds the files of the hosts above it (cycle/depth check).

    With ``findings`` every problem is recorded there and the load goes on with stand-ins
    (None when the file has no composition at all); without, the first error is raised.
    ``root_duration`` is the page-given length of a root without data-duration.
    """
    own = findings is None
    findings = Findings() if findings is None else findings
    comp = _load(path, root, inherited, chain, findings, root_duration)
    if own and findings.blocking:
        raise findings.blocking[0]
    return comp


def _load(
    path: Path,
    root: Path,
    inherited: Inherited | None,
    chain: tuple[Path, ...],
    findings: Findings,
    root_duration: float | None = None,
) -> Composition | None:
    findings.visited.add(path)
    try:
        text = read_html(path, root)
    except ProjectError as exc:
        findings.fail(exc)
        return None
    where = Where(path, display_name(path, root), text, findings)
    elements = scan(text)
    root_el = find_root(elements)
    if root_el is None:
        where.fail(
            "no element has data-composition-id",
            "data-composition-id",
            'add data-composition-id="main" data-width="1920" data-height="1080" '
            'data-duration="5" to the element that wraps the video',
        )
        return None
    attrs = read_root(root_el, where)
    cid = attrs.composition_id
    width, height, duration = attrs.width, attrs.height, attrs.duration
    if inherited is not None:
        width = inherited.width if width is None and "data-width" not in attrs.invalid else width
        height = (
            inherited.height if height is None and "data-height" not in attrs.invalid else height
        )
        if duration is None and "data-duration" not in attrs.invalid:
            duration = inherited.duration
    width = int(_require(width, "data-width", attrs, _STAND_INS.width, "1920", where, root_el))
    height = int(_require(height, "data-height", attrs, _STAND_INS.height, "1080", where, root_el))
    from_page = inherited is None and duration is None and "data-duration" not in attrs.invalid
    if from_page:  # HyperFrames takes the length from the registered timeline
        duration = root_duration if root_duration else _provisional_duration(elements, root_el)
    duration = _require(duration, "data-duration", attrs, _STAND_INS.duration, "5", where, root_el)
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
        duration_from_page=from_page,
        sub=inherited is not None,
    )
    body = [e for e in elements if is_inside(elements, e, root_el)]
    _add_clips(comp, elements, body, where, (*chain, path))
    return comp


def _provisional_duration(elements: list[Element], root_el: Element) -> float:
    """A stand-in length for a root without data-duration until its page gives the real one:
    the latest end among its hosts with a numeric start and duration (HyperFrames' own
    fallback), else one second."""
    ends = [1.0]
    for element in elements:
        if "data-composition-src" not in element.attrs or not is_inside(elements, element, root_el):
            continue
        try:
            start = float(element.attrs.get("data-start") or 0)
            length = float(element.attrs.get("data-duration") or 0)
        except ValueError:
            continue
        if length > 0:
            ends.append(start + length)
    return max(ends)


def _schema(root_el: Element, where: Where) -> list | dict | None:
    schema = where.json(root_el, "data-composition-variables")
    if schema is not None and not isinstance(schema, list | dict):
        where.fail(
            "data-composition-variables must be a JSON array or object",
            "data-composition-variables",
            "describe the variables as a JSON array of objects, e.g. "
            '\'[{"id": "title", "type": "string", "default": "Hello"}]\'',
            root_el,
        )
        return None
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
        item: Clip | None = None
        if is_host:
            item = _host(comp, element, common, where, chain)
        elif is_media:
            media = build_media(comp, elements, element, common, where)
            comp.media.append(media)
            item = media
        if item is None:
            item = Clip(**common)
        if is_clip:
            comp.clips.append(item)
            if start >= comp.duration - 1e-9 and not comp.duration_from_page:
                comp.warnings.append(
                    where.warn(
                        f"clip {where.describe(element)} starts at {start:g} s, at or after "
                        f"the end of the composition ({comp.duration:g} s); it never shows",
                        "start it earlier or make the composition longer",
                        "data-start",
                        element,
                    )
                )


def _host(
    comp: Composition, element: Element, common: dict, where: Where, chain: tuple[Path, ...]
) -> CompositionHost | None:
    path = resolve_child(comp, element, where, chain, MAX_DEPTH)
    if path is None:
        return None
    duration = common["duration"]
    if duration is None:
        duration = comp.duration - common["start"]
    inherited = Inherited(comp.width, comp.height, max(duration, 1e-3), comp.fps)
    before = len(where.findings.blocking)
    child = _load(path, comp.project_root, inherited, chain, where.findings)
    for exc in where.findings.blocking[before:]:
        exc.add_note(f"loaded through {where.describe(element)} in {where.display}")
    if child is None:
        return None
    host = build_host(comp, element, common, where, path, child)
    comp.hosts.append(host)
    comp.warnings.extend(child.warnings)
    return host
