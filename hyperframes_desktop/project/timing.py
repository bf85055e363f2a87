"""Resolve ``data-start`` values (absolute or relative to another clip's end) and check tracks."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from .scanner import Element
from .values import NUMBER_RE, Where, parse_number

_RELATIVE = re.compile(rf"(?P<ref>.+?)\s*(?P<op>[+-])\s*(?P<offset>{NUMBER_RE.pattern})")
_START_FIX = (
    'use seconds (data-start="1.5") or the id of another clip, optionally with an offset '
    '(data-start="intro + 0.5")'
)


@dataclass(eq=False)
class PendingClip:
    """A clip whose start may still be relative."""

    element: Element
    raw_start: str
    duration: float | None
    track_index: int | None

    @property
    def label(self) -> str:
        return self.element.attrs.get("id") or f"<{self.element.tag}>"


@dataclass
class _Start:
    ref: str | None
    offset: float


def split_start(raw: str, ids: Collection[str]) -> tuple[str | None, float] | None:
    """``(None, seconds)`` for an absolute start, ``(ref, offset)`` for a relative one
    ("intro + 0.5" -> ("intro", 0.5); a bare id is checked first, so "intro-2" stays an id),
    None when the text is neither."""
    raw = raw.strip()
    if NUMBER_RE.fullmatch(raw):
        return None, float(raw)
    if raw in ids:
        return raw, 0.0
    match = _RELATIVE.fullmatch(raw)
    if match:
        offset = parse_number(match["offset"]) or 0.0
        return match["ref"].strip(), offset if match["op"] == "+" else -offset
    if raw and not any(c.isspace() for c in raw):
        return raw, 0.0
    return None


def _parse_start(
    clip: PendingClip, ids: dict[str, PendingClip], all_ids: set[str], where: Where
) -> _Start:
    """The clip's start as written; a bad one is recorded and taken as 0."""
    raw = clip.raw_start.strip()
    who = where.describe(clip.element)
    element = clip.element
    parts = split_start(raw, ids)
    if parts is not None and parts[0] is None:
        if parts[1] < 0:
            where.fail(
                f'{who} data-start "{raw}" must not be negative', "data-start", _START_FIX, element
            )
            return _Start(None, 0.0)
        return _Start(None, parts[1])
    if parts is not None:
        start = _Start(parts[0], parts[1])
    else:
        where.fail(
            f'{who} data-start "{clip.raw_start}" is not a valid start time',
            "data-start",
            _START_FIX,
            element,
        )
        return _Start(None, 0.0)
    if start.ref not in ids:
        hint = (
            f'an element with id "{start.ref}" exists but it is not a clip'
            if start.ref in all_ids
            else f'there is no clip with id "{start.ref}" in this file'
        )
        where.fail(
            f'{who} data-start "{clip.raw_start}" refers to an unknown clip: {hint}',
            "data-start",
            f'point data-start at the id of a clip (class="clip") in this file, or use seconds; '
            f"known clip ids: {', '.join(sorted(ids)) or 'none'}",
            element,
        )
        return _Start(None, 0.0)
    return start


def resolve_starts(clips: list[PendingClip], all_ids: set[str], where: Where) -> list[float]:
    """Start in seconds of every clip, in the order given.

    Every bad start (unknown clip, cycle, no end to follow, before 0) is recorded in
    ``where.findings`` and taken as 0 or the nearest usable value, so all of them are found.
    """
    ids: dict[str, PendingClip] = {}
    for clip in clips:
        element_id = clip.element.attrs.get("id")
        if element_id:
            ids.setdefault(element_id, clip)
    parsed = {id(c): _parse_start(c, ids, all_ids, where) for c in clips}
    done: dict[int, float] = {}
    visiting: list[PendingClip] = []

    def resolve(clip: PendingClip) -> float:
        key = id(clip)
        if key in done:
            return done[key]
        if any(c is clip for c in visiting):
            first = next(i for i, c in enumerate(visiting) if c is clip)
            cycle = [c.label for c in visiting[first:]] + [clip.label]
            where.fail(
                f"relative data-start values form a cycle: {' -> '.join(cycle)}",
                "data-start",
                f"give one of {', '.join(sorted(set(cycle)))} an absolute start such as "
                'data-start="0"',
                clip.element,
            )
            done[key] = 0.0  # the cycle is reported once; its clips resolve from here
            return 0.0
        start = parsed[key]
        if start.ref is None:
            value = start.offset
        else:
            visiting.append(clip)
            target = ids[start.ref]
            base = resolve(target)
            visiting.pop()
            if key in done:  # resolved while inside a cycle
                return done[key]
            if target.duration is None:
                if "data-duration" not in target.element.attrs:  # a bad one is reported already
                    where.fail(
                        f'{where.describe(clip.element)} data-start "{clip.raw_start}" is '
                        f'relative to clip "{start.ref}", which has no data-duration, so it has '
                        "no end",
                        "data-start",
                        f'add data-duration to "{start.ref}" or give this clip a start in seconds',
                        clip.element,
                    )
                value = base + start.offset
            else:
                value = base + target.duration + start.offset
            if value < -1e-9:
                where.fail(
                    f'{where.describe(clip.element)} data-start "{clip.raw_start}" resolves to '
                    f"{value:g} s, before the composition starts",
                    "data-start",
                    "use a smaller negative offset so the start is 0 or later",
                    clip.element,
                )
            value = max(value, 0.0)
        done[key] = value
        return value

    return [resolve(clip) for clip in clips]


def overlap_warnings(
    clips: list[tuple[PendingClip, float]], composition_end: float, where: Where
) -> list[str]:
    """One warning per pair of clips that overlap on the same data-track-index."""
    tracks: dict[int, list[tuple[float, float, PendingClip]]] = {}
    for clip, start in clips:
        if clip.track_index is None:
            continue
        end = composition_end if clip.duration is None else start + clip.duration
        tracks.setdefault(clip.track_index, []).append((start, end, clip))
    warnings: list[str] = []
    for track in sorted(tracks):
        items = sorted(tracks[track], key=lambda item: item[0])
        for i, (a_start, a_end, a) in enumerate(items):
            for b_start, b_end, b in items[i + 1 :]:
                if b_start >= a_end - 1e-9:
                    break
                warnings.append(
                    where.warn(
                        f'clips "{a.label}" ({a_start:g}-{a_end:g} s) and "{b.label}" '
                        f"({b_start:g}-{b_end:g} s) overlap on data-track-index {track}",
                        "move one to another track or change its timing",
                        "data-track-index",
                        b.element,
                    )
                )
    return warnings
