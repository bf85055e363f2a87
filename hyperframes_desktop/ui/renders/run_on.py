"""The render form's "Run on: This computer / Render farm" choice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget

LOCAL, FARM = "local", "farm"
_TIP = "Render on this computer, or split the render into chunks on the render farm"


class RunOnChoice(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem("This computer", LOCAL)
        self.addItem("Render farm", FARM)
        self.problem: str | None = None
        self._wanted = LOCAL
        self.currentIndexChanged.connect(self._remember)
        self.set_farm_problem("Set up the render farm in Preferences → Render farm.")

    def choice(self) -> str:
        return self.currentData() or LOCAL

    def select(self, value: str) -> None:
        """Select ``value`` now if it can be used, and whenever it becomes usable."""
        self._wanted = value if value in (LOCAL, FARM) else LOCAL
        self._apply()

    def set_farm_problem(self, problem: str | None) -> None:
        """None: the farm can be chosen; a sentence: it is disabled and the tooltip says why."""
        self.problem = problem
        item = self.model().item(1)
        item.setEnabled(problem is None)
        self.setItemData(1, problem or "Chunks render on the farm's workers in parallel",
                         Qt.ItemDataRole.ToolTipRole)  # fmt: skip
        self.setToolTip(_TIP if problem is None else f"{_TIP}.\n\nRender farm: {problem}")
        self._apply()

    def _apply(self) -> None:
        usable = self._wanted == LOCAL or self.problem is None
        index = self.findData(self._wanted if usable else LOCAL)
        self.blockSignals(True)
        self.setCurrentIndex(index)
        self.blockSignals(False)

    def _remember(self, _index: int) -> None:
        self._wanted = self.choice()
