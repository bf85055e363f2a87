"""The timeline's per-track Hide, Solo and Mute switches: preview-only.

Each switch is kept per (file scope, track) for the session. The ids of the clips they take
away go to the studio model (``track_hidden``, ``track_muted``): the stage hides those
elements in the preview's page and the preview's sound mix leaves those media out. Nothing
is written to a file and no render ever sees them.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui.timeline.canvas import TimelineCanvas
from hyperframes_desktop.ui.timeline.rows import Row


class TrackSwitches(QObject):
    def __init__(self, canvas: TimelineCanvas, model: StudioModel, parent: QObject | None = None):
        super().__init__(parent)
        self.canvas = canvas
        self.model = model
        canvas.track_switched.connect(self.toggle)

    @property
    def flags(self) -> dict[tuple[str, int], set[str]]:
        return self.canvas.state.track_flags

    def toggle(self, scope: str, track: int, flag: str) -> None:
        self.flags.setdefault((scope, track), set()).symmetric_difference_update({flag})
        self.canvas.viewport().update()
        self.apply()

    def clear(self) -> None:
        """Another project: every switch off."""
        self.flags.clear()
        self.model.set_track_hidden(())
        self.model.set_track_muted(())

    def apply(self) -> None:
        """Tell the model which clips the switches take away (after a toggle or a rebuild)."""
        if not self.flags:
            self.model.set_track_hidden(())
            self.model.set_track_muted(())
            return
        rows = self.canvas.rows
        soloed = [r for r in rows if "solo" in self.flags.get((r.scope, r.track), set())]
        hidden: set[str] = set()
        muted: set[str] = set()
        for row in rows:
            mine = self.flags.get((row.scope, row.track), set())
            away = bool(soloed) and not any(row is r for r in soloed)
            away = away and not self._hosts(row, soloed)
            ids = {b.clip.id for b in row.bars if getattr(b.clip, "id", None)}
            if "hide" in mine or away:
                hidden.update(ids)
            if "mute" in mine or away:
                muted.update(ids)
        self.model.set_track_hidden(hidden)
        self.model.set_track_muted(muted)

    @staticmethod
    def _hosts(row: Row, soloed: list[Row]) -> bool:
        """The row holds the host of a soloed nested track (which must stay to show it)."""
        scopes = {r.scope for r in soloed}
        return any(
            b.host and any(s == b.key or s.startswith(b.key + "/") for s in scopes)
            for b in row.bars
        )
