"""The Problems panel: the checker's findings for the open composition, plus the preview
page's script and console errors, each with file:line.

Clicking a problem about a clip asks for that clip (``clip_requested``); any other
problem, or a double-click, opens the file at that line in the user's editor. The checker
runs on a pool thread (``refresh()``); a newer refresh makes older results stale.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop.page_delivery import local_path
from hyperframes_desktop.project import Composition
from hyperframes_desktop.project.errors import display_name
from hyperframes_desktop.project.problems import Problem, check_project, summarize, timed_ids
from hyperframes_desktop.ui.background import Reporter, start_task
from hyperframes_desktop.ui.open_in_editor import open_in_editor

_PROBLEM_ROLE = Qt.ItemDataRole.UserRole
_SCRIPT_FIX = "correct the script at that line; the preview reloads when you save"


def counts_text(problems: list[Problem]) -> str:
    """``2 errors, 1 warning``, or ``No problems``."""
    text = summarize(problems)
    return text[:1].upper() + text[1:] if not problems else text


def _check(
    generation: int,
    project: Path,
    composition: Path | None,
    variables: dict | None,
    report: Reporter,
) -> None:
    """``check_project`` on a pool thread (it reads every file and media header); sends
    ``done`` with the generation, the problems and the timed clip ids."""
    shown = str(composition) if composition is not None else None
    clips: set[str] = set()
    try:
        problems = check_project(project, shown, variables)
        clips = timed_ids(project, shown)
    except Exception as exc:  # the panel must never take the studio down
        where = shown or str(project)
        problems = [Problem("error", where, None, None, f"The check stopped: {exc}", "", None)]
    report.send("done", generation, problems, clips)


class ProblemsPanel(QWidget):
    clip_requested = Signal(str)  # element id of the clip a problem is about
    counts_changed = Signal(str)  # "2 errors, 1 warning" (for the status bar)
    checked = Signal()  # a refresh finished and its findings are shown
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Path | None = None
        self.composition: Path | None = None
        self.variables: dict | None = None
        self._found: list[Problem] = []
        self._page_errors: list[Problem] = []
        self._clip_ids: set[str] = set()
        self._generation = 0
        self._page: QWebEnginePage | None = None
        self.pool = QThreadPool.globalInstance()

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Problem", "Location"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setToolTip(
            "Click: select the clip (or open the file). Double-click: open the file at that line"
        )
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.fix_label = QLabel()
        self.fix_label.setWordWrap(True)
        self.fix_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.fix_label)
        self.tree.itemClicked.connect(self._on_clicked)
        self.tree.itemDoubleClicked.connect(self._on_activated)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.tree)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._open_current)
        self.tree.currentItemChanged.connect(self._on_current)
        self._show()

    # ---- public -------------------------------------------------------------------------
    def set_target(
        self, project: Path | None, composition: Path | None, variables: dict | None = None
    ) -> None:
        """Check ``composition`` of ``project`` from now on (None: nothing open)."""
        self.project = project
        self.composition = composition
        self.variables = variables
        self.refresh()

    def set_variables(self, values: dict | None) -> None:
        """Check these variable values (the variables panel's) against the schema too."""
        self.variables = values
        self.refresh()

    def refresh(self) -> None:
        """Run the checker again (on a pool thread); page errors stay until the next load."""
        self._generation += 1
        if self.project is None:
            self._found = []
            self._clip_ids = set()
            self._show()
            self.checked.emit()
            return
        composition = self.composition
        if composition is not None and not composition.exists():
            composition = None  # renamed or removed meanwhile: check the whole project
        generation, project, variables = self._generation, self.project, self.variables
        start_task(
            lambda report: _check(generation, project, composition, variables, report),
            context=self,
            pool=self.pool,
            done=self._on_checked,
        )

    def shutdown(self) -> None:
        """The window is closing: a check still running reports to no one."""
        self._generation += 1

    def watch_page(self, page: QWebEnginePage) -> None:
        """Show ``page``'s script errors; each new load of the page clears the old ones."""
        self._page = page
        page.console_error.connect(self.add_page_error)
        page.loadStarted.connect(self.clear_page_errors)

    def add_page_error(self, message: str, source: str, line: int) -> None:
        problem = Problem(
            "error",
            self._page_file(source),
            line if line > 0 else None,
            None,
            f"Script error in the preview: {message}",
            _SCRIPT_FIX,
            None,
        )
        if problem not in self._page_errors:
            self._page_errors.append(problem)
            self._show()

    def clear_page_errors(self) -> None:
        if self._page_errors:
            self._page_errors = []
            self._show()

    def problems(self) -> list[Problem]:
        """What the panel shows: the checker's findings, then the page's errors."""
        return [*self._found, *self._page_errors]

    def counts(self) -> str:
        return counts_text(self.problems())

    # ---- results ------------------------------------------------------------------------
    def _on_checked(self, generation: int, problems: object, clips: object) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        self._found = list(problems)  # type: ignore[call-overload]
        self._clip_ids = set(clips)  # type: ignore[call-overload]
        self._show()
        self.checked.emit()

    def _show(self) -> None:
        self.tree.clear()
        style = self.style()
        icons = {
            "error": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical),
            "warning": style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning),
        }
        for problem in self.problems():
            item = QTreeWidgetItem([problem.message, problem.location()])
            item.setIcon(0, icons[problem.severity])
            item.setData(0, _PROBLEM_ROLE, problem)
            tip = problem.text()
            item.setToolTip(0, tip)
            item.setToolTip(1, tip)
            if problem.is_error:
                item.setForeground(1, QColor(200, 40, 40))
            self.tree.addTopLevelItem(item)
        self.fix_label.setText("" if self.problems() else "No problems found.")
        self.counts_changed.emit(self.counts())

    # ---- interaction --------------------------------------------------------------------
    @staticmethod
    def _problem(item: QTreeWidgetItem | None) -> Problem | None:
        if item is None:
            return None
        value = item.data(0, _PROBLEM_ROLE)
        return value if isinstance(value, Problem) else None

    def _on_current(self, item: QTreeWidgetItem | None, _previous: object) -> None:
        problem = self._problem(item)
        if problem is not None:
            self.fix_label.setText(f"Fix: {problem.fix}" if problem.fix else "")

    def _on_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        problem = self._problem(item)
        if problem is None:
            return
        if problem.element_id and problem.element_id in self._clip_ids:
            self.clip_requested.emit(problem.element_id)
        else:  # not about a clip (the root, an image …): show the line instead
            self.open_problem(problem)

    def _open_current(self) -> None:
        self._on_activated(self.tree.currentItem(), 0)

    def _on_activated(self, item: QTreeWidgetItem | None, _column: int) -> None:
        problem = self._problem(item)
        if problem is not None:
            self.open_problem(problem)

    def open_problem(self, problem: Problem) -> None:
        """Open the problem's file at its line in the user's editor."""
        path = self._path_of(problem)
        if path is None:
            self.status_message.emit(f"{problem.file} is not a file of the project.")
            return
        trouble = open_in_editor(path, problem.line)
        self.status_message.emit(trouble or f"Opened {problem.location()} in the editor.")

    def _path_of(self, problem: Problem) -> Path | None:
        candidate = Path(problem.file)
        if not candidate.is_absolute() and self.project is not None:
            candidate = self.project / candidate
        return candidate if candidate.is_file() else None

    def _page_file(self, source: str) -> str:
        """The user's file a console message comes from: the compiled page is the open
        composition (its lines are the file's lines); other project files are shown
        relative to the project."""
        url = QUrl(source)
        page_url = self._page.url() if self._page is not None else QUrl()
        local = local_path(url)
        if self.composition is not None and local and local == local_path(page_url):
            return display_name(self.composition, self.project)
        if local and self.project is not None:
            path = Path(local)
            if path.is_relative_to(self.project):
                return display_name(path, self.project)
        return source.rsplit("/", 1)[-1] or "preview page"


def clip_frame(comp: Composition | None, element_id: str) -> int | None:
    """The frame where the clip (or media element, or host) ``element_id`` starts on the
    root timeline, looking into sub-compositions; None when there is no such element."""
    if comp is None:
        return None

    def find(c: Composition, origin: float) -> float | None:
        for clip in [*c.clips, *c.media, *c.hosts]:
            if clip.element_id == element_id:
                return origin + clip.start
        for host in c.hosts:
            found = find(host.child, origin + host.start - host.playback_start)
            if found is not None:
                return found
        return None

    start = find(comp, 0.0)
    if start is None:
        return None
    return min(comp.frame_count - 1, max(0, math.floor(start * float(comp.fps) + 1e-6)))
