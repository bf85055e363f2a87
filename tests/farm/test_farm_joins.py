"""Frame-exact joins: every decoded frame of a farm render shows its own index."""

from __future__ import annotations

import re
import subprocess
import threading
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


def _segments(tmp_path: Path, fmt: str, count: int = 3, frames: int = 6) -> list[Path]:
    """``count`` real segments of ``fmt``, made by the chunks' own encoder settings (moving
    gradients at 320x180, so no two frames are alike)."""
    from fractions import Fraction

    from hyperframes_desktop.render.encoders import encode_command
    from hyperframes_desktop.render.farm.segments import segment_spec
    from hyperframes_desktop.render.tools import find_tool

    spec = segment_spec(fmt)
    made = []
    for index in range(count):
        pixels = bytearray()
        for frame in range(frames):
            shade = (index * frames + frame) * 9 % 256
            row = bytes((x + shade) % 256 for x in range(320 * 4))
            pixels += row * 180
        out = tmp_path / f"segment{index}{spec.extension}"
        cmd = encode_command(find_tool("ffmpeg"), 320, 180, Fraction(30), spec, "draft", out)
        subprocess.run(cmd, input=bytes(pixels), check=True)
        made.append(out)
    return made


@pytest.mark.parametrize("fmt", ["mp4", "mov"])
def test_the_join_probes_one_frame_of_each_segment_and_writes_the_same_bytes(
    tmp_path: Path, fmt: str
):
    """The join asks each segment for a one-frame probe (FFmpeg's frame-rate probe read
    every frame of a short segment, one segment after another, at the render's serial end)
    and writes the same bytes as a join that probes each segment in full."""
    from fractions import Fraction

    from hyperframes_desktop.render.farm.assemble import EarlyJoin, segment_lines, short_probe
    from hyperframes_desktop.render.farm.versions import ffmpeg_major
    from hyperframes_desktop.render.formats import FORMATS
    from hyperframes_desktop.render.tools import find_tool

    if ffmpeg_major() < 5:
        pytest.skip("FFmpeg before 5.0 takes no per-file options in a concat list")
    spec = FORMATS[fmt]
    segments = _segments(tmp_path, fmt)
    assert short_probe(spec)
    listing = tmp_path / "short.txt"
    listing.write_text(segment_lines(segments, url=False, short=True), encoding="utf-8")
    debug = subprocess.run(
        [find_tool("ffmpeg"), "-hide_banner", "-loglevel", "debug", "-nostdin", "-f", "concat",
         "-safe", "0", "-i", str(listing), "-c:v", "copy", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    after_probe = r"\[([^@\]]+?) @ [^\]]+\] After avformat_find_stream_info\(\).*frames:(\d+)"
    probed = re.findall(after_probe, debug.stderr)
    per_segment = [int(n) for demuxer, n in probed if demuxer != "concat"]
    assert per_segment == [1] * len(segments), probed

    early = EarlyJoin(spec, tmp_path / f"early.{fmt}", fps=Fraction(30), first_frame=0,
                      frames=18, audio=None)  # fmt: skip
    try:
        early.finish(segments, threading.Event())
    finally:
        early.stop()
    full = tmp_path / "full.txt"
    full.write_text(segment_lines(segments, url=False, short=False), encoding="utf-8")
    subprocess.run(
        [find_tool("ffmpeg"), "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "concat",
         "-safe", "0", "-i", str(full), "-c:v", "copy", *spec.muxer_args(), "-y",
         str(tmp_path / f"full.{fmt}")],
        check=True,
    )  # fmt: skip
    joined = (tmp_path / f"early.{fmt}").read_bytes()
    assert joined == (tmp_path / f"full.{fmt}").read_bytes()
    assert video_info(tmp_path / f"early.{fmt}").frames == 18


def test_a_join_probes_in_full_where_the_probe_decides_the_output_or_ffmpeg_is_older():
    from hyperframes_desktop.render.farm.assemble import short_probe
    from hyperframes_desktop.render.farm.versions import ffmpeg_major
    from hyperframes_desktop.render.formats import FORMATS

    assert not short_probe(FORMATS["webm"], 6)  # Matroska writes the probed frame rate
    assert not short_probe(FORMATS["gif"], 6)
    assert not short_probe(FORMATS["mp4"], 4)  # no per-file options before FFmpeg 5.0
    assert short_probe(FORMATS["mp4"], 5) and short_probe(FORMATS["mov"], 7)
    assert (ffmpeg_major("5.1.9-0+deb12u1"), ffmpeg_major("n6.1"), ffmpeg_major("N-1-gabc")) == (
        5,
        6,
        0,
    )
