"""The studio model: everything the studio window shows, in one Qt-free object.

Docks and controllers read its attributes and subscribe to ``model.events``; they change it
through its methods, never through each other. One model per window. Like napari's
``ViewerModel``: plain state plus an event group, no widget knows another widget.

=============  ==============================  ===================================================
event          value emitted                   when
=============  ==============================  ===================================================
project        ``Path | None``                 a project was opened (None: none; see
                                               ``project_error``)
compositions   ``list[CompositionInfo]``       the composition list was read (again)
current        ``CompositionInfo | None``      another composition became current; its
                                               ``composition`` or ``load_error`` is set
reloaded       :class:`ReloadPlan`             files changed on disk were applied
                                               (:meth:`apply_file_changes`)
timeline       ``Timeline | None``             the current composition's timeline was (re)built
selection      ``frozenset[str]``              the selected elements (timeline keys / ids) changed
frame          ``int``                         the playhead moved
playing        ``bool``                        playback started or stopped
marks          ``(in, out)`` frames or None    the in/out marks changed
variables      ``dict``                        the variable values the preview uses changed
problems       ``list``                        the problem list was checked again
jobs           ``list``                        render jobs were added, changed or removed
status         ``str``                         a sentence for the status bar
layers         ``(hidden, locked)`` id sets    elements hidden in the preview / locked on the
                                               stage (studio-only, never in the HTML); also
                                               when the timeline's track switches change
=============  ==============================  ===================================================

Setters emit only when the value really changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hyperframes_desktop.project import (
    Composition,
    CompositionInfo,
    ProjectError,
    list_compositions,
    load_composition,
)
from hyperframes_desktop.project.design.element_keys import file_label, is_source_key, key_file
from hyperframes_desktop.project.files import HTML_SUFFIXES
from hyperframes_desktop.project.timeline import EditHistory, Timeline
from hyperframes_desktop.project.watch import FileChanges, affected

from .events import EventGroup

EVENTS = (
    "project",
    "compositions",
    "current",
    "reloaded",
    "timeline",
    "selection",
    "frame",
    "playing",
    "marks",
    "variables",
    "problems",
    "jobs",
    "status",
    "layers",
)
NO_COMPOSITIONS = "This folder has no HTML compositions."


@dataclass(frozen=True)
class ReloadPlan:
    """What a burst of file changes means for the studio (see apply_file_changes)."""

    changes: FileChanges
    hit: frozenset[Path] = frozenset()  # compositions that may look different now
    relist: bool = False  # the composition list may differ
    current: Path | None = None  # the current composition's path, after renames
    renamed_from: Mapping[Path, Path] = field(default_factory=dict)  # new name -> old
    reload_current: bool = False  # the current composition must be shown again
    composition: Composition | None = None  # ... loaded again (reload_current, no error)
    error: str | None = None  # ... or why it does not load now (the last frame stays)

    @property
    def nothing_to_redo(self) -> bool:
        return not (self.relist or self.hit)


class StudioModel:
    """The open project and everything shown about it. Qt-free; call from one thread."""

    def __init__(self) -> None:
        self.events = EventGroup(*EVENTS)
        self.project: Path | None = None
        self.folder: Path | None = None  # the folder last asked for (even if it failed)
        self.project_error: str | None = None
        self.compositions: list[CompositionInfo] = []
        self.current: CompositionInfo | None = None
        self.composition: Composition | None = None
        self.load_error: str | None = None
        self.timeline: Timeline | None = None
        self.history = EditHistory()
        self.selection: frozenset[str] = frozenset()
        self.frame = 0
        self.playing = False
        self.marks: tuple[int | None, int | None] = (None, None)
        self.variables: dict[str, Any] = {}
        self.problems: list[Any] = []
        self.jobs: list[Any] = []
        self.status = ""
        self.hidden: frozenset[str] = frozenset()
        self.locked: frozenset[str] = frozenset()
        self.track_hidden: frozenset[str] = frozenset()  # by the timeline's Hide/Solo
        self.track_muted: frozenset[str] = frozenset()  # by the timeline's Mute/Solo
        #: lengths pages reported for roots without data-duration (HyperFrames takes such a
        #: composition's length from its registered timeline), by composition file
        self.page_lengths: dict[Path, float] = {}

    # ---- project and compositions --------------------------------------------------------
    def open_project(self, path: Path | str) -> bool:
        """List the project's compositions and make the first good one current. A folder
        that cannot be read leaves no project open, ``project_error`` saying why."""
        folder = Path(path).expanduser()
        self.folder = folder
        try:
            infos = list_compositions(folder)
        except ProjectError as exc:
            self._set_project(None, [], str(exc))
            return False
        root = folder.resolve()
        self.folder = root
        # a folder without compositions is shown with its sentence, but not opened
        self._set_project(root if infos else None, infos, None if infos else NO_COMPOSITIONS)
        ok = [i for i in infos if not i.error]
        first = ok[0] if ok else (infos[0] if infos else None)
        self.set_current(first.path if first is not None else None)
        return True

    def close_project(self) -> None:
        self._set_project(None, [], None)
        self.set_current(None)

    def _set_project(self, root: Path | None, infos: list[CompositionInfo], error: str | None):
        if root != self.project:
            self.page_lengths.clear()
            self.history.clear()
            self.history.project_root = root
            self.set_selection(())
        self.project = root
        self.project_error = error
        self.compositions = list(infos)
        self.events.project.emit(root)
        self.events.compositions.emit(self.compositions)
        if error:
            self.set_status(error)

    def info(self, path: Path | None) -> CompositionInfo | None:
        return next((i for i in self.compositions if i.path == path), None)

    def set_current(self, path: Path | None) -> None:
        """Make ``path`` current (loaded from disk now; None: nothing current)."""
        info = self.info(path)
        self.current = info
        self.composition, self.load_error = None, None
        if info is not None:
            if info.error or self.project is None:
                self.load_error = info.error or "This composition cannot be opened."
            else:
                try:
                    self.composition = self._load(info.path)
                except ProjectError as exc:
                    self.load_error = str(exc)
        self.set_selection(())
        self.events.current.emit(info)

    def refresh_compositions(self) -> list[CompositionInfo] | None:
        """Read the composition list again (the current one stays current, not reloaded).
        None when the project folder itself cannot be read any more."""
        if self.project is None:
            return None
        try:
            infos = list_compositions(self.project)
        except ProjectError as exc:
            self.load_error = str(exc)
            self.set_status(str(exc))
            return None
        self.compositions = infos
        current = self.current.path if self.current is not None else None
        self.current = self.info(current)
        self.events.compositions.emit(self.compositions)
        return infos

    def reload_current(self) -> Composition | None:
        """Load the current composition from disk again (``load_error`` says why not)."""
        if self.project is None or self.current is None:
            return None
        try:
            comp = self._load(self.current.path)
        except ProjectError as exc:
            self.load_error = str(exc)
            return None
        self.composition, self.load_error = comp, None
        return comp

    def _load(self, path: Path) -> Composition:
        assert self.project is not None
        return load_composition(self.project, path, duration=self.page_lengths.get(path))

    def page_length(self, path: Path | None) -> float | None:
        """The length the page of ``path`` reported (its root has no data-duration)."""
        return self.page_lengths.get(path) if path is not None else None

    def set_page_length(self, path: Path, seconds: float) -> bool:
        """The preview's page of ``path`` (a root without data-duration) reported its length:
        remembered, and the current composition loaded again with it. True when the length
        changed (the preview and the timeline then show the composition again)."""
        if not seconds > 0 or abs(self.page_lengths.get(path, -1.0) - seconds) < 1e-6:
            return False
        self.page_lengths[path] = float(seconds)
        if self.current is not None and self.current.path == path:
            self.reload_current()
        return True

    # ---- hot reload ----------------------------------------------------------------------
    def plan_file_changes(self, changes: FileChanges, files: Iterable[Path] = ()) -> ReloadPlan:
        """What ``changes`` mean, without changing anything (see apply_file_changes)."""
        known = [i.path for i in self.compositions]
        renamed = {new: old for old, new in changes.renamed}
        current = self.current.path if self.current is not None else None
        if current is not None:
            current = dict(changes.renamed).get(current, current)
        fresh = sorted(
            p for p in changes.paths if p.suffix.lower() in HTML_SUFFIXES and p not in known
        )
        hit = frozenset(affected(known + fresh, changes, files))
        relist = changes.listing_changed or changes.touches_html()
        wanted = current is not None and current in hit and current.is_file()
        return ReloadPlan(changes, hit, relist, current, renamed, wanted)

    def apply_file_changes(self, changes: FileChanges, files: Iterable[Path] = ()) -> ReloadPlan:
        """Files changed on disk (reported by the project watcher): the current composition
        is loaded again when it may look different (``plan.composition``, or ``plan.error``
        with the last good one kept), a renamed current file stays current under its new
        name. Emits ``reloaded`` with the plan; the composition list is read again by
        :meth:`refresh_compositions` when ``plan.relist`` (the UI does that once the new
        frame shows, so a save reaches the screen first)."""
        plan = self.plan_file_changes(changes, files)
        if self.project is None:
            return plan
        current = self.current
        if plan.current is not None and current is not None and plan.current != current.path:
            self.current = replace(current, path=plan.current)  # renamed: the same one
        if plan.reload_current:
            comp = self.reload_current()
            plan = replace(plan, composition=comp, error=None if comp else self.load_error)
        self._forget_moved_elements(changes)
        self.events.reloaded.emit(plan)
        return plan

    def _forget_moved_elements(self, changes: FileChanges) -> None:
        """Another program changed a file: elements selected in it by their place (id-less
        ones, by source key) may not be where they were, so they leave the selection rather
        than have an edit land on whatever sits there now. Ids stay selected."""
        if self.project is None:
            return
        changed = {file_label(self.project, path) for path in changes.paths}
        stale = {k for k in self.selection if is_source_key(k) and key_file(k) in changed}
        if stale:
            self.set_selection(self.selection - stale)

    # ---- timeline, selection, playback --------------------------------------------------
    def set_timeline(self, timeline: Timeline | None) -> None:
        self.timeline = timeline
        self.events.timeline.emit(timeline)

    def set_selection(self, keys: Iterable[str]) -> None:
        keys = frozenset(keys)
        if keys != self.selection:
            self.selection = keys
            self.events.selection.emit(keys)

    def set_frame(self, frame: int) -> None:
        if frame != self.frame:
            self.frame = frame
            self.events.frame.emit(frame)

    def set_playing(self, playing: bool) -> None:
        if playing != self.playing:
            self.playing = playing
            self.events.playing.emit(playing)

    def set_marks(self, in_frame: int | None, out_frame: int | None) -> None:
        marks = (in_frame, out_frame)
        if marks != self.marks:
            self.marks = marks
            self.events.marks.emit(marks)

    def set_variables(self, values: Mapping[str, Any]) -> None:
        values = dict(values)
        if values != self.variables:
            self.variables = values
            self.events.variables.emit(values)

    def set_problems(self, problems: Iterable[Any]) -> None:
        self.problems = list(problems)
        self.events.problems.emit(self.problems)

    def set_jobs(self, jobs: Iterable[Any]) -> None:
        self.jobs = list(jobs)
        self.events.jobs.emit(self.jobs)

    def set_layers(self, hidden: Iterable[str], locked: Iterable[str]) -> None:
        """Studio-only: ids hidden in the preview and ids the stage will not select."""
        hidden, locked = frozenset(hidden), frozenset(locked)
        if (hidden, locked) != (self.hidden, self.locked):
            self.hidden, self.locked = hidden, locked
            if locked & self.selection:
                self.set_selection(self.selection - locked)
            self.events.layers.emit((hidden, locked))

    def set_track_hidden(self, ids: Iterable[str]) -> None:
        """Preview-only: ids on tracks the timeline hides (Hide, or another track's Solo)."""
        ids = frozenset(ids)
        if ids != self.track_hidden:
            self.track_hidden = ids
            self.events.layers.emit((self.hidden, self.locked))

    def set_track_muted(self, ids: Iterable[str]) -> None:
        """Preview-only: media ids on tracks the timeline mutes (Mute, or another's Solo)."""
        ids = frozenset(ids)
        if ids != self.track_muted:
            self.track_muted = ids
            self.events.layers.emit((self.hidden, self.locked))

    def preview_hidden(self) -> frozenset[str]:
        """Everything the preview hides: the Layers dock's and the tracks'."""
        return self.hidden | self.track_hidden

    def set_status(self, text: str) -> None:
        self.status = text
        self.events.status.emit(text)
