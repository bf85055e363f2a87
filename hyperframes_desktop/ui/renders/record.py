"""A render job as the queue and its row see it (GUI thread only), and its history form."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hyperframes_desktop.render.farm.progress import FarmProgress
from hyperframes_desktop.ui.store import HistoryEntry, RenderSettings

ACTIVE = ("queued", "preprocessing", "rendering", "encoding", "assembling")
FINISHED = ("complete", "failed", "cancelled")


@dataclass
class JobRecord:
    """Everything a job row shows. Mutated on the GUI thread only."""

    job_id: str
    project: Path
    composition: Path
    label: str
    settings: RenderSettings = field(default_factory=RenderSettings)
    width: int = 0
    height: int = 0
    fps: float = 0.0
    output: Path | None = None
    status: str = "queued"
    stage: str = ""
    frames_done: int = 0
    frames_total: int = 0
    capture_fps: float = 0.0
    eta_s: float | None = None
    elapsed_s: float = 0.0
    error: str = ""
    finished_at: float = 0.0
    frames: tuple[int, int] | None = None  # an in–out range render (0-based, inclusive)
    farm: bool = False  # rendered on the render farm (this session's jobs only)
    resume: bool = False  # the next run reuses the finished chunks ("Retry Failed Chunks")
    chunks: FarmProgress | None = None  # the farm's last chunk picture
    error_details: list[str] = field(default_factory=list)  # per-worker lines, shown only
    variables: dict | None = None  # values for the composition's variables (the panel's)
    fetched_urls: list[str] = field(default_factory=list)  # what the render downloaded

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def fraction(self) -> float:
        if self.status == "complete":
            return 1.0
        return self.frames_done / self.frames_total if self.frames_total else 0.0

    def to_history(self) -> HistoryEntry:
        return HistoryEntry(
            job_id=self.job_id,
            composition=str(self.composition),
            project=str(self.project),
            output=str(self.output or ""),
            status=self.status,
            stage=self.stage,
            error=self.error,
            elapsed_s=round(self.elapsed_s, 3),
            finished_at=self.finished_at,
        )

    @classmethod
    def from_history(cls, entry: HistoryEntry) -> JobRecord:
        composition = Path(entry.composition)
        return cls(
            job_id=entry.job_id,
            project=Path(entry.project),
            composition=composition,
            label=composition.name,
            output=Path(entry.output) if entry.output else None,
            status=entry.status if entry.status in FINISHED else "failed",
            stage=entry.stage,
            error=entry.error,
            elapsed_s=entry.elapsed_s,
            finished_at=entry.finished_at,
        )
