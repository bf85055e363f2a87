"""Shared machinery of the edit operations: looking clips up, writing start/duration values
that keep relative starts relative, resolving an edit's result with the renderer's loader, and
refusing overlaps (an operation applies fully or changes nothing)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..errors import ProjectError
from .build import rebuild_with
from .changes import Change, Edit, EditRefused, SetAttribute, apply_changes
from .model import Timeline, TimelineClip, Track
from .times import exact, floor_seconds, format_relative, format_seconds

NOTHING_CHANGED = "nothing was changed"


def seconds_of(value: float) -> Fraction:
    """A resolved float time as the decimal it stands for (float noise below 1 ns dropped)."""
    return exact(round(value, 9))


def get_clip(timeline: Timeline, key: str) -> TimelineClip:
    clip = timeline.clip(key)
    if clip is None:
        raise EditRefused(
            f'There is no clip "{key}" in this timeline any more; reload the project and try '
            f"again ({NOTHING_CHANGED})."
        )
    return clip


def describe(clip: TimelineClip) -> str:
    return f'"{clip.label}"'


def set_attr(clip: TimelineClip, name: str, value: str | None) -> SetAttribute:
    return SetAttribute(clip.file, clip.element_start, name, value)


def sibling_clips(timeline: Timeline, clip: TimelineClip) -> list[TimelineClip]:
    """Clips of the same composition (same file, same host), nested ones excluded."""
    return [c for track in timeline.siblings(clip) for c in track.clips]


def reference_end(timeline: Timeline, clip: TimelineClip) -> Fraction:
    """Local end (seconds) of the clip ``clip``'s relative start points at."""
    assert clip.start_ref is not None
    ref = next((c for c in sibling_clips(timeline, clip) if c.id == clip.start_ref.ref), None)
    if ref is None:
        raise EditRefused(
            f'{describe(clip)} starts relative to "{clip.start_ref.ref}", which is not a clip '
            f"of the same composition; {NOTHING_CHANGED}."
        )
    return seconds_of(ref.end - ref.origin)


@dataclass(frozen=True)
class StartValue:
    text: str  # what data-start becomes
    resolved: Fraction  # the local start it resolves to


def start_value(timeline: Timeline, clip: TimelineClip, frame: int) -> StartValue:
    """data-start putting ``clip`` at root ``frame``; a relative start keeps its reference
    and only its offset changes."""
    target = Fraction(frame) / timeline.fps - seconds_of(clip.origin)
    if target < 0:
        raise EditRefused(
            f"{describe(clip)} cannot start before the start of its composition; {NOTHING_CHANGED}."
        )
    if clip.start_ref is None:
        return StartValue(format_seconds(target), floor_seconds(target))
    ref_end = reference_end(timeline, clip)
    offset = floor_seconds(target - ref_end)
    return StartValue(format_relative(clip.start_ref.ref, offset, clip.raw_start), ref_end + offset)


def current_start(timeline: Timeline, clip: TimelineClip) -> Fraction:
    """The clip's local start, exactly as written when it is a number."""
    if clip.start_ref is None and clip.timed:
        try:
            return exact(clip.raw_start.strip())
        except (ValueError, ZeroDivisionError):
            pass
    return seconds_of(clip.local_start)


def local_end(clip: TimelineClip) -> Fraction:
    return seconds_of(clip.end - clip.origin)


def duration_text(end: Fraction, start: Fraction, clip: TimelineClip) -> str:
    duration = floor_seconds(end - start)
    if duration <= 0:
        raise EditRefused(f"{describe(clip)} would have no duration left; {NOTHING_CHANGED}.")
    return format_seconds(duration)


def frame_window(clip: TimelineClip) -> str:
    return f"{clip.start:g}-{clip.end:g} s"


def _composition_tracks(timeline: Timeline) -> Iterable[tuple[str, tuple[Track, ...]]]:
    yield "", timeline.tracks
    for clip in timeline.all_clips():
        if clip.children:
            yield clip.key + "/", clip.children


def overlapping_pairs(timeline: Timeline) -> dict[frozenset[str], tuple[TimelineClip, ...]]:
    """Pairs of clips sharing frames on one data-track-index of one composition."""
    pairs: dict[frozenset[str], tuple[TimelineClip, ...]] = {}
    for _, tracks in _composition_tracks(timeline):
        for track in tracks:
            clips = sorted(
                (c for c in track.clips if c.track_written and c.timed and c.duration_frames),
                key=lambda c: c.start_frame,
            )
            active: list[TimelineClip] = []  # clips still running at the current start
            for clip in clips:
                active = [a for a in active if a.end_frame > clip.start_frame]
                for other in active:
                    pairs[frozenset((other.key, clip.key))] = (other, clip)
                active.append(clip)
    return pairs


