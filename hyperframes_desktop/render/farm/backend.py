"""The farm backend: Plan on this computer, N chunks on a Dask cluster, Assemble here.

This package is the only place that imports Dask (lazily: a local render never loads it).
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
import uuid
from collections.abc import Callable

import psutil

import hyperframes_desktop
from hyperframes_desktop.render.farm.assemble import EarlyJoin, assemble
from hyperframes_desktop.render.farm.chunk_costs import chunk_frames_for, load_cost, remember_cost
from hyperframes_desktop.render.farm.chunks import plan_key, split_frames
from hyperframes_desktop.render.farm.connection import Connecting, connect, farm_status
from hyperframes_desktop.render.farm.plan import RenderPlan, make_plan
from hyperframes_desktop.render.farm.progress import FarmProgress
from hyperframes_desktop.render.farm.resume import SegmentStore
from hyperframes_desktop.render.farm.settings import FarmSettings
from hyperframes_desktop.render.farm.transfer import send_bundle
from hyperframes_desktop.render.farm.versions import machine_versions, mismatches
from hyperframes_desktop.render.leftovers import make_scratch
from hyperframes_desktop.render.options import Progress, RenderCancelled, RenderOptions
from hyperframes_desktop.render.output import check_written, output_size, publish, remove_partial
from hyperframes_desktop.render.perf import PerfSummary
from hyperframes_desktop.render.pipeline import RenderResult

__all__ = ["FarmBackend", "connect", "farm_status"]  # connect, farm_status: connection.py

ProgressCallback = Callable[[Progress], None]


class FarmBackend:
    """``render(options, on_progress, cancel) -> RenderResult`` on a Dask cluster."""

    name = "farm"

    def __init__(self, settings: FarmSettings) -> None:
        self.settings = settings
        self.render_id = uuid.uuid4().hex[:12]
        #: what each chunk measured, in the order they were collected: fixed_ms, frame_ms, worker
        self.chunk_costs: list[dict] = []
        self._started = 0.0
        self._versions: dict[str, object] = {}  # each worker's machine_versions()

    def elapsed_ms(self) -> float:
        return (time.monotonic() - self._started) * 1000.0 if self._started else 0.0

    def _el(self) -> float:
        return time.monotonic() - self._started

    def render(
        self,
        options: RenderOptions,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> RenderResult:
        self._started = time.monotonic()
        cancel = cancel or threading.Event()
        emit = _safe(on_progress)
        stage = ["compile"]

        def on_stage(name: str) -> None:
            stage[0] = name
            emit(Progress(name, "preprocessing", 0, 0, 0.0, None, self._el()))

        scratch = make_scratch("farm")
        client = None
        plan: RenderPlan | None = None
        published = False
        try:
            on_stage("compile")
            connecting = Connecting(self.settings, options.format)  # while the plan is made

            def plan_stage(name: str) -> None:
                connecting.raise_if_failed()
                on_stage(name)

            try:
                plan = make_plan(options, scratch, cancel, plan_stage)
            except BaseException:
                connecting.discard()
                raise
            t_wait = time.monotonic()
            client, mine, self._versions = connecting.result()
            plan.stages["connectMs"] = connecting.connect_ms
            plan.stages["connectWaitMs"] = _ms(t_wait)  # what the plan did not hide
            result = self._render_chunks(client, plan, options, mine, cancel, emit, stage, scratch)
            published = True
            emit(
                Progress(
                    "assemble",
                    "complete",
                    len(plan.frames),
                    len(plan.frames),
                    0.0,
                    None,
                    self._el(),
                )
            )
            return result
        except RenderCancelled:
            emit(Progress(stage[0], "cancelled", 0, 0, 0.0, None, self._el()))
            raise
        except BaseException:
            emit(Progress(stage[0], "failed", 0, 0, 0.0, None, self._el()))
            raise
        finally:
            if plan is not None and not published:
                remove_partial(plan.partial)
            if client is not None:
                with contextlib.suppress(Exception):
                    client.close(timeout=5)
            shutil.rmtree(scratch, ignore_errors=True)

    def _render_chunks(self, client, plan, options, mine, cancel, emit, stage, scratch):
        """The chunks, with the segments of this render kept in a run folder of their own
        (released at the end however it ends, so a resume may adopt it)."""
        settings = self.settings
        key = plan_key(
            bundle=plan.bundle.digest,
            format=options.format,
            quality=options.quality,
            size=[plan.size.width, plan.size.height, plan.size.scale],
            fps=str(plan.page.fps),
            app=hyperframes_desktop.__version__,
            versions=mine,
            crf=options.crf,
            video_bitrate=options.video_bitrate,
            output=str(plan.final),
            frames=[plan.frames.start, plan.frames.stop - 1],
        )
        store = SegmentStore(key, resume=settings.resume)
        try:
            return self._run_chunks(client, plan, options, mine, (cancel, emit, stage), scratch,
                                    store)  # fmt: skip
        finally:
            store.release()

    def _run_chunks(self, client, plan, options, mine, signals, scratch, store):
        from hyperframes_desktop.render.farm.scheduler import ChunkRun

        cancel, emit, stage = signals
        settings = self.settings
        slots = sum(client.nthreads().values())
        chunk_frames = (
            settings.chunk_frames
            or (store.chunk_frames() if settings.resume else None)
            or chunk_frames_for(len(plan.frames), slots, load_cost(settings.address))
        )
        store.remember(chunk_frames)
        chunks = split_frames(plan.frames.start, plan.frames.stop - 1, chunk_frames)
        todo = [c for c in chunks if not store.has(c)]
        reused = len(chunks) - len(todo)
        stage[0] = "capture"
        t0 = time.monotonic()
        emit(
            FarmProgress(
                "capture",
                "rendering",
                0,
                len(plan.frames),
                0.0,
                None,
                self._el(),
                chunks_done=reused,
                chunks_total=len(chunks),
                chunks_reused=reused,
            )
        )

        transfer_ms = [0.0]
        transfer_lock = threading.Lock()  # workers are prepared in parallel

        def prepare(worker: str) -> bool:
            theirs = self._versions.pop(worker, None)  # checked as the render began
            if theirs is None:  # a worker that joined since
                theirs = client.run(machine_versions, workers=[worker], on_error="return")
                theirs = theirs.get(worker)
            if not isinstance(theirs, dict) or mismatches(mine, theirs, options.format):
                return False
            t_send = time.monotonic()
            send_bundle(client, worker, plan.bundle, cancel)
            with transfer_lock:
                transfer_ms[0] += _ms(t_send)
            return True

        run = ChunkRun(
            client,
            render_id=self.render_id,
            job={
                "bundle": plan.bundle.digest,
                "page": plan.page_fields(),
                "format": options.format,
                "quality": options.quality,
                "stall_timeout_s": settings.stall_timeout_s,
                "workers": None,
                "crf": options.crf,
                "video_bitrate": options.video_bitrate,
            },
            chunks=todo,
            store=store,
            settings=settings,
            cancel=cancel,
            prepare=prepare,
            emit=emit,
            elapsed=self._el,
            total_frames=len(plan.frames),
            reused=reused,
            reused_frames=sum(c.frames for c in chunks if store.has(c)),
            chunks_total=len(chunks),
        )
        # the join's FFmpeg starts now and waits for the segment list (assemble.EarlyJoin)
        early = EarlyJoin(plan.spec, plan.partial, fps=plan.page.fps,
                          first_frame=plan.frames.start, frames=len(plan.frames),
                          audio=plan.audio) if EarlyJoin.usable(plan.spec) else None  # fmt: skip
        try:
            if todo:
                run.run()
                self.chunk_costs = run.costs
                remember_cost(settings.address, run.costs)
            capture_ms = (time.monotonic() - t0) * 1000.0
            stages = self._assemble(plan, options, chunks, store, signals, scratch, early)
        finally:
            if early is not None:
                early.stop()  # ends FFmpeg if the join never ran
            release_ms = run.wait_released()  # the warm hosts end while the segments join
        stages = {
            **stages,
            "captureMs": capture_ms,
            "releaseMs": release_ms,
            "fetchMs": run.fetch_ms,
            "transferMs": transfer_ms[0],
        }
        if run.chunk_ms:
            stages["chunkAvgMs"] = sum(run.chunk_ms) / len(run.chunk_ms)
            stages["chunkSumMs"] = sum(run.chunk_ms)
        if run.first_start_ms is not None:
            stages["firstChunkStartMs"] = run.first_start_ms
        perf = self._summary(plan, options, stages, len(chunks), reused, run.workers_used)
        return RenderResult(output=plan.final, perf=perf, composition=plan.composition)

    def _assemble(self, plan, options, chunks, store, signals, scratch, early=None) -> dict:
        """Join the fetched segments into the output and publish it; the plan's stages with
        ``assembleMs`` added."""
        cancel, emit, stage = signals
        stage[0] = "assemble"
        emit(
            Progress(
                "assemble", "assembling", len(plan.frames), len(plan.frames), 0.0, None, self._el()
            )
        )
        t0 = time.monotonic()
        assemble(
            plan.spec,
            [store.files(c) for c in chunks],
            plan.partial,
            scratch,
            fps=plan.page.fps,
            first_frame=plan.frames.start,
            frames=len(plan.frames),
            audio=plan.audio,
            gif_loop=options.gif_loop,
            cancel=cancel,
            early=early,
        )
        check_written(plan.partial, "FFmpeg finished assembling but wrote no output.")
        publish(plan.partial, plan.final)
        store.discard()
        return {**plan.stages, "assembleMs": _ms(t0)}

    def _summary(self, plan, options, stages, chunks, reused, workers) -> PerfSummary:
        comp = plan.composition
        return PerfSummary(
            renderId=self.render_id,
            totalElapsedMs=self.elapsed_ms(),
            fps=float(plan.page.fps),
            quality=options.quality,
            format=options.format,
            workers=len(workers),
            compositionDurationSeconds=len(plan.frames) / float(plan.page.fps),
            totalFrames=len(plan.frames),
            resolution={"width": plan.size.width, "height": plan.size.height},
            compositionWidth=comp.width,
            compositionHeight=comp.height,
            videoCount=plan.video_count,
            audioCount=plan.audio_clips,
            stages={k: round(v, 1) for k, v in stages.items()},
            memoryFreeMb=round(psutil.virtual_memory().available / 2**20, 1),
            outputBytes=output_size(plan.final),
            farmChunks=chunks,
            farmChunksReused=reused,
            farmWorkers=len(workers),
        )


def _safe(callback: ProgressCallback | None) -> ProgressCallback:
    def emit(progress: Progress) -> None:
        if callback is not None:
            with contextlib.suppress(Exception):  # a UI callback must never break a render
                callback(progress)

    return emit


def _ms(t0: float) -> float:
    return (time.monotonic() - t0) * 1000.0
