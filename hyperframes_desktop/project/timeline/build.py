"""Build a :class:`Timeline` from a project, with the resolution the renderer uses.

The loader (``project.loader``) parses and resolves every composition; this module only
places its clips on the root timeline the way the compile stage does: a clip of a file whose
local 0 falls at ``origin`` runs ``[origin + start, origin + end)``, and a nested composition's
origin is its host's start minus ``data-playback-start``.
"""

from __future__ import annotations

from pathlib import Path

from ..files import composition_path, html_overrides, project_root
from ..loader import load_composition
from ..model import Clip, Composition, CompositionHost, MediaElement
from ..timing import split_start
from .changes import decode_source
from .model import ClipKind, StartRef, Timeline, TimelineClip, Track, frame_at

_MAX_READS = 4


def build_timeline(
    project: str | Path, composition: str | Path | None = None, *, duration: float | None = None
) -> Timeline:
    """The timeline of ``composition`` (``index.html`` when None) of the project folder.
    ``duration``: the length the page reported for a root without data-duration (as
    HyperFrames takes it from the registered timeline; see ``load_composition``).

    Raises :class:`~hyperframes_desktop.project.ProjectError` for a project that does not load.
    The bytes of every file read are kept in ``Timeline.sources`` so a later write-back can
    refuse to overwrite a file that changed meanwhile.
    """
    root = project_root(project)
    path = composition_path(root, composition)
    for _ in range(_MAX_READS):
        before = _read(path)
        comp = load_composition(root, path, duration=duration)
        sources = _sources(comp)
        if sources is not None and sources.get(comp.path) == before:
            break
    else:  # pragma: no cover - a file rewritten continuously while we read it
        comp = load_composition(root, path, duration=duration)
        sources = _sources(comp) or {}
    return _timeline(comp, sources, duration)


def rebuild_with(timeline: Timeline, new_sources: dict[Path, bytes]) -> Timeline:
    """The timeline ``timeline``'s files would give with some of them replaced by
    ``new_sources`` (nothing is read from or written to those files)."""
    sources = {**timeline.sources, **new_sources}
    texts = {path: decode_source(data)[0] for path, data in sources.items()}
    with html_overrides(texts):
        comp = load_composition(
            timeline.project_root, timeline.file, duration=timeline.page_duration
        )
    used: dict[Path, bytes] = {}
    stack = [comp]
    while stack:
        current = stack.pop()
        data = sources.get(current.path)
        if data is None:
            data = _read(current.path) or b""
        used[current.path] = data
        stack.extend(host.child for host in current.hosts)
    return _timeline(comp, used, timeline.page_duration)


def _timeline(
    comp: Composition, sources: dict[Path, bytes], page_duration: float | None = None
) -> Timeline:
    builder = _Builder(comp)
    tracks = builder.tracks(comp, origin=0.0, prefix="", depth=0)
    return Timeline(
        project_root=comp.project_root,
        file=comp.path,
        composition_id=comp.composition_id,
        fps=comp.fps,
        duration=comp.duration,
        frame_count=comp.frame_count,
        width=comp.width,
        height=comp.height,
        tracks=tracks,
        sources=sources,
        warnings=tuple(comp.warnings),
        page_duration=page_duration if comp.duration_from_page else None,
    )


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _sources(comp: Composition) -> dict[Path, bytes] | None:
    """The bytes of every file of ``comp``, None when one no longer holds the parsed text."""
    found: dict[Path, bytes] = {}
    stack = [comp]
    while stack:
        current = stack.pop()
        data = _read(current.path)
        if data is None or data.decode("utf-8-sig", errors="replace") != current.text:
            return None
        found[current.path] = data
        stack.extend(host.child for host in current.hosts)
    return found


def _kind(item: Clip) -> ClipKind:
    if isinstance(item, CompositionHost):
        return "composition"
    if isinstance(item, MediaElement):
        return "audio" if item.tag == "audio" else "video"
    return "element"


def _anonymous_keys(items: list[Clip]) -> dict[int, str]:
    """ "<video>#2" for the third id-less <video> of a file, in document order (stable while
    clips move; ids are the keys of everything else)."""
    keys: dict[int, str] = {}
    counts: dict[str, int] = {}
    for item in sorted((i for i in items if not i.element_id), key=lambda i: i.span[0]):
        keys[id(item)] = f"<{item.tag}>#{counts.get(item.tag, 0)}"
        counts[item.tag] = counts.get(item.tag, 0) + 1
    return keys


class _Builder:
    def __init__(self, root: Composition) -> None:
        self.fps = root.fps

    def tracks(
        self, comp: Composition, origin: float, prefix: str, depth: int
    ) -> tuple[Track, ...]:
        timed = list(comp.clips)
        timed_ids = {id(c) for c in timed}
        untimed = [m for m in [*comp.media, *comp.hosts] if id(m) not in timed_ids]
        ids = {c.element_id for c in [*timed, *untimed] if c.element_id}
        anonymous = _anonymous_keys([*timed, *untimed])
        rows: dict[int, list[TimelineClip]] = {}
        for item in timed + untimed:
            key = prefix + (item.element_id or anonymous[id(item)])
            is_timed = id(item) in timed_ids
            clip = self.clip(comp, item, origin, key, depth, ids, timed=is_timed)
            rows.setdefault(clip.track, []).append(clip)
        return tuple(
            Track(index, tuple(sorted(rows[index], key=lambda c: (c.start, c.end))))
            for index in sorted(rows)
        )

    def clip(
        self,
        comp: Composition,
        item: Clip,
        origin: float,
        key: str,
        depth: int,
        ids: set[str],
        *,
        timed: bool,
    ) -> TimelineClip:
        local_end = item.end if item.end is not None else comp.duration
        start, end = origin + item.start, origin + local_end
        ref = None
        if timed:
            parts = split_start(item.raw_start, ids)
            if parts is not None and parts[0] is not None:
                ref = StartRef(parts[0], parts[1])
        extra: dict = {}
        if isinstance(item, MediaElement):
            extra = {
                "src": item.src,
                "media_path": item.path,
                "media_start": item.media_start,
                "volume": item.volume,
                "playback_rate": item.playback_rate,
                "has_audio": item.has_audio,
            }
        elif isinstance(item, CompositionHost):
            child_origin = start - item.playback_start
            extra = {
                "src": item.src,
                "media_path": item.path,
                "composition_id": item.composition_id,
                "playback_start": item.playback_start,
                "children": self.tracks(item.child, child_origin, key + "/", depth + 1),
            }
        return TimelineClip(
            key=key,
            id=item.element_id,
            kind=_kind(item),
            tag=item.tag,
            file=comp.path,
            element_start=item.span[0],
            track=item.track_index or 0,
            track_written=item.track_index is not None,
            start=start,
            end=end,
            local_start=item.start,
            raw_start=item.raw_start,
            start_ref=ref,
            duration_written=item.duration is not None,
            start_frame=frame_at(start, self.fps),
            end_frame=frame_at(end, self.fps),
            timed=timed,
            origin=origin,
            depth=depth,
            **extra,
        )