def finish(
    timeline: Timeline,
    label: str,
    changes: list[Change],
    *,
    select: str | None = None,
    warnings: tuple[str, ...] = (),
    needs_confirmation: bool = False,
    merge_key: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Edit:
    """Resolve ``changes`` with the loader; refuse (nothing changed) when the project would
    not load or a track would get a new overlap. ``aliases`` maps keys in the result to the
    keys they had before (a renamed clip, a split's copy), so existing overlaps stay allowed."""
    if not changes:
        return Edit(label, (), timeline, select=select)
    new_bytes = apply_changes(timeline.sources, tuple(changes))
    try:
        result = rebuild_with(timeline, new_bytes)
    except ProjectError as exc:
        raise EditRefused(
            f"This edit would break the composition: {exc} ({NOTHING_CHANGED})"
        ) from None
    before = overlapping_pairs(timeline)
    aliases = aliases or {}
    for pair, (a, b) in overlapping_pairs(result).items():
        if frozenset(aliases.get(k, k) for k in pair) not in before:
            raise EditRefused(
                f"{describe(a)} ({frame_window(a)}) and {describe(b)} ({frame_window(b)}) would "
                f"overlap on track {a.track}; clips on one track cannot overlap, so move one to "
                f"a free spot or another track ({NOTHING_CHANGED})."
            )
    return Edit(
        label,
        tuple(changes),
        result,
        warnings=warnings,
        needs_confirmation=needs_confirmation,
        merge_key=merge_key,
        select=select,
    )


def id_selectors(sources: Mapping[Path, bytes], element_id: str) -> bool:
    """True when CSS or a script in the project's files selects ``element_id`` by id."""
    escaped = re.escape(element_id)
    pattern = re.compile(
        rf"#{escaped}(?![\w-])|getElementById\(\s*['\"`]{escaped}['\"`]"
        rf"|\[\s*id\s*[~|^$*]?=\s*['\"]?{escaped}"
    )
    return any(pattern.search(data.decode("utf-8", errors="replace")) for data in sources.values())


_ID_ATTR = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def taken_ids(sources: Mapping[Path, bytes]) -> set[str]:
    """Every id written in the timeline's files (ids must stay unique in the compiled page)."""
    found: set[str] = set()
    for data in sources.values():
        for match in _ID_ATTR.finditer(data.decode("utf-8", errors="replace")):
            found.add(next(g for g in match.groups() if g is not None))
    return found


def unique_id(base: str, taken: set[str]) -> str:
    """``base-2``, ``base-3``, … (a trailing "-N" of ``base`` is counted on, not repeated)."""
    match = re.fullmatch(r"(.*?)-(\d+)", base)
    stem, number = (match[1], int(match[2]) + 1) if match else (base, 2)
    while f"{stem}-{number}" in taken:
        number += 1
    new = f"{stem}-{number}"
    taken.add(new)
    return new


def retarget_start(raw: str, old_ref: str, new_ref: str) -> str:
    """``raw`` (a relative data-start) pointing at ``new_ref`` instead of ``old_ref``."""
    at = raw.find(old_ref)
    return raw[:at] + new_ref + raw[at + len(old_ref) :]


def media_shift(
    clip: TimelineClip, old_start: Fraction, new_start: Fraction
) -> tuple[str, str] | None:
    """(attribute, value) keeping the same source frame at the same composition time when the
    head moves from ``old_start`` to ``new_start``: data-media-start for media,
    data-playback-start for a nested composition."""
    if clip.is_media:
        attribute, current = "data-media-start", clip.media_start or 0.0
        rate = Fraction(clip.playback_rate).limit_denominator(1000)
    elif clip.kind == "composition":
        attribute, current, rate = "data-playback-start", clip.playback_start or 0.0, Fraction(1)
    else:
        return None
    value = seconds_of(current) + (new_start - old_start) * rate
    if value < 0:
        what = "source media" if clip.is_media else "nested composition"
        raise EditRefused(
            f"{describe(clip)} cannot start earlier: its {what} would have to begin "
            f"{float(-value):g} s before its own start ({NOTHING_CHANGED})."
        )
    return attribute, format_seconds(value)
