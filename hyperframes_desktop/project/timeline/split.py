"""Split a clip at a frame: the element stays as the first half and a byte copy of it, with
fresh ids, becomes the second half.

What is rewritten: the original's ``data-duration`` (it now ends at the split); the copy's
``data-start`` (the split time; a relative start stays relative to the same clip, with a
larger offset), ``data-duration`` (when written), ``data-media-start`` /
``data-playback-start`` (so the same source frame stays at the same time) and every ``id``
inside the copy (made unique); clips whose relative start pointed at the original's END now
point at the copy, which ends there.

Decision on id selectors: when CSS or a script selects the element (or an element inside
it) by id, the copy — which needs a new id — would lose those styles and animations and the
video would change. The split then carries a warning and ``needs_confirmation``; the
write-back refuses it until the user confirms.
"""

from __future__ import annotations

from fractions import Fraction

from ..scanner import scan
from .changes import Change, Edit, EditRefused, InsertCopy, SetAttribute, decode_source
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
    set_attr,
    sibling_clips,
    start_value,
    taken_ids,
    unique_id,
)
from .model import Timeline, TimelineClip
from .times import format_seconds


def _inner_elements(timeline: Timeline, clip: TimelineClip):
    text, _ = decode_source(timeline.sources[clip.file])
    elements = scan(text)
    element = next(e for e in elements if e.span[0] == clip.element_start)
    inside = [element]
    for other in elements[element.index + 1 :]:
        parent = other.parent
        while parent is not None and parent != element.index:
            parent = elements[parent].parent
        if parent is None:
            break
        inside.append(other)
    return inside


def split_clip(timeline: Timeline, key: str, frame: int) -> Edit:
    """Split the clip at root ``frame``: the first half keeps frames before it, the copy the
    frame itself and those after."""
    clip = get_clip(timeline, key)
    if not clip.start_frame < frame < clip.end_frame:
        raise EditRefused(
            f"Put the playhead inside {describe(clip)} (frames {clip.start_frame + 1}-"
            f"{clip.end_frame - 1}) to split it ({NOTHING_CHANGED})."
        )
    inside = _inner_elements(timeline, clip)
    for element in inside[1:]:
        if "clip" in element.classes() or "data-start" in element.attrs:
            raise EditRefused(
                f"{describe(clip)} contains other timed elements, so it cannot be split; "
                f"split the clips inside it instead ({NOTHING_CHANGED})."
            )
    old_start = current_start(timeline, clip)
    at = start_value(timeline, clip, frame)
    changes: list[Change] = [
        set_attr(clip, "data-duration", duration_text(at.resolved, old_start, clip))
    ]
    copy: list[SetAttribute] = []

    def on_copy(element_start: int, name: str, value: str | None) -> None:
        copy.append(SetAttribute(clip.file, element_start, name, value))

    on_copy(clip.element_start, "data-start", at.text)
    if clip.duration_written:
        on_copy(
            clip.element_start, "data-duration", duration_text(local_end(clip), at.resolved, clip)
        )
    shift = media_shift(clip, old_start, at.resolved)
    if shift is not None:
        on_copy(clip.element_start, *shift)

    taken = taken_ids(timeline.sources)
    targeted: list[str] = []
    copy_id = None
    for element in inside:
        element_id = element.attrs.get("id")
        if not element_id:
            continue
        new_id = unique_id(element_id, taken)
        on_copy(element.span[0], "id", new_id)
        if element.span[0] == clip.element_start:
            copy_id = new_id
        if id_selectors(timeline.sources, element_id):
            targeted.append(element_id)
    if clip.id and copy_id:
        for other in sibling_clips(timeline, clip):
            if other.start_ref and other.start_ref.ref == clip.id:
                changes.append(
                    set_attr(other, "data-start", retarget_start(other.raw_start, clip.id, copy_id))
                )
    changes.append(InsertCopy(clip.file, clip.element_start, tuple(copy)))

    warnings: tuple[str, ...] = ()
    if targeted:
        names = ", ".join(f'"#{name}"' for name in targeted)
        warnings = (
            f"CSS or a script selects {names}. The second half of the split needs a new id, "
            "so those styles and animations would apply to the first half only and the video "
            f"would change from {format_seconds(Fraction(frame) / timeline.fps)} s on. Select "
            "the element by a class instead, or split anyway.",
        )
    prefix = key[: len(key) - len(key.rsplit("/", 1)[-1])]
    copy_key = prefix + copy_id if copy_id else key
    return finish(
        timeline,
        f"Split {clip.label}",
        changes,
        select=copy_key,
        warnings=warnings,
        needs_confirmation=bool(warnings),
        aliases={copy_key: key},
    )
