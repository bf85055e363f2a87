"""The studio model: one Qt-free object holding what the studio shows (see model.py for
the table of events). Widgets subscribe to it; none reaches into another."""

from .events import Event, EventGroup
from .model import EVENTS, NO_COMPOSITIONS, ReloadPlan, StudioModel

__all__ = ["EVENTS", "NO_COMPOSITIONS", "Event", "EventGroup", "ReloadPlan", "StudioModel"]
