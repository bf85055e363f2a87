"""Frame-exact joins: every decoded frame of a farm render shows its own index."""

from __future__ import annotations

from pathlib import Path

import psutil
import pytest
from support.farm import ss_listeners
from support.media import all_frames_rgb, probe, video_info

from hyperframes_desktop.render import RenderOptions
from hyperframes_desktop.render.farm import FarmBackend, FarmProgress, FarmSettings

from .conftest import decoded_index, make_frame_index_project


def test_every_frame_of_a_farm_render_shows_its_own_index(cluster, frame_index_project: Path):
    seen = []
    listening: set[tuple] = set()
    farm_listening: list[tuple[str, int, int]] = []

    def on_progress(p) -> None:
        seen.append(p)
        for conn in psutil.Process().net_connections("inet"):
            if conn.status == psutil.CONN_LISTEN:
                listening.add(tuple(conn.laddr))
        if isinstance(p, FarmProgress) and p.chunks_done >= 1 and not farm_listening:
            # `ss -ltnp` while chunks run: scheduler, nannies, workers, chunk hosts, capture
            farm_listening.extend(ss_listeners(cluster.family_pids()))

    out = frame_index_project / "out.mp4"
    settings = FarmSettings(cluster.address, chunk_frames=7)
    result = FarmBackend(settings).render(
        RenderOptions(project=frame_index_project, output=out), on_progress
    )
    assert not listening, f"the client opened listening ports: {listening}"
    assert len(farm_listening) >= 5, farm_listening  # scheduler + 2 × (nanny, worker), HTTP
    assert {host for host, _, _ in farm_listening} == {"127.0.0.1"}, farm_listening
    info = video_info(out)
    assert info.frames == 30
    indices = [decoded_index(f) for f in all_frames_rgb(out)]
    assert indices == list(range(30))
    chunked = [p for p in seen if isinstance(p, FarmProgress)]
    assert chunked and chunked[-1].chunks_total == 5
    assert result.perf.farmChunks == 5 and result.perf.farmWorkers >= 1


def test_a_frame_range_on_the_farm_keeps_absolute_frames_and_the_sound_slice(
    render_both, tmp_path: Path
):
    project = make_frame_index_project(tmp_path / "p", duration=2.0, audio=True)
    both = render_both(10, ".mp4", project=project, frames=(10, 39))
    local, farm = both.local, both.farm
    assert [decoded_index(f) for f in all_frames_rgb(farm)] == list(range(10, 40))
    assert audio_seconds(farm) == pytest.approx(audio_seconds(local), abs=1e-3)
    assert audio_seconds(farm) == pytest.approx(1.0, abs=0.03)


def audio_seconds(path: Path) -> float:
    (stream,) = [s for s in probe(path)["streams"] if s["codec_type"] == "audio"]
    return float(stream["duration"])


def _client_joins() -> list[psutil.Process]:
    """This process's own FFmpeg children joining segments listed on stdin (the cluster's
    processes are children too: their encoders, deeper down, read frames from a pipe)."""
    found = []
    for child in psutil.Process().children():
        try:
            cmdline = child.cmdline()
            joins = "concat" in cmdline and "pipe:0" in cmdline
            if "ffmpeg" in child.name() and joins and child.status() != psutil.STATUS_ZOMBIE:
                found.append(child)
        except psutil.Error:
            continue
    return found


def test_the_join_starts_while_the_chunks_render_and_ends_with_the_render(
    cluster, frame_index_project: Path
):
    """The join's FFmpeg is started with the chunks and waits for the segment list, so the
    render's end pays the join but not FFmpeg's start; it is gone when the render returns."""
    waiting: list[int] = []

    def on_progress(p) -> None:
        if isinstance(p, FarmProgress) and p.stage == "capture" and not waiting:
            waiting.extend(j.pid for j in _client_joins())

    out = frame_index_project / "out.mp4"
    FarmBackend(FarmSettings(cluster.address, chunk_frames=10)).render(
        RenderOptions(project=frame_index_project, output=out), on_progress
    )
    assert waiting, "no FFmpeg was waiting to join while the chunks rendered"
    assert not _client_joins()
    assert [decoded_index(f) for f in all_frames_rgb(out)] == list(range(30))
