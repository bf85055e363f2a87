"""The render form's range item stays short enough for the narrow Render dock."""

from __future__ import annotations

from pathlib import Path

from hyperframes_desktop.ui.in_out_range import InOutRange
from hyperframes_desktop.ui.renders.range_choice import RANGE, RangeChoice


def test_the_range_item_names_the_frames_briefly(qapp) -> None:
    rng = InOutRange()
    rng.set_composition(Path("/p/index.html"), 90)
    choice = RangeChoice()
    choice.bind(rng)
    rng.set_in(20)
    rng.set_out(70)
    item = choice.model().item(choice.findData(RANGE))
    assert item.isEnabled()
    # was "In–out range (frames 20–70 (51 frames))", cut off in the Render dock
    assert item.text() == "In–out: 20–70 (51 frames)"
    assert "frames 20–70 (51 frames)" in choice.toolTip()
    rng.clear_in()
    rng.clear_out()
    assert item.text() == "In–out range" and not item.isEnabled()
