"""Capture with the render cache: fingerprint every frame, reuse every cached segment whose
frames' fingerprints are all today's, capture the rest, and join them all by stream copy.
Adjacent captured chunks share one capture pass (``runs``).

What is reused, and how the rest is cut into chunks (at clip boundaries, then every
``chunk_frames_for(fps)`` frames), is decided by ``plan``. Each chunk is a closed-GOP segment
as a farm chunk encodes it (``farm.segments``) and the join is the farm's assembly
(``farm.assemble``): the sound is mixed fresh for every render and muxed once there. A chunk
with a frame the page cannot describe (a canvas, an iframe...) is always captured and never
kept: when in doubt, capture.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from hyperframes_desktop.render.capture_stage import (
    CaptureOutcome,
    CaptureRequest,
    WarmCapture,
    auto_workers,
    capture_and_encode,
    encode_command_for,
)
from hyperframes_desktop.render.encode_process import EncoderProcess
from hyperframes_desktop.render.farm.assemble import EarlyJoin, assemble
from hyperframes_desktop.render.farm.chunks import MIN_CHUNK_FRAMES, Chunk
from hyperframes_desktop.render.farm.segments import segment_name, segment_spec
from hyperframes_desktop.render.formats import FORMATS
from hyperframes_desktop.render.incremental.fingerprint_pass import FingerprintFeed
from hyperframes_desktop.render.incremental.keys import chunk_key
from hyperframes_desktop.render.incremental.plan import (
    Candidate,
    cover,
    cut_range,
    gaps,
    matching,
    min_piece_frames,
)
from hyperframes_desktop.render.incremental.runs import ChainedEncoder
from hyperframes_desktop.render.incremental.store import CachedChunk, RenderCache
from hyperframes_desktop.render.incremental.warm_pool import WarmPool
from hyperframes_desktop.render.options import Progress

log = logging.getLogger("hyperframes_desktop.render")

#: A chunk is at most about this long from a clip boundary (never under the farm's 10
#: frames; ``plan``): an edit re-captures whole chunks, and each chunk is a segment of its own,
#: opened by an IDR frame. With chunks cut at clip boundaries (session 8, bench/RESULTS.md),
#: a third of a second against half a second re-captures the bench's 10-frame moves in 12.7
#: frames instead of 17.3 on average, for a cached nested 1080p MP4 of 1.05-1.08 MB instead
#: of 0.92-0.94 MB.
CHUNK_SECONDS = 1 / 3


@dataclass
class CacheReport:
    """What the render cache did in one render."""

    chunks: int = 0
    reused: int = 0
    captured: int = 0
    #: capture passes: adjacent captured chunks share one (one capture command and ramp-up;
    #: each chunk's FFmpeg starts and drains while the next chunk is captured)
    passes: int = 0
    #: captured because a frame's state cannot be fingerprinted (canvas, iframe, ...)
    unknown: int = 0
    #: time the render waited for fingerprints (process start, page load, hashing)
    fingerprint_ms: float = 0.0
    #: of which the page's own hashing (the longest worker's)
    hash_ms: float = 0.0
    captured_frames: list[int] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "chunks": self.chunks,
            "reused": self.reused,
            "captured": self.captured,
            "passes": self.passes,
            "unchecked": self.unknown,
            "fingerprintMs": round(self.fingerprint_ms, 1),
            "hashMs": round(self.hash_ms, 1),
        }

    def sentence(self) -> str:
        unknown = ""
        if self.unknown:
            unknown = f" ({self.unknown} of them hold frames the cache cannot check)"
        return (
            f"Render cache: reused {self.reused} of {self.chunks} chunks, captured "
            f"{self.captured} again{unknown} in {self.passes} pass"
            f"{'' if self.passes == 1 else 'es'}; it waited {self.fingerprint_ms / 1000:.1f} s "
            f"for fingerprints (the page hashed frames for {self.hash_ms / 1000:.2f} s)."
        )


def chunk_frames_for(fps: float) -> int:
    return max(MIN_CHUNK_FRAMES, round(fps * CHUNK_SECONDS))


def _link_files(entry: CachedChunk, into: Path) -> list[Path]:
    """Hard links (copies where links fail) of a cached segment's files in this render's
    scratch folder: an eviction by another render cannot take them away mid-join."""
    placed = []
    for source in entry.files:
        target = into / source.relative_to(entry.folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        placed.append(target)
    return placed


def _segment_files(segment: Path) -> list[Path]:
    if segment.is_dir():
        return sorted(p for p in segment.iterdir() if p.is_file())
    return [segment]


def capture_with_cache(
    req: CaptureRequest,
    settings: str,
    cache: RenderCache,
    cancel: threading.Event,
    emit: Callable[[Progress], None],
    elapsed: Callable[[], float],
    *,
    gif_loop: int = 0,
    pool: WarmPool | None = None,
    cuts: Sequence[int] = (),
) -> tuple[CaptureOutcome, CacheReport]:
    """Render ``req`` into ``req.partial`` (assembled, sound muxed, GIF palette applied);
    with ``pool``, on capture processes borrowed from it and given back when all went well.
    ``cuts``: the frames where the composition's clips start and end (``plan.clip_cuts``),
    where captured chunks are cut."""
    wanted = req.frame_range
    total = len(wanted)
    fmt = req.spec.name
    count = max(1, min(req.workers or auto_workers(total), total))
    size = chunk_frames_for(float(req.page.fps))
    plan = _Cuts(tuple(cuts), size, min_piece_frames(float(req.page.fps)))
    # the join's FFmpeg starts now and waits for the segment list (farm.assemble.EarlyJoin):
    # its start-up overlaps the fingerprint pass instead of following the last chunk
    spec = FORMATS[fmt]
    early = None
    if EarlyJoin.usable(spec):
        early = EarlyJoin(spec, req.partial, fps=req.page.fps, first_frame=wanted.start,
                          frames=total, audio=req.audio)  # fmt: skip
    ending: _EndInBackground | None = None
    try:
        warm = pool.lend(req, count) if pool is not None else WarmCapture()
        ending = _EndInBackground(warm)
        return _capture_and_join(
            req, settings, cache, cancel, emit, elapsed, gif_loop, pool, count, plan, warm,
            early, ending,
        )  # fmt: skip
    finally:
        if ending is not None:
            ending.wait()  # no capture process outlives the render, whichever way it ends
        if early is not None:
            early.stop()  # ends FFmpeg if the join never ran


def _capture_and_join(
    req: CaptureRequest,
    settings: str,
    cache: RenderCache,
    cancel: threading.Event,
    emit: Callable[[Progress], None],
    elapsed: Callable[[], float],
    gif_loop: int,
    pool: WarmPool | None,
    count: int,
    cuts: _Cuts,
    warm: WarmCapture,
    early: EarlyJoin | None,
    ending: _EndInBackground,
) -> tuple[CaptureOutcome, CacheReport]:
    wanted = req.frame_range
    total = len(wanted)
    fmt = req.spec.name
    report = CacheReport()
    outcome = CaptureOutcome(output=req.partial, workers=count)
    outcome.stages = {"captureSetupMs": 0.0, "captureFrameMs": 0.0, "encodeMs": 0.0}
    kept = False
    segments_dir = req.scratch / "segments"
    try:
        emit(Progress("capture", "rendering", 0, total, 0.0, None, elapsed()))
        # One piece for the whole range: fed chunk by chunk, the fingerprints overlapped the
        # capture, but every view drew the page after each piece (its job ends, Chromium
        # renders the seeked state): +1.2 CPU-s for a one-chunk edit of nested 1080p.
        feed = FingerprintFeed(req, count, warm, cancel, [wanted])
        t_wait = time.monotonic()
        feed.wait_for(wanted)
        report.fingerprint_ms = (time.monotonic() - t_wait) * 1000.0
        t_chunks = time.monotonic()
        steps = _plan_render(wanted, feed.found, settings, cache, cuts)
        report.chunks = len(steps)

        segments: list[list[Path]] = []
        done = index = 0
        while index < len(steps):
            group = [steps[index]]
            if group[0].entry is None:
                while index + len(group) < len(steps) and steps[index + len(group)].entry is None:
                    group.append(steps[index + len(group)])
            index += len(group)
            first = group[0]
            if first.entry is not None:
                segments.append(_link_files(first.entry, segments_dir / first.chunk.name))
                report.reused += 1
            else:
                run = [plan.chunk for plan in group]
                parts = _capture_run(
                    req, run, segments_dir, count, warm, outcome, cancel, emit, elapsed, done,
                    total, feed.top_up,
                )  # fmt: skip
                feed.listen()
                report.passes += 1
                for plan, files in zip(group, parts, strict=True):
                    segments.append(files)
                    report.captured += 1
                    report.captured_frames.extend(plan.frames)
                    if plan.known:
                        segment = segments_dir / plan.chunk.name / segment_name(fmt)
                        cache.store(settings, plan.key, plan.fingerprints, segment,
                                    (plan.chunk.start, plan.chunk.end))  # fmt: skip
                    else:
                        report.unknown += 1
            done += sum(len(plan.frames) for plan in group)
            emit(Progress("capture", "rendering", done, total, 0.0, None, elapsed()))
        report.hash_ms = feed.hash_ms
        # the chunks' stage: the plan (cache look-ups), captures and links, not the wait for
        # fingerprints (fingerprintMs); a render that reuses every chunk still spent time here
        outcome.stages["captureMs"] = (time.monotonic() - t_chunks) * 1000.0
        if pool is not None and warm.workers:
            pool.keep(warm, req)
            kept = True
    finally:
        if not kept:
            ending.start()
    outcome.stages["fingerprintMs"] = report.fingerprint_ms
    t0 = time.monotonic()
    emit(Progress("assemble", "assembling", total, total, 0.0, None, elapsed()))
    assemble(
        FORMATS[fmt], segments, req.partial, req.scratch, fps=req.page.fps,
        first_frame=wanted.start, frames=total, audio=req.audio, gif_loop=gif_loop, cancel=cancel,
        early=early,
    )  # fmt: skip
    outcome.stages["assembleMs"] = (time.monotonic() - t0) * 1000.0
    cache.evict()
    log.info(report.sentence())
    return outcome, report


class _EndInBackground:
    """Ends a render's capture processes on a thread of their own, so that their Qt/Chromium
    teardown (0.1-0.2 s a process, measured) overlaps the join instead of coming before it;
    :meth:`wait` is called before the render returns or raises."""

    def __init__(self, warm: WarmCapture) -> None:
        self._warm = warm
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._warm.stop, name="hf-end-capture-processes", daemon=True
        )
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()


@dataclass
class _Plan:
    """One chunk of a render: its frames' fingerprints and the cached segment it reuses."""

    chunk: Chunk
    frames: range
    fingerprints: list[str]
    known: bool
    key: str
    entry: CachedChunk | None


