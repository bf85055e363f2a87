"""The farm's pure parts: chunk plans, version checks, the bundle's tokens, settings
sentences, progress text and telemetry counts. No cluster needed."""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

import pytest

from hyperframes_desktop.cli.farm_args import add_farm_arguments, farm_from_args
from hyperframes_desktop.cli.progress_view import ProgressPrinter
from hyperframes_desktop.render.farm.bundle import BUNDLE_TOKEN, build_bundle, localise
from hyperframes_desktop.render.farm.chunks import default_chunk_frames, plan_key, split_frames
from hyperframes_desktop.render.farm.progress import FarmProgress
from hyperframes_desktop.render.farm.settings import FarmSettings, farm_settings
from hyperframes_desktop.render.farm.versions import machine_versions, mismatches
from hyperframes_desktop.render.options import RenderInputError
from hyperframes_desktop.render.perf import PerfSummary
from hyperframes_desktop.telemetry.perf_mapping import summary_to_properties


@pytest.mark.parametrize(
    ("first", "last", "size"), [(0, 59, 10), (0, 60, 7), (30, 31, 10), (5, 5, 1), (0, 299, 64)]
)
def test_chunks_cover_every_frame_once_in_order(first: int, last: int, size: int):
    chunks = split_frames(first, last, size)
    frames = [f for c in chunks for f in range(c.start, c.end + 1)]
    assert frames == list(range(first, last + 1))
    assert all(c.frames <= size for c in chunks)
    assert [c.index for c in chunks] == list(range(len(chunks)))


def test_default_chunk_size_gives_every_slot_a_few_chunks_but_never_tiny_ones():
    assert default_chunk_frames(300, 2) == 75
    assert default_chunk_frames(30, 8) == 10  # HyperFrames' floor of 10 frames
    assert default_chunk_frames(3000, 16) == 94


def test_plan_key_is_stable_and_sensitive():
    assert plan_key(a=1, b="x") == plan_key(b="x", a=1)
    assert plan_key(a=1, b="x") != plan_key(a=2, b="x")


def test_version_check_names_what_differs():
    mine = machine_versions()
    assert mismatches(mine, dict(mine), "mp4") == []
    older = {**mine, "qtwebengine": "6.11.0", "python": "3.10.4", "encoders": ["png"]}
    found = mismatches(mine, older, "mp4")
    assert any(f.startswith("QtWebEngine 6.11.0 instead of") for f in found)
    assert any(f.startswith("Python 3.10.4 instead of") for f in found)
    assert any("libx264, aac encoders" in f for f in found)
    # a different patch release of Python renders the same
    patch = {**mine, "python": mine["python"].rsplit(".", 1)[0] + ".99"}
    assert mismatches(mine, patch, "mp4") == []


def test_bundle_replaces_client_paths_with_tokens_and_back(tmp_path: Path):
    project = tmp_path / "project"
    (project / "img").mkdir(parents=True)
    (project / "img" / "a.png").write_bytes(b"png")
    (project / "renders").mkdir()
    (project / "renders" / "old.mp4").write_bytes(b"old render: never sent")
    (project / ".git").mkdir()
    (project / ".git" / "HEAD").write_text("ref")
    page = tmp_path / "scratch" / "page"
    page.mkdir(parents=True)
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    html = (
        f'<base href="{project.as_uri()}/"><script src="{page.as_uri()}/hf-runtime.js">'
        f'</script><style>url("{fonts.as_uri()}/inter.woff2")</style>'
    )
    (page / "composition.html").write_text(html)
    bundle = build_bundle(project, page, None, [], fonts)
    paths = {e.path for e in bundle.entries}
    assert paths == {"project/img/a.png", "page/composition.html"}
    sent = bundle.sources[next(e.digest for e in bundle.entries if e.path.startswith("page/"))]
    text = sent.decode()
    assert str(tmp_path) not in text and BUNDLE_TOKEN in text
    # the digest does not depend on where the client keeps its scratch page
    page2 = tmp_path / "elsewhere" / "page"
    page2.mkdir(parents=True)
    (page2 / "composition.html").write_text(html.replace(page.as_uri(), page2.as_uri()))
    assert build_bundle(project, page2, None, [], fonts).digest == bundle.digest
    there = tmp_path / "worker" / "bundle"
    local = localise(text, there, tmp_path / "worker-fonts")
    assert f"{there.as_uri()}/project/" in local and f"{there.as_uri()}/page/hf-runtime.js" in local
    assert (tmp_path / "worker-fonts").as_uri() + "/inter.woff2" in local


