"""The render panel: the settings form above the queue of jobs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop.project import CompositionInfo
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui import desktop
from hyperframes_desktop.ui.renders.farm_link import farm_choice
from hyperframes_desktop.ui.renders.form import RenderForm
from hyperframes_desktop.ui.renders.job_row import JobRow, format_duration
from hyperframes_desktop.ui.renders.queue import RenderQueue
from hyperframes_desktop.ui.renders.record import JobRecord
from hyperframes_desktop.ui.store import FarmPrefs, RenderSettings


class RenderPanel(QWidget):
    status_message = Signal(str)

    def __init__(self, queue: RenderQueue, settings: RenderSettings) -> None:
        super().__init__()
        self.queue = queue
        self.form = RenderForm(settings)
        #: (project, composition file) → the variable values a render of it uses.
        self.variables_for: Callable[[Path, Path], dict | None] | None = None
        self.rows: dict[str, JobRow] = {}
        self._rows_box = QVBoxLayout()
        self._rows_box.setContentsMargins(0, 0, 0, 0)
        self.empty_hint = QLabel("Rendered videos appear here.")
        self.empty_hint.setStyleSheet("color: palette(placeholder-text); padding: 8px;")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._rows_box.addWidget(self.empty_hint)
        self._rows_box.addStretch(1)
        holder = QWidget()
        holder.setLayout(self._rows_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.clear_button = QPushButton("Clear Finished")
        self.clear_button.setToolTip("Remove finished, failed and cancelled jobs from the list")
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self._clear_finished)
        header = QHBoxLayout()
        header.addWidget(QLabel("Queue"), 1)
        header.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.form)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)
        self.form.render_requested.connect(self._on_render_requested)
        queue.job_added.connect(self._add_row)
        queue.job_updated.connect(self._update_row)
        queue.job_removed.connect(self._remove_row)
        for job in queue.jobs.values():
            self._add_row(job)
        self._update_last_render()

    def bind_model(self, model: StudioModel) -> None:
        """The form lists the model's compositions and follows the current one; the model
        knows the render jobs."""
        self._model = model
        model.events.compositions.connect(self._on_model_compositions)
        model.events.current.connect(self._on_model_current)
        for signal in (self.queue.job_added, self.queue.job_updated, self.queue.job_removed):
            signal.connect(self._jobs_to_model)
        model.set_jobs(self.queue.jobs.values())

    def _on_model_compositions(self, infos: list[CompositionInfo]) -> None:
        self.form.set_compositions(self._model.project, infos)
        self._on_model_current(self._model.current)

    def _on_model_current(self, info: CompositionInfo | None) -> None:
        if info is not None and not info.error:
            self.form.select_composition(info.path)

    def _jobs_to_model(self, *_args: object) -> None:
        self._model.set_jobs(self.queue.jobs.values())

    def start_render(self) -> JobRecord | None:
        """Queue the form's composition with the form's settings."""
        info = self.form.current_composition()
        project = self.form.project
        if info is None or project is None or not self.form.render_button.isEnabled():
            return None
        variables = self.variables_for(project, info.path) if self.variables_for else None
        job = self.queue.submit(
            project, info, self.form.settings(), frames=self.form.frames(), variables=variables
        )
        self.status_message.emit(f"Queued {job.label}")
        return job

    def set_farm(self, prefs: FarmPrefs) -> None:
        """Use the render farm of Preferences (or say, on "Run on", why it cannot be used)."""
        choice = farm_choice(prefs)
        self.queue.set_farm(choice.settings, choice.problem)
        self.form.run_on.set_farm_problem(choice.problem)

    def _on_render_requested(self) -> None:
        self.start_render()

    # ---- rows -------------------------------------------------------------------------
    def _add_row(self, job: JobRecord) -> None:
        row = JobRow(job)
        row.cancel_requested.connect(self.queue.cancel)
        row.remove_requested.connect(self.queue.remove)
        row.open_requested.connect(self._open)
        row.reveal_requested.connect(self._reveal)
        row.retry_requested.connect(self.queue.retry_failed_chunks)
        self.rows[job.job_id] = row
        self._rows_box.insertWidget(0, row)  # newest first
        self.empty_hint.hide()

    def _update_row(self, job: JobRecord) -> None:
        row = self.rows.get(job.job_id)
        if row is not None:
            row.update_from(job)
        if job.status == "complete":
            self._update_last_render()
            self.status_message.emit(f"Rendered {job.output}")
        elif job.status == "failed":
            self.status_message.emit(f"Render of {job.label} failed: {job.error}")

    def _remove_row(self, job_id: str) -> None:
        row = self.rows.pop(job_id, None)
        if row is not None:
            row.setParent(None)
            row.deleteLater()
        self.empty_hint.setVisible(not self.rows)

    def _clear_finished(self, _checked: bool = False) -> None:
        for job_id, job in list(self.queue.jobs.items()):
            if not job.active:
                self.queue.remove(job_id)

    def _update_last_render(self) -> None:
        seconds = self.queue.last_render_seconds()
        self.form.last_render.setText(
            f"Last render took {format_duration(seconds)}" if seconds is not None else ""
        )

    def _output(self, job_id: str) -> Path | None:
        job = self.queue.jobs.get(job_id)
        return job.output if job is not None else None

    def _open(self, job_id: str) -> None:
        path = self._output(job_id)
        if path is not None:
            desktop.open_file(path)

    def _reveal(self, job_id: str) -> None:
        path = self._output(job_id)
        if path is not None:
            desktop.reveal_file(path)
