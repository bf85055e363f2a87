"""The render form's "Whole composition / In–out range" choice, following the preview's marks."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QWidget

from hyperframes_desktop.ui.in_out_range import InOutRange

WHOLE, RANGE = "whole", "range"
_NO_RANGE_TIP = "Set in and out points in the preview (I and O) to render only that part"


class RangeChoice(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.in_out: InOutRange | None = None
        self.addItem("Whole composition", WHOLE)
        self.addItem("In–out range", RANGE)
        self._update()

    def bind(self, in_out: InOutRange) -> None:
        """Follow the preview's in/out marks."""
        self.in_out = in_out
        in_out.range_changed.connect(self._update)
        self._update()

    def usable(self, composition: Path | None) -> bool:
        """A range is set, on the composition the form would render."""
        rng = self.in_out
        return (
            rng is not None
            and rng.active
            and composition is not None
            and rng.composition is not None
            and rng.composition == composition
        )

    def frames(self, composition: Path | None) -> tuple[int, int] | None:
        """RenderOptions.frames for a render of ``composition`` (None: all of it)."""
        if self.currentData() != RANGE or not self.usable(composition):
            return None
        assert self.in_out is not None
        return self.in_out.frames()

    def _update(self) -> None:
        rng = self.in_out
        item = self.model().item(1)
        if rng is not None and rng.active:
            start, end = rng.span()  # short: the dock is narrow (the tooltip says the rest)
            item.setText(f"In–out: {start}–{end} ({end - start + 1} frames)")
            item.setEnabled(True)
            self.setToolTip(
                "Render the whole composition, or only the in–out range "
                f"({rng.describe()}; I/O keys set it)"
            )
        else:
            item.setText("In–out range")
            item.setEnabled(False)
            self.setToolTip(_NO_RANGE_TIP)
            if self.currentData() == RANGE:
                self.setCurrentIndex(0)