def test_settings_sentences(tmp_path: Path):
    with pytest.raises(RenderInputError, match="tcp://HOST:8786"):
        FarmSettings("scheduler:8786").check()
    with pytest.raises(RenderInputError, match="--farm-ca, --farm-cert and --farm-key"):
        FarmSettings("tls://127.0.0.1:8786").check()
    missing = tmp_path / "nope.pem"
    with pytest.raises(RenderInputError, match="does not exist"):
        FarmSettings("tls://h:1", ca_file=missing, cert_file=missing, key_file=missing).check()
    env = {"HYPERFRAMES_FARM": "tcp://10.0.0.5:8786"}
    assert farm_settings(None, env=env).address == "tcp://10.0.0.5:8786"
    assert farm_settings(None, env={}) is None


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_farm_arguments(parser)
    return parser.parse_args(list(argv))


def test_farm_only_flags_without_a_farm_are_refused(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("HYPERFRAMES_FARM", raising=False)
    assert farm_from_args(_args()) is None
    with pytest.raises(RenderInputError, match=r"--resume only applies to a farm render.*leave it"):
        farm_from_args(_args("--resume"))
    with pytest.raises(
        RenderInputError, match=r"--chunk-frames, --resume only apply to a farm render.*leave them"
    ):
        farm_from_args(_args("--resume", "--chunk-frames", "4"))
    settings = farm_from_args(_args("--farm", "tcp://127.0.0.1:9", "--chunk-frames", "12"))
    assert settings is not None and settings.chunk_frames == 12


def test_progress_shows_the_chunk_picture(tmp_path: Path):
    p = FarmProgress(
        "capture",
        "rendering",
        40,
        100,
        20.0,
        3.0,
        5.0,
        chunks_done=3,
        chunks_total=8,
        chunks_reused=2,
        retries=1,
        workers_in_use=2,
        blocklisted=1,
    )
    assert p.chunk_line() == "chunks 3/8 · 2 workers · 2 reused · 1 retry · 1 blocklisted"
    out = tmp_path / "log.txt"
    with out.open("w") as stream:
        printer = ProgressPrinter(stream)
        printer.update(p)
    text = out.read_text()
    assert "resuming: reusing 2 of 8 finished chunks" in text
    assert "40/100 frames" in text and "chunks 3/8" in text


def test_telemetry_gets_farm_counts_only():
    perf = PerfSummary(
        renderId="r",
        totalElapsedMs=1000.0,
        fps=30.0,
        quality="standard",
        format="mp4",
        workers=2,
        compositionDurationSeconds=2.0,
        totalFrames=60,
        resolution={"width": 320, "height": 180},
        compositionWidth=320,
        compositionHeight=180,
        farmChunks=6,
        farmChunksReused=2,
        farmWorkers=2,
    )
    props = summary_to_properties(perf)
    assert props["farm"] is True and props["chunks"] == 6 and props["farm_workers"] == 2
    assert not any("reused" in k or "address" in k or "host" in k for k in props)
    local = summary_to_properties(PerfSummary(**{**perf.__dict__, "farmChunks": 0}))
    assert "farm" not in local and "chunks" not in local


def test_worker_store_checks_pieces_unpacks_bundles_and_evicts_unused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import hashlib
    import os

    from hyperframes_desktop.render.farm import store

    monkeypatch.setenv(store.CACHE_ENV, str(tmp_path / "cache"))
    data = os.urandom(3000)
    digest = hashlib.sha256(data).hexdigest()
    store.write_piece(digest, "aaaa0001", 3000, 0, data[:1000], last=False)
    with pytest.raises(ValueError, match="damaged"):
        store.write_piece(digest, "aaaa0001", 3000, 1000, b"x" * 2000, last=True)
    assert store.missing_blobs([digest]) == [digest]
    store.write_piece(digest, "aaaa0002", 3000, 0, data[:1000], last=False)
    store.write_piece(digest, "aaaa0002", 3000, 1000, data[1000:], last=True)
    assert store.missing_blobs([digest]) == []
    folder = Path(store.unpack_bundle("b1" * 16, [("project/media/clip.bin", digest)]))
    assert (folder / "project" / "media" / "clip.bin").read_bytes() == data
    old = 1_000_000_000
    os.utime(folder, (old, old))
    store.evict_unused()
    assert not folder.exists()
    blob = next((tmp_path / "cache" / "blobs").glob("*/*"))
    os.utime(blob, (old, old))
    store.evict_unused()
    assert store.missing_blobs([digest]) == [digest]


def test_local_backend_honours_a_cancel_set_before_it_starts(tmp_path: Path):
    from hyperframes_desktop.render import RenderCancelled, RenderOptions
    from hyperframes_desktop.render.backends import LocalBackend, backend_for

    project = tmp_path / "p"
    project.mkdir()
    (project / "index.html").write_text(
        '<div id="root" data-composition-id="c" data-width="64" data-height="36" '
        'data-duration="1" data-fps="10" data-no-timeline></div>'
    )
    backend = backend_for(None)
    assert isinstance(backend, LocalBackend)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(RenderCancelled):
        backend.render(RenderOptions(project=project, output=tmp_path / "o.mp4"), None, cancel)
    assert not (tmp_path / "o.mp4").exists()


def test_only_the_pages_own_failures_are_final():
    from hyperframes_desktop.render.farm.chunk_runner import is_retryable
    from hyperframes_desktop.render.options import RenderError

    page = "The composition page never became ready to seek. Fix: check the scripts."
    assert not is_retryable(RenderError(page, stage="capture"))
    assert not is_retryable(RenderError("Frame 3 did not paint within 15 s.", stage="capture"))
    for machine in (
        "The capture process was killed by signal SIGKILL (the system may have run out of memory).",
        "ImportError: libEGL.so.1: cannot open shared object file",
        "Only 3 of 10 frames reached FFmpeg (EOFError).",
    ):
        assert is_retryable(RenderError(machine, stage="capture"))
    assert is_retryable(RenderError("FFmpeg failed while encoding (exit code 1)", stage="encode"))


def test_chunk_sizes_follow_the_measured_fixed_cost_and_the_worker_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from hyperframes_desktop.render.farm.chunk_costs import (
        ChunkCost,
        chunk_frames_for,
        load_cost,
        remember_cost,
    )

    measured = ChunkCost(fixed_s=4.32, frame_s=0.140)  # issue 19's fit, nested 1080p
    # 150 frames on 2 workers: one chunk each (two would spend 2 × 4.3 s on start-ups)
    assert chunk_frames_for(150, 2, measured) == 75
    assert chunk_frames_for(150, 2, None) == default_chunk_frames(150, 2) == 38
    # a cheap start-up: more, smaller chunks (balance, cheap retries), at most 4 per worker
    cheap = ChunkCost(fixed_s=0.3, frame_s=0.140)
    assert chunk_frames_for(3000, 4, cheap) == 188
    assert chunk_frames_for(30, 16, cheap) == 10  # never below HyperFrames' floor
    # a warm chunk of the nested sample (idle machine): on 2 workers of one speed a second
    # chunk each would add 13 % to the render for nothing: one each
    assert chunk_frames_for(150, 2, ChunkCost(fixed_s=0.45, frame_s=0.077)) == 75
    monkeypatch.setenv("HYPERFRAMES_FARM_SEGMENTS", str(tmp_path / "segments"))
    assert load_cost("tcp://farm:8786") is None
    remember_cost("tcp://farm:8786", [{"fixed_ms": 4000, "frame_ms": 150},
                                      {"fixed_ms": 900, "frame_ms": 120},
                                      {"fixed_ms": 1000, "frame_ms": 130}])  # fmt: skip
    assert load_cost("tcp://farm:8786") == ChunkCost(1.0, 0.13)
    assert load_cost("tcp://other:8786") is None
    assert "farm:8786" not in (tmp_path / "farm-chunk-costs.json").read_text()


def test_the_remembered_fixed_cost_is_a_warm_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A worker's first chunk starts its capture processes once; one more chunk costs what a
    warm chunk costs, and that decides the chunk size."""
    from hyperframes_desktop.render.farm.chunk_costs import ChunkCost, load_cost, remember_cost

    monkeypatch.setenv("HYPERFRAMES_FARM_SEGMENTS", str(tmp_path / "segments"))
    measured = [
        {"fixed_ms": 4000, "frame_ms": 150, "warm": False},
        {"fixed_ms": 200, "frame_ms": 130, "warm": True},
        {"fixed_ms": 300, "frame_ms": 140, "warm": True},
    ]
    remember_cost("tcp://farm:8786", measured)
    assert load_cost("tcp://farm:8786") == ChunkCost(0.25, 0.14)
    # the worker's wait between two chunks (seen by the client) is part of one more chunk
    measured[1]["gap_ms"], measured[2]["gap_ms"] = 100, 300
    remember_cost("tcp://farm:8786", measured)
    assert load_cost("tcp://farm:8786") == ChunkCost(0.45, 0.14)


@pytest.mark.parametrize("quality", ["standard", "high"])
def test_a_chunks_h264_encoder_holds_back_only_a_few_frames(tmp_path: Path, quality: str):
    """x264's default look-ahead (40 frames at medium) kept a short chunk's whole encode for
    after its last frame; a segment's encoder keeps pace with the capture. Read from the
    settings x264 wrote into the real segment (its SEI), not from our command line."""
    import re
    import subprocess
    from fractions import Fraction

    from hyperframes_desktop.render import tools
    from hyperframes_desktop.render.encoders import encode_command
    from hyperframes_desktop.render.farm.segments import segment_spec

    out = tmp_path / "segment.ts"
    command = encode_command(
        tools.find_tool("ffmpeg"), 320, 180, Fraction(30), segment_spec("mp4"), quality, out,
        frames=12,
    )  # fmt: skip
    frames = bytes(range(64)) * 5 * 180 * 4 * 12  # 12 BGRA frames of 320x180
    made = subprocess.run(command, input=frames, capture_output=True, timeout=60, check=False)
    assert made.returncode == 0, made.stderr[-1000:]
    raw = subprocess.run(  # the H.264 stream itself (TS packet headers split the SEI)
        [tools.find_tool("ffmpeg"), "-v", "error", "-i", str(out), "-c", "copy", "-f", "h264", "-"],
        capture_output=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    options = re.search(rb"options: ([^\x00]+)", raw)
    assert options, "x264 wrote its settings into the stream"
    settings = dict(kv.split(b"=", 1) for kv in options.group(1).split() if b"=" in kv)
    assert int(settings[b"rc_lookahead"]) <= 5
    # no frame-thread delay either (one thread has none)
    assert settings[b"sliced_threads"] == b"1" or settings[b"threads"] == b"1", settings
    assert settings[b"open_gop"] == b"0"
    vp9 = segment_spec("webm").codec_args(quality)
    assert vp9[vp9.index("-lag-in-frames") + 1] == "0"


def test_new_workers_are_prepared_at_once_and_each_gets_its_own_outcome():
    """Sixteen workers are sent the project together, not one after another: every
    preparation waits at a barrier that only opens when all of them are running at once."""
    from hyperframes_desktop.render.farm.prepare import prepare_all

    workers = [f"tcp://10.0.0.{i}:1" for i in range(16)]
    barrier = threading.Barrier(len(workers), timeout=20)

    def prepare(worker: str) -> bool:
        barrier.wait()
        if worker.endswith(".3:1"):
            raise OSError("it left meanwhile")
        return not worker.endswith(".4:1")  # renders differently

    outcomes = prepare_all(prepare, workers)
    assert list(outcomes) == workers
    assert isinstance(outcomes[workers[3]], OSError)
    assert outcomes[workers[4]] is False
    assert all(outcomes[w] is True for w in workers if w not in (workers[3], workers[4]))


def test_an_ended_but_unreaped_group_leader_is_not_a_live_member():
    """A stopped chunk group's leader stays a zombie until its parent reaps it; counting it as
    alive made every stop (each render's end, each cancel) wait out the whole SIGTERM grace
    and the SIGKILL wait, 3 s, for a group that had already ended."""
    import subprocess
    import sys
    import time

    import psutil

    from hyperframes_desktop.render.farm.supervisor import group_members

    child = subprocess.Popen([sys.executable, "-c", "pass"], start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while psutil.Process(child.pid).status() != psutil.STATUS_ZOMBIE:
            assert time.monotonic() < deadline, "the child never ended"
            time.sleep(0.02)
        assert group_members(child.pid) == []  # ended, though not reaped yet
        sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"],
                                   start_new_session=True)  # fmt: skip
        try:
            assert group_members(sleeper.pid) == [sleeper.pid]  # a live one still counts
        finally:
            sleeper.kill()
            sleeper.wait()
    finally:
        child.wait()
