"""Pure edit operations: each takes a Timeline and returns an Edit (a minimal set of attribute
changes and the timeline they give), or raises EditRefused with nothing changed.

Frames are frames of the root composition; a clip of a nested composition is edited in its
own file, in that file's time.
"""

from __future__ import annotations

from fractions import Fraction

from .changes import Change, Edit, EditRefused, RemoveElement
from .editing import (
    NOTHING_CHANGED,
    current_start,
    describe,
    duration_text,
    finish,
    get_clip,
    id_selectors,
    local_end,
    media_shift,
    retarget_start,
    seconds_of,
    set_attr,
    sibling_clips,
    start_value,
    taken_ids,
)
from .model import Timeline, TimelineClip
from .times import format_seconds

_ID_CHARS = frozenset(" \t\r\n\f\"'<>&")


def _check_track(track: int) -> None:
    if track < 0:
        raise EditRefused(f"Tracks are numbered from 0; {NOTHING_CHANGED}.")


def move_clip(timeline: Timeline, key: str, start_frame: int, track: int | None = None) -> Edit:
    """Move a clip to ``start_frame`` (and to ``track``); its duration is kept.

    A relative start keeps its reference; only the offset changes."""
    clip = get_clip(timeline, key)
    changes: list[Change] = []
    if start_frame != clip.start_frame or not clip.timed:
        changes.append(set_attr(clip, "data-start", start_value(timeline, clip, start_frame).text))
    if track is not None and (track != clip.track or not clip.track_written):
        _check_track(track)
        changes.append(set_attr(clip, "data-track-index", str(track)))
    return finish(timeline, f"Move {clip.label}", changes, select=key)


def nudge_clip(timeline: Timeline, key: str, frames: int) -> Edit:
    """Move a clip by ``frames`` (±1 for the arrow keys). Consecutive nudges of one clip share
    a ``merge_key`` so the history folds them into one undo step."""
    clip = get_clip(timeline, key)
    edit = move_clip(timeline, key, clip.start_frame + frames)
    return Edit(
        f"Nudge {clip.label}",
        edit.changes,
        edit.result,
        merge_key=f"nudge:{clip.file}:{key}",
        select=key,
    )


def nudge_clips(timeline: Timeline, keys: list[str], frames: int, select: str | None) -> Edit:
    """Move several clips by ``frames`` as one edit (one undo step; a run of nudges of the
    same clips folds into it). A clip that starts relative to another one of them moves
    with it already, so only its reference is moved."""
    clips = [get_clip(timeline, key) for key in dict.fromkeys(keys)]
    ids = {c.id for c in clips if c.id}
    changes: list[Change] = []
    for clip in clips:
        if clip.start_ref is not None and clip.start_ref.ref in ids:
            continue
        target = clip.start_frame + frames
        changes.append(set_attr(clip, "data-start", start_value(timeline, clip, target).text))
    edit = finish(timeline, f"Nudge {len(clips)} clips", changes, select=select)
    return Edit(
        edit.label,
        edit.changes,
        edit.result,
        merge_key="nudge:" + "|".join(sorted(c.key for c in clips)),
        select=select,
    )


def trim_start(timeline: Timeline, key: str, start_frame: int) -> Edit:
    """Move the head of a clip to ``start_frame``, keeping its end. For media (and nested
    compositions) the source offset moves too, so every remaining frame stays where it was."""
    clip = get_clip(timeline, key)
    if start_frame >= clip.end_frame:
        raise EditRefused(
            f"{describe(clip)} must keep at least one frame; trim its head to before frame "
            f"{clip.end_frame} ({NOTHING_CHANGED})."
        )
    if start_frame == clip.start_frame:
        return finish(timeline, f"Trim {clip.label}", [], select=key)
    old_start = current_start(timeline, clip)
    new = start_value(timeline, clip, start_frame)
    changes: list[Change] = [set_attr(clip, "data-start", new.text)]
    if clip.duration_written:
        changes.append(
            set_attr(clip, "data-duration", duration_text(local_end(clip), new.resolved, clip))
        )
    shift = media_shift(clip, old_start, new.resolved)
    if shift is not None:
        changes.append(set_attr(clip, *shift))
    return finish(timeline, f"Trim {clip.label}", changes, select=key)


def trim_end(timeline: Timeline, key: str, end_frame: int) -> Edit:
    """Move the tail of a clip to ``end_frame`` (exclusive), keeping its start."""
    clip = get_clip(timeline, key)
    if end_frame <= clip.start_frame:
        raise EditRefused(
            f"{describe(clip)} must keep at least one frame; trim its tail to after frame "
            f"{clip.start_frame} ({NOTHING_CHANGED})."
        )
    if end_frame == clip.end_frame and clip.duration_written:
        return finish(timeline, f"Trim {clip.label}", [], select=key)
    end = Fraction(end_frame) / timeline.fps - seconds_of(clip.origin)
    text = duration_text(end, current_start(timeline, clip), clip)
    return finish(
        timeline, f"Trim {clip.label}", [set_attr(clip, "data-duration", text)], select=key
    )