@dataclass(frozen=True)
class _Cuts:
    """How captured frames are cut: at ``frames`` (clip boundaries) and every ``size``
    frames, pieces under ``min_piece`` frames joined to the one before."""

    frames: tuple[int, ...]
    size: int
    min_piece: int


def _plan_render(
    wanted: range, prints: dict[int, str], settings: str, cache: RenderCache, cuts: _Cuts
) -> list[_Plan]:
    """The render's chunks in frame order: the cached segments it reuses (each checked
    whole, ``RenderCache.lookup``; one that fails is dropped and the cover made again) and
    the gaps between them cut into chunks to capture."""
    usable = matching(
        (Candidate(key, start, end, tuple(fps)) for key, start, end, fps in
         cache.candidates(settings)),
        wanted, prints,
    )  # fmt: skip
    while True:
        chosen = cover(wanted, usable)
        reused: list[_Plan] = []
        for cand in chosen:
            entry = cache.lookup(settings, cand.key, list(cand.fingerprints))
            if entry is None:
                usable = [c for c in usable if c is not cand]
                break
            reused.append(_plan(cand.frames, prints, settings, entry))
        else:
            break
    captured = [
        _plan(frames, prints, settings, None)
        for gap in gaps(wanted, chosen)
        for frames in cut_range(gap, cuts.frames, cuts.size, cuts.min_piece)
    ]
    steps = sorted(reused + captured, key=lambda plan: plan.frames.start)
    return [
        replace(plan, chunk=Chunk(index, plan.frames.start, plan.frames[-1]))
        for index, plan in enumerate(steps)
    ]


