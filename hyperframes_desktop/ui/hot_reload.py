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
from hyperframes_desktop.project.watch import FileChanges, affected
from hyperframes_desktop.ui.project_watcher import ProjectWatcher

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
        self.watcher.truncated.connect(self._on_truncated)
        self.broken: str | None = None  # the problem on screen, until a good save
        self.last_reload_s = 0.0  # time spent applying the last change (bench)
        self._thumbs: tuple[Path, list[Path]] | None = None  # made once the preview shows
        window.preview.view.driver.frame_shown.connect(self._flush_thumbnails)

    def watch(self, root: Path | None) -> None:
        self.broken = None
        self.watcher.watch(root)

    def reload_current(self) -> None:
        """Reload the previewed composition now, at the same frame: for the studio's own
        edits (the timeline's write-back), which the watcher deliberately does not report."""
        window = self.window
        info = window.project_panel.current_info()
        if window.project is None or info is None:
            return
        window.thumbnails.forget({info.path})
        self._thumbs = (window.project, [i.path for i in window.project_panel.infos if not i.error])
        if not self._reload_preview(window.project, info.path):
            self._flush_thumbnails()
        self._refresh_problems()

    # ---- one burst of changes ---------------------------------------------------------
    def apply(self, changes: FileChanges) -> None:
        started = time.perf_counter()
        window = self.window
        root = window.project
        if root is None:
            return
        current = self._current_path(changes)
        infos = window.project_panel.infos
        relisted = changes.listing_changed or changes.touches_html()
        if relisted:
            listed = self._relist(root, current)
            if listed is None:
                return
            infos = listed
        paths = [info.path for info in infos]
        files = self.watcher.snapshot.files if self.watcher.snapshot else {}
        hit = affected(paths, changes, files)
        window.thumbnails.forget(hit)
        if relisted or hit:
            self._thumbs = (root, [i.path for i in infos if not i.error])
        reloading = False
        if current is None or current not in paths:
            self._select_another(infos, current)
        elif current in hit or window.preview.composition is None:
            reloading = self._reload_preview(root, current)
        if not reloading:
            self._flush_thumbnails()  # else once the preview shows its frame: no contention
        self._refresh_problems()
        self.last_reload_s = time.perf_counter() - started
        self.reloaded.emit(changes)

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
        if not self.window.preview.reload(comp):
            return False
        if self.broken is not None:
            self.window.statusBar().showMessage(f"{path.name}: fixed, preview updated.", 5000)
        self.broken = None
        return True

    def _flush_thumbnails(self, *_args: object) -> None:
        if self._thumbs is not None:
            root, paths = self._thumbs
            self._thumbs = None
            self.window.thumbnails.request(root, paths)

    def _show_problem(self, text: str) -> None:
        """Shown under the stage and in the status bar; the last good frame stays."""
        self.broken = text
        self.window.preview.show_note(text)
        self.problem.emit(text)

    def _refresh_problems(self) -> None:
        """Where the Problems panel is refreshed on every reload."""
        panel = getattr(self.window, "problems_panel", None)
        if panel is not None:
            panel.refresh()

    def _on_truncated(self, count: int) -> None:
        self.window.statusBar().showMessage(
            f"This project folder has more than {count} files: hot reload watches only the "
            "first ones. Open the composition's own folder to follow every change.",
            10000,
        )
