"""Hot reload: the studio follows every save made in the open project.

A :class:`ProjectWatcher` reports what changed; this controller re-lists the compositions
when the listing may differ, redoes the thumbnails of the compositions that depend on the
changed files, and reloads the preview (same frame, same play state) when the previewed
composition is one of them. A save that breaks the composition leaves the last good frame
on screen and shows the problem; the next good save recovers. No dialog ever opens.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from hyperframes_desktop.project import (
    CompositionInfo,
    ProjectError,
    list_compositions,
    load_composition,
)
from hyperframes_desktop.project.files import HTML_SUFFIXES
from hyperframes_desktop.project.watch import FileChanges, affected
from hyperframes_desktop.ui.project_watcher import ProjectWatcher


def _is_html(path: Path) -> bool:
    return path.suffix.lower() in HTML_SUFFIXES


if TYPE_CHECKING:
    from hyperframes_desktop.ui.main_window import MainWindow


class HotReload(QObject):
    reloaded = Signal(object)  # FileChanges, once lists, thumbnails and preview are updated
    problem = Signal(str)  # the previewed composition broke (the last good frame stays)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.watcher = ProjectWatcher(self)
        self.watcher.changed.connect(self.apply)
        self.watcher.own_changed.connect(self._on_own_changes)
        self.watcher.truncated.connect(self._on_truncated)
        self.broken: str | None = None  # the problem on screen, until a good save
        self.last_reload_s = 0.0  # time spent applying the last change (bench)
        # (root, relist, thumbnails): done once the reloaded preview shows its frame
        self._pending: tuple[Path, bool, bool] | None = None
        self._renamed_from: dict[Path, Path] = {}  # new name → old, for the last changes
        driver = window.preview.view.driver
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

    def reload_current(self) -> None:
        """Reload the previewed composition now, at the same frame: for the studio's own
        edits (the timeline's write-back), which the watcher deliberately does not report."""
        window = self.window
        info = window.project_panel.current_info()
        if window.project is None or info is None:
            return
        window.thumbnails.forget({info.path})
        if self._reload_preview(window.project, info.path):
            self._defer(window.project, relist=False, thumbnails=True)
        else:
            self._update_lists(window.project, info.path, relist=False, thumbnails=True)

    # ---- one burst of changes ---------------------------------------------------------
    def apply(self, changes: FileChanges) -> None:
        started = time.perf_counter()
        window = self.window
        root = window.project
        if root is None:
            return
        panel = window.project_panel
        info = panel.current_info()
        current = self._current_path(changes)
        known = [i.path for i in panel.infos]
        self._renamed_from = {new: old for old, new in changes.renamed}
        fresh = sorted(p for p in changes.paths if _is_html(p) and p not in known)
        files = self.watcher.snapshot.files if self.watcher.snapshot else {}
        hit = affected(known + fresh, changes, files)
        window.thumbnails.forget(hit)
        relist = changes.listing_changed or changes.touches_html()
        if not (relist or hit):  # a log, a render, a file nothing names: nothing to redo
            self.last_reload_s = time.perf_counter() - started
            self.reloaded.emit(changes)
            return
        wanted = current is not None and current in hit
        # The common save: the preview first; lists, thumbnails and problems once it shows.
        fast = wanted and info is not None and current == info.path and current.is_file()
        if fast and self._reload_preview(root, current):
            self._defer(root, relist=relist, thumbnails=relist or bool(hit))
        else:
            self._update_lists(
                root,
                current,
                relist=relist,
                thumbnails=relist or bool(hit),
                reload=wanted and not fast,
            )
        self.last_reload_s = time.perf_counter() - started
        self.reloaded.emit(changes)

    def _on_own_changes(self, changes: FileChanges) -> None:
        """The studio wrote these files itself (a timeline edit, which reloads the preview
        on its own): only the lists, thumbnails and problems catch up."""
        root = self.window.project
        if root is None:
            return
        known = [i.path for i in self.window.project_panel.infos]
        files = self.watcher.snapshot.files if self.watcher.snapshot else {}
        hit = affected(known, changes, files)
        if not hit:
            return
        self.window.thumbnails.forget(hit)
        relist = changes.listing_changed or changes.touches_html()
        if self.window.preview.curtain.isVisible():  # its reload is still loading: after it
            self._defer(root, relist=relist, thumbnails=True)
        else:
            info = self.window.project_panel.current_info()
            current = info.path if info is not None else None
            self._update_lists(root, current, relist=relist, thumbnails=True)

    def _defer(self, root: Path, *, relist: bool, thumbnails: bool) -> None:
        if self._pending is not None:  # a save while the last one still loads: do both
            _, was_relist, was_thumbnails = self._pending
            relist, thumbnails = relist or was_relist, thumbnails or was_thumbnails
        self._pending = (root, relist, thumbnails)

    def _after_shown(self, *_args: object) -> None:
        pending, self._pending = self._pending, None
        if pending is None or pending[0] != self.window.project:
            return
        root, relist, thumbnails = pending
        info = self.window.project_panel.current_info()
        current = info.path if info is not None else None
        self._update_lists(root, current, relist=relist, thumbnails=thumbnails)

    def _update_lists(
        self,
        root: Path,
        current: Path | None,
        *,
        relist: bool,
        thumbnails: bool,
        reload: bool = False,
    ) -> None:
        """Re-list the compositions, redo thumbnails, refresh problems; select another
        composition when the previewed one is gone, reload it when ``reload``."""
        window = self.window
        infos = window.project_panel.infos
        if relist:
            listed = self._relist(root, current)
            if listed is None:
                return
            infos = listed
        paths = [info.path for info in infos]
        if current is None or current not in paths:
            self._select_another(infos, current)
        elif reload:
            self._reload_preview(root, current)
        if thumbnails:
            window.thumbnails.request(root, [i.path for i in infos if not i.error])
        self._refresh_problems()

    def _current_path(self, changes: FileChanges) -> Path | None:
        info = self.window.project_panel.current_info()
        if info is None:
            return None
        renamed = dict(changes.renamed)
        return renamed.get(info.path, info.path)

    def _relist(self, root: Path, current: Path | None) -> list[CompositionInfo] | None:
        window = self.window
        try:
            infos = list_compositions(root)
        except ProjectError as exc:  # the project folder itself went away
            self._show_problem(str(exc))
            return None
        panel = window.project_panel
        panel.set_project(root, infos, None if infos else "This folder has no HTML compositions.")
        if current is not None:
            panel.list.blockSignals(True)  # keep the preview as it is: reloaded below if needed
            panel.select(current)
            panel.list.blockSignals(False)
        form = window.render_panel.form
        form.set_compositions(root, infos)
        if current is not None:
            form.select_composition(current)
        return infos

    def _select_another(self, infos: list[CompositionInfo], gone: Path | None) -> None:
        """The previewed file was removed: preview the first good composition instead."""
        window = self.window
        usable = [i for i in infos if not i.error] or infos
        if not usable:
            window.preview.show_error("This folder has no HTML compositions.")
            return
        if gone is not None:
            window.statusBar().showMessage(f"{gone.name} was removed.", 8000)
        window.project_panel.select(usable[0].path)  # selecting loads it, from frame 0

    def _reload_preview(self, root: Path, path: Path) -> bool:
        """True when a new page is loading into the preview."""
        try:
            comp = load_composition(root, path)
        except ProjectError as exc:
            self._show_problem(str(exc))
            return False
        if not self.window.preview.reload(comp, renamed_from=self._renamed_from.get(path)):
            return False
        if self.broken is not None:
            self.window.statusBar().showMessage(f"{path.name}: fixed, preview updated.", 5000)
        self.broken = None
        return True

    def _show_problem(self, text: str) -> None:
        """Listed in the Problems panel (refreshed after this), and shown under the stage
        and in the status bar; the last good frame stays on screen."""
        self.broken = text
        self.window.preview.show_note(text)
        self.problem.emit(text)

    def _refresh_problems(self) -> None:
        """The Problems panel checks the project again on every reload."""
        self.window.problems.refresh()

    def _on_truncated(self, count: int) -> None:
        self.window.statusBar().showMessage(
            f"This project folder is too large to follow entirely: hot reload watches its "
            f"first {count} files. Open the composition's own folder to follow every change.",
            10000,
        )
