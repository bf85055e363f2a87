"""What a farm render reports while it runs: the usual ``Progress`` plus chunk counts."""

from __future__ import annotations

from dataclasses import dataclass

from hyperframes_desktop.render.options import Progress


@dataclass(frozen=True)
class FarmProgress(Progress):
    """A ``Progress`` (frames done/total over the whole render) with the chunk picture.

    Widgets and the CLI that know only ``Progress`` keep working; those that know the farm
    show ``chunks_done``/``chunks_total`` and the counters.
    """

    chunks_done: int = 0
    chunks_total: int = 0
    chunks_reused: int = 0  # finished segments taken from an earlier, interrupted run
    retries: int = 0  # attempts started again after a failure, a stall or a lost worker
    workers_in_use: int = 0
    blocklisted: int = 0  # workers left out of this render after repeated failures

    def chunk_line(self) -> str:
        """``chunks 3/8 · 2 workers · 1 retry · 1 blocklisted`` (only the non-zero extras)."""
        parts = [f"chunks {self.chunks_done}/{self.chunks_total}"]
        parts.append(f"{self.workers_in_use} worker{'s' if self.workers_in_use != 1 else ''}")
        if self.chunks_reused:
            parts.append(f"{self.chunks_reused} reused")
        if self.retries:
            parts.append(f"{self.retries} retr{'ies' if self.retries != 1 else 'y'}")
        if self.blocklisted:
            parts.append(f"{self.blocklisted} blocklisted")
        return " · ".join(parts)
