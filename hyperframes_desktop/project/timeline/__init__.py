"""The timeline model: tracks and clips resolved as the renderer resolves them, pure edit
operations that map to minimal attribute changes, snapping, surgical write-back and undo.

Qt-free (standard library only). Typical use::

    timeline = build_timeline(project_folder)
    edit = move_clip(timeline, "intro", start_frame=48, track=1)   # or EditRefused
    applied = apply_edit(edit, timeline)                          # or FileChangedError
    history.record(applied)
    timeline = build_timeline(project_folder)                     # re-read after writing
"""

from .build import build_timeline, rebuild_with
from .changes import Change, Edit, EditRefused, InsertCopy, RemoveElement, SetAttribute
from .history import EditHistory, HistoryEntry
from .model import ClipKind, StartRef, Timeline, TimelineClip, Track, frame_at
from .operations import (
    delete_clip,
    move_clip,
    nudge_clip,
    nudge_clips,
    set_clip_properties,
    trim_end,
    trim_start,
)
from .snapping import Snap, snap_frame, snap_move, snap_points
from .split import split_clip
from .writeback import (
    AppliedEdit,
    ConfirmationRequired,
    FileChangedError,
    FileWrite,
    apply_edit,
    atomic_write,
)

__all__ = [
    "AppliedEdit",
    "Change",
    "ClipKind",
    "ConfirmationRequired",
    "Edit",
    "EditHistory",
    "EditRefused",
    "FileChangedError",
    "FileWrite",
    "HistoryEntry",
    "InsertCopy",
    "RemoveElement",
    "SetAttribute",
    "Snap",
    "StartRef",
    "Timeline",
    "TimelineClip",
    "Track",
    "apply_edit",
    "atomic_write",
    "build_timeline",
    "delete_clip",
    "frame_at",
    "move_clip",
    "nudge_clip",
    "nudge_clips",
    "rebuild_with",
    "set_clip_properties",
    "snap_frame",
    "snap_move",
    "snap_points",
    "split_clip",
    "trim_end",
    "trim_start",
]
