"""The studio keeps its capture processes warm between renders: a second render from the
panel borrows the first one's processes, and quitting the studio stops them."""

from __future__ import annotations

from pathlib import Path

from ui_helpers import make_project, render_children


def test_a_second_render_borrows_the_warm_processes_and_quitting_stops_them(
    open_window, tmp_path: Path, qtbot
) -> None:
    project = make_project(tmp_path / "p", duration=1.0)
    window = open_window(project)
    panel, pool = window.render_panel, window.queue.warm_pool

    first = panel.start_render()
    qtbot.waitUntil(lambda: not first.active, timeout=90_000)
    assert first.status == "complete", first.error
    idle = pool.idle_pids()
    assert idle and pool.started == len(idle), "the render's capture processes stay warm"
    assert set(idle) <= {p.pid for p in render_children()}

    html = (project / "index.html").read_text(encoding="utf-8")
    (project / "index.html").write_text(html.replace("</body>", "<p>edited</p></body>"))
    second = panel.start_render()
    qtbot.waitUntil(lambda: not second.active, timeout=90_000)
    assert second.status == "complete", second.error
    assert pool.reused == len(idle) and pool.started == len(idle), "no new process started"
    assert pool.idle_pids() == idle

    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    qtbot.waitUntil(lambda: bool(closed), timeout=30_000)
    qtbot.waitUntil(lambda: not render_children(), timeout=15_000)
