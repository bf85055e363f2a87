"""One ``doctor`` finding: :class:`Check`, with a status, a detail and a fix sentence.

``ok``, ``warning`` (something is degraded, renders still work), ``error`` (rendering is
blocked) or ``skipped`` (could not be checked because of an earlier error).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OK, WARNING, ERROR, SKIPPED = "ok", "warning", "error", "skipped"


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    status: str
    detail: str
    fix: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def blocks_rendering(self) -> bool:
        return self.status == ERROR

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "fix": self.fix,
            "data": self.data,
        }


def split_fix(message: str) -> tuple[str, str | None]:
    """``"What is wrong. Fix: what to do."`` → the two halves."""
    problem, sep, fix = message.partition(" Fix: ")
    return (problem, fix) if sep else (message, None)
