"""Hot reload: the studio follows every save made in the open project.

A :class:`ProjectWatcher` reports what changed and feeds ``model.apply_file_changes``; the
model decides what the changes mean (and loads the current composition again). This
component subscribes to the model's ``reloaded`` event and brings the screen along: the
preview first (same frame, same play state), then, once the new frame shows, the composition
list, the thumbnails of the compositions that depend on the changed files, and the Problems
panel. A save that breaks the composition leaves the last good frame on screen and shows the
problem; the next good save recovers. No dialog ever opens.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from hyperframes_desktop.project import CompositionInfo
from hyperframes_desktop.project.watch import FileChanges, affected
from hyperframes_desktop.studio_model import NO_COMPOSITIONS, ReloadPlan, StudioModel
from hyperframes_desktop.ui.project_watcher import ProjectWatcher

if TYPE_CHECKING:
    from hyperframes_desktop.ui.preview.panel import PreviewPanel
    from hyperframes_desktop.ui.thumbnails import ThumbnailMaker


class HotReload(QObject):
    reloaded = Signal(object)  # FileChanges, once lists, thumbnails and preview are updated
    problem = Signal(str)  # the previewed composition broke (the last good frame stays)

    def __init__(
        self,
        model: StudioModel,
        preview: PreviewPanel,
        thumbnails: ThumbnailMaker,
        refresh_problems: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.preview = preview
        self.thumbnails = thumbnails
        self._refresh_problems = refresh_problems
        self.watcher = ProjectWatcher(self)
        self.watcher.changed.connect(self.apply)
        self.watcher.own_changed.connect(self._on_own_changes)
        self.watcher.truncated.connect(self._on_truncated)
        self.broken: str | None = None  # the problem on screen, until a good save
        self.last_reload_s = 0.0  # time spent applying the last change (bench)
        self._started = 0.0
        # (root, relist, thumbnails): done once the reloaded preview shows its frame
        self._pending: tuple[Path, bool, bool] | None = None
        model.events.reloaded.connect(self._on_reloaded)
        model.events.project.connect(self.watch)
        driver = preview.view.driver
        driver.frame_shown.connect(self._after_shown)
        driver.failed.connect(self._after_shown)

    def watch(self, root: Path | None) -> None:
        self.broken = None
        self._pending = None
        self.watcher.watch(root)

    def shutdown(self) -> None:
        """The window is closing: stop watching; nothing pending is applied any more."""
        self.watcher.stop()
        self._pending = None
        self.model.events.reloaded.disconnect(self._on_reloaded)
        self.model.events.project.disconnect(self.watch)

    def reload_current(self) -> None:
        """Reload the previewed composition now, at the same frame: for the studio's own
        edits (the timeline's write-back), which the watcher deliberately does not report."""
        model = self.model
        if model.project is None or model.current is None:
            return
        path = model.current.path
        self.thumbnails.forget({path})
        comp = model.reload_current()
        if comp is None:
            self._show_problem(model.load_error or "")
            self._update_lists(model.project, path, relist=False, thumbnails=True)
        elif self._show(comp):
            self._defer(model.project, relist=False, thumbnails=True)
        else:
            self._update_lists(model.project, path, relist=False, thumbnails=True)

    # ---- one burst of changes ---------------------------------------------------------
    def apply(self, changes: FileChanges) -> None:
        """The watcher's report: the model decides, :meth:`_on_reloaded` follows."""
        self._started = time.perf_counter()
        files = self.watcher.snapshot.files if self.watcher.snapshot else {}
        self.model.apply_file_changes(changes, files)

    def _on_reloaded(self, plan: ReloadPlan) -> None:
        root = self.model.project
        if root is None:
            return
        started = self._started or time.perf_counter()
        self._started = 0.0
        self.thumbnails.forget(plan.hit)
        if plan.nothing_to_redo:  # a log, a render, a file nothing names: nothing to redo
            self.last_reload_s = time.perf_counter() - started
            self.reloaded.emit(plan.changes)
            return
        renamed = plan.current in plan.renamed_from
        thumbnails = plan.relist or bool(plan.hit)
        if plan.reload_current and plan.composition is None:
            self._show_problem(plan.error or "")
            self._update_lists(root, plan.current, relist=plan.relist, thumbnails=thumbnails)
        elif plan.reload_current and not renamed and self._show(plan.composition):
            # The common save: the preview first; lists, thumbnails and problems once it shows.
            self._defer(root, relist=plan.relist, thumbnails=thumbnails)
        else:
            self._update_lists(root, plan.current, relist=plan.relist, thumbnails=thumbnails)
            if plan.reload_current and renamed and plan.composition is not None:
                self._show(plan.composition, renamed_from=plan.renamed_from.get(plan.current))
        self.last_reload_s = time.perf_counter() - started
        self.reloaded.emit(plan.changes)

    def _on_own_changes(self, changes: FileChanges) -> None:
        """The studio wrote these files itself (a timeline edit, which reloads the preview
        on its own): only the lists, thumbnails and problems catch up."""
        model = self.model
        root = model.project
        if root is None:
            return
        known = [i.path for i in model.compositions]
        files = self.watcher.snapshot.files if self.watcher.snapshot else {}
        hit = affected(known, changes, files)
        if not hit:
            return
        self.thumbnails.forget(hit)
        relist = changes.listing_changed or changes.touches_html()
        if self.preview.curtain.isVisible():  # its reload is still loading: after it
            self._defer(root, relist=relist, thumbnails=True)
        else:
            current = model.current.path if model.current is not None else None
            self._update_lists(root, current, relist=relist, thumbnails=True)

    def _defer(self, root: Path, *, relist: bool, thumbnails: bool) -> None:
        if self._pending is not None:  # a save while the last one still loads: do both
            _, was_relist, was_thumbnails = self._pending
            relist, thumbnails = relist or was_relist, thumbnails or was_thumbnails
        self._pending = (root, relist, thumbnails)

    def _after_shown(self, *_args: object) -> None:
        pending, self._pending = self._pending, None
        if pending is None or pending[0] != self.model.project:
            return
        root, relist, thumbnails = pending
        current = self.model.current.path if self.model.current is not None else None
        self._update_lists(root, current, relist=relist, thumbnails=thumbnails)

    def _update_lists(
        self, root: Path, current: Path | None, *, relist: bool, thumbnails: bool
    ) -> None:
        """Re-list the compositions, redo thumbnails, refresh problems; make another
        composition current when the previewed one is gone."""
        infos = self.model.compositions
        if relist:
            listed = self.model.refresh_compositions()
            if listed is None:  # the project folder itself went away
                self._show_problem(self.model.load_error or "")
                return
            infos = listed
        if current is None or current not in [info.path for info in infos]:
            self._select_another(infos, current)
        if thumbnails:
            self.thumbnails.request(root, [i.path for i in infos if not i.error])
        self._refresh_problems()

    def _select_another(self, infos: list[CompositionInfo], gone: Path | None) -> None:
        """The previewed file was removed: preview the first good composition instead."""
        usable = [i for i in infos if not i.error] or infos
        if not usable:
            self.preview.show_error(NO_COMPOSITIONS)
            return
        if gone is not None:
            self.model.set_status(f"{gone.name} was removed.")
        self.model.set_current(usable[0].path)  # shown from frame 0

    def _show(self, comp, renamed_from: Path | None = None) -> bool:
        """True when a new page is loading into the preview."""
        if not self.preview.reload(comp, renamed_from=renamed_from):
            return False
        if self.broken is not None:
            self.model.set_status(f"{comp.path.name}: fixed, preview updated.")
        self.broken = None
        return True

    def _show_problem(self, text: str) -> None:
        """Listed in the Problems panel (refreshed after this), and shown under the stage
        and in the status bar; the last good frame stays on screen."""
        self.broken = text
        self.preview.show_note(text)
        self.problem.emit(text)

    def _on_truncated(self, count: int) -> None:
        self.model.set_status(
            f"This project folder is too large to follow entirely: hot reload watches its "
            f"first {count} files. Open the composition's own folder to follow every change."
        )