def delete_clip(timeline: Timeline, key: str) -> Edit:
    """Remove the clip's element. Refused while another clip starts relative to it."""
    clip = get_clip(timeline, key)
    if clip.id:
        for other in sibling_clips(timeline, clip):
            if other.start_ref and other.start_ref.ref == clip.id:
                raise EditRefused(
                    f"{describe(clip)} cannot be deleted: {describe(other)} starts relative to "
                    f'its end (data-start="{other.raw_start}"). Give {describe(other)} a start in '
                    f"seconds or point it at another clip first ({NOTHING_CHANGED})."
                )
    return finish(timeline, f"Delete {clip.label}", [RemoveElement(clip.file, clip.element_start)])


def _rename(timeline: Timeline, clip: TimelineClip, new_id: str) -> tuple[list[Change], list[str]]:
    """Changes renaming ``clip`` (and the relative starts that point at it), and warnings."""
    new_id = new_id.strip()
    if not new_id or any(c in _ID_CHARS for c in new_id):
        raise EditRefused(
            f'"{new_id}" is not a usable id: use letters, digits, "-" or "_" without spaces '
            f"({NOTHING_CHANGED})."
        )
    if new_id in taken_ids(timeline.sources):
        raise EditRefused(
            f'The id "{new_id}" is already used in this project; ids must be unique '
            f"({NOTHING_CHANGED})."
        )
    changes: list[Change] = [set_attr(clip, "id", new_id)]
    warnings: list[str] = []
    if clip.id:
        for other in sibling_clips(timeline, clip):
            if other.start_ref and other.start_ref.ref == clip.id:
                changes.append(
                    set_attr(other, "data-start", retarget_start(other.raw_start, clip.id, new_id))
                )
        if id_selectors(timeline.sources, clip.id):
            warnings.append(
                f'CSS or a script selects "#{clip.id}"; after renaming the clip to "{new_id}" '
                "those styles and animations no longer apply to it, so the video changes. "
                "Update the selectors too, or rename anyway."
            )
    return changes, warnings


def set_clip_properties(
    timeline: Timeline,
    key: str,
    *,
    element_id: str | None = None,
    start_frame: int | None = None,
    duration_frames: int | None = None,
    track: int | None = None,
    media_start: float | None = None,
    volume: float | None = None,
) -> Edit:
    """The inspector's edit: every argument left None is unchanged. One undo step."""
    clip = get_clip(timeline, key)
    changes: list[Change] = []
    warnings: list[str] = []
    aliases: dict[str, str] = {}
    select = key
    if element_id is not None and element_id.strip() != (clip.id or ""):
        rename, warnings = _rename(timeline, clip, element_id)
        changes += rename
        select = key[: len(key) - len(clip.key.rsplit("/", 1)[-1])] + element_id.strip()
        aliases[select] = key
    start = current_start(timeline, clip)
    if start_frame is not None and (start_frame != clip.start_frame or not clip.timed):
        new = start_value(timeline, clip, start_frame)
        changes.append(set_attr(clip, "data-start", new.text))
        start = new.resolved
    if duration_frames is not None:
        if duration_frames <= 0:
            raise EditRefused(f"A clip lasts at least one frame; {NOTHING_CHANGED}.")
        first = clip.start_frame if start_frame is None else start_frame
        end = Fraction(first + duration_frames) / timeline.fps - seconds_of(clip.origin)
        if duration_frames != clip.duration_frames or not clip.duration_written:
            changes.append(set_attr(clip, "data-duration", duration_text(end, start, clip)))
    if track is not None and (track != clip.track or not clip.track_written):
        _check_track(track)
        changes.append(set_attr(clip, "data-track-index", str(track)))
    if media_start is not None and media_start != clip.media_start:
        if not clip.is_media:
            raise EditRefused(f"Only video and audio clips have a media start; {NOTHING_CHANGED}.")
        if media_start < 0:
            raise EditRefused(f"The media start cannot be negative; {NOTHING_CHANGED}.")
        changes.append(set_attr(clip, "data-media-start", format_seconds(seconds_of(media_start))))
    if volume is not None and volume != clip.volume:
        if not clip.is_media:
            raise EditRefused(f"Only video and audio clips have a volume; {NOTHING_CHANGED}.")
        if not 0 <= volume <= 1:
            raise EditRefused(f"The volume goes from 0 to 1; {NOTHING_CHANGED}.")
        changes.append(set_attr(clip, "data-volume", format_seconds(seconds_of(volume))))
    return finish(
        timeline,
        f"Edit {clip.label}",
        changes,
        select=select,
        warnings=tuple(warnings),
        needs_confirmation=bool(warnings),
        aliases=aliases,
    )