def _plan(frames: range, prints: dict[int, str], settings: str, entry: CachedChunk | None) -> _Plan:
    fingerprints = [prints.get(frame, "") for frame in frames]
    key = chunk_key(settings, frames.start, frames[-1], fingerprints)
    chunk = Chunk(0, frames.start, frames[-1])
    return _Plan(chunk, frames, fingerprints, all(fingerprints), key, entry)


def _capture_run(
    req: CaptureRequest,
    run: list[Chunk],
    segments_dir: Path,
    count: int,
    warm: WarmCapture,
    outcome: CaptureOutcome,
    cancel: threading.Event,
    emit: Callable[[Progress], None],
    elapsed: Callable[[], float],
    done_before: int,
    total: int,
    started: Callable[[], None],
) -> list[list[Path]]:
    """Capture and encode the adjacent chunks ``run`` in one pass of the warm workers, each
    chunk into its own segment by its own FFmpeg (incremental.runs); returns each chunk's
    files. ``started``: once the workers have the run's frames."""
    fmt = req.spec.name
    parts: list[CaptureRequest] = []
    for chunk in run:
        folder = segments_dir / chunk.name
        folder.mkdir(parents=True, exist_ok=True)
        segment = folder / segment_name(fmt)
        if req.spec.is_folder:
            segment.mkdir(exist_ok=True)
        parts.append(
            CaptureRequest(
                req.page,
                segment_spec(fmt),
                req.quality,
                req.size,
                req.scratch,
                segment,
                count,
                audio=None,
                frames=range(chunk.start, chunk.end + 1),
                crf=req.crf,
                video_bitrate=req.video_bitrate,
            )
        )
    whole = replace(parts[0], frames=range(run[0].start, run[-1].end + 1))

    def encoder_for(frame_bytes: int, events: queue.Queue) -> EncoderProcess:
        commands = [encode_command_for(part) for part in parts]
        counts = [len(part.frame_range) for part in parts]
        return ChainedEncoder(commands, counts, frame_bytes, events)

    def relay(progress: Progress) -> None:
        if progress.stage == "capture":
            emit(
                Progress(
                    "capture",
                    "rendering",
                    done_before + progress.frames_done,
                    total,
                    progress.fps,
                    None,
                    elapsed(),
                )
            )

    chained = encoder_for if len(run) > 1 else None
    got = capture_and_encode(whole, cancel, relay, elapsed, warm, started, chained)
    outcome.frame_ms.extend(got.frame_ms)
    outcome.recaptures += got.recaptures
    problems = outcome.resource_problems + got.resource_problems
    outcome.resource_problems = list(dict.fromkeys(problems))
    for name in ("captureSetupMs", "captureFrameMs", "encodeMs"):
        outcome.stages[name] = outcome.stages.get(name, 0.0) + got.stages.get(name, 0.0)
    return [_segment_files(part.partial) for part in parts]
