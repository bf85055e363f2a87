"""The capture-worker model behind ``--workers auto``: a pure function of the machine's cores
and available memory and of the render's frames and size (worker_model.py)."""

from __future__ import annotations

import pytest

from hyperframes_desktop.render.capture_stage import VIEWS_PER_WORKER, auto_workers
from hyperframes_desktop.render.worker_model import (
    MAX_WORKERS,
    parse_workers,
    plan_workers,
    worker_mb,
)

GB = 1024.0


def test_this_kind_of_machine_keeps_two_workers_of_two_views() -> None:
    """2 cores, 24 GB: today's measured best split (2 x 2), for 720p and 1080p alike."""
    for width, height in ((1280, 720), (1920, 1080), (1080, 1920)):
        plan = plan_workers(150, width, height, cores=2, available_mb=20 * GB)
        assert (plan.workers, plan.bound_by) == (2, "cores")
    assert VIEWS_PER_WORKER == 2


def test_more_cores_give_more_workers_up_to_the_cap() -> None:
    counts = [
        plan_workers(10_000, 1920, 1080, cores=c, available_mb=256 * GB).workers
        for c in (1, 2, 4, 8, 16, 64)
    ]
    assert counts == [1, 2, 4, 6, 10, MAX_WORKERS]


def test_memory_bounds_the_count_and_never_asks_for_more_than_is_available() -> None:
    plan = plan_workers(10_000, 1920, 1080, cores=16, available_mb=4 * GB)
    assert plan.bound_by == "memory" and plan.workers == 3
    encoder = 400 + 250 * 1920 * 1080 / 1e6
    assert plan.workers * plan.worker_mb + encoder <= 4 * GB * 0.8
    tiny = plan_workers(10_000, 3840, 2160, cores=16, available_mb=0.5 * GB)
    assert tiny.workers == 1, "one worker always, even when memory is short"


def test_bigger_frames_cost_more_memory_per_worker() -> None:
    assert worker_mb(8.29, 2) > worker_mb(2.07, 2) > worker_mb(0.92, 2) > worker_mb(0.92, 1)
    small = plan_workers(10_000, 1280, 720, cores=16, available_mb=4 * GB).workers
    large = plan_workers(10_000, 3840, 2160, cores=16, available_mb=4 * GB).workers
    assert small > large


def test_short_renders_start_fewer_workers() -> None:
    assert plan_workers(44, 1920, 1080, cores=16, available_mb=64 * GB).workers == 1
    assert plan_workers(90, 1920, 1080, cores=16, available_mb=64 * GB).workers == 2
    assert plan_workers(90, 1920, 1080, cores=16, available_mb=64 * GB).bound_by == "frames"


def test_a_requested_count_is_kept_but_never_above_the_frame_count() -> None:
    assert plan_workers(150, 1920, 1080, cores=2, available_mb=GB, requested=5).workers == 5
    assert plan_workers(3, 1920, 1080, cores=2, available_mb=GB, requested=5).workers == 3


def test_auto_on_this_machine_is_never_fewer_workers_than_before() -> None:
    """The rule it replaced: min(cores, 4, frames // 45); with memory to spare, auto is never
    below it (on this 2-core machine: the same)."""
    import os

    cores = os.cpu_count() or 1
    for frames in (20, 90, 150, 900):
        assert auto_workers(frames, 1280, 720) >= max(1, min(cores, 4, frames // 45))


@pytest.mark.parametrize(("text", "value"), [("auto", None), ("AUTO", None), (None, None),
                                             ("1", 1), (" 4 ", 4), ("16", 16), (3, 3)])  # fmt: skip
def test_worker_counts_parse(text: object, value: int | None) -> None:
    assert parse_workers(text) == value  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["0", "-2", "17", "two", "2.5", ""])
def test_bad_worker_counts_name_the_fix(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a worker count\. Fix: give a whole number"):
        parse_workers(text)
