"""The render engine: compile → video extract → audio → capture ∥ encode → assemble.

``RenderJob(options, on_progress).run()`` blocks and returns a ``RenderResult``; ``cancel()``
may be called from any thread. Qt-free: widgets subscribe through ``on_progress``.
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from hyperframes_desktop.project import Composition, load_composition
from hyperframes_desktop.project.problems import raise_for_errors
from hyperframes_desktop.project.tree import granted_links, warn_outside_links
from hyperframes_desktop.render import tools
from hyperframes_desktop.render.assemble import assemble_gif
from hyperframes_desktop.render.audio import mix_audio
from hyperframes_desktop.render.capture_stage import (
    CaptureOutcome,
    CaptureRequest,
    capture_and_encode,
)
from hyperframes_desktop.render.compile import (
    CompiledPage,
    compile_page,
    frame_count,
    place_media,
)
from hyperframes_desktop.render.fonts import BundledFontsMissing, font_face_css, font_preload_js
from hyperframes_desktop.render.formats import FORMATS as FORMAT_SPECS
from hyperframes_desktop.render.frame_range import resolve_frames
from hyperframes_desktop.render.incremental import RenderCache, cache_disabled_by_env
from hyperframes_desktop.render.incremental.keys import render_settings_key
from hyperframes_desktop.render.incremental.plan import clip_cuts
from hyperframes_desktop.render.incremental.render import (
    CacheReport,
    capture_with_cache,
    chunk_frames_for,
)
from hyperframes_desktop.render.incremental.warm_pool import WarmPool, capture_warm
from hyperframes_desktop.render.leftovers import make_scratch, remove_leftovers
from hyperframes_desktop.render.options import (
    Progress,
    RenderCancelled,
    RenderError,
    RenderOptions,
)
from hyperframes_desktop.render.output import (
    OutputSize,
    check_written,
    output_size,
    plan_output,
    publish,
    remove_partial,
    resolve_size,
    validate_options,
)
from hyperframes_desktop.render.page_duration import with_page_duration
from hyperframes_desktop.render.perf import PerfSummary
from hyperframes_desktop.render.processes import ResourceSampler
from hyperframes_desktop.render.resources.render_setup import (
    fetched_urls,
    localize_remote_media,
    resolve_resources,
)
from hyperframes_desktop.render.video_extract import (
    default_cache_root,
    extract_video_frames,
    page_injection,
)

ProgressCallback = Callable[[Progress], None]


@dataclass
class RenderResult:
    output: Path
    perf: PerfSummary
    composition: Composition
    #: every remote URL the render fetched (registry entries, tarballs, static https URLs)
    fetched_urls: list[str] = field(default_factory=list)
    #: remote resources that could not be used (the render went on without them)
    resource_warnings: list[str] = field(default_factory=list)
    #: what the render cache reused and captured (None: rendered without it)
    cache: CacheReport | None = None


class RenderJob:
    def __init__(
        self,
        options: RenderOptions,
        on_progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,  # set by the caller to cancel (see backends)
        warm_pool: WarmPool | None = None,  # capture processes kept between renders (studio)
    ):
        self.options = options
        self.warm_pool = warm_pool
        self._on_progress = on_progress
        self._cancel = cancel if cancel is not None else threading.Event()
        self._started = 0.0
        self.stage = "compile"
        self.render_id = uuid.uuid4().hex[:12]

    # ---- public -----------------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def elapsed_ms(self) -> float:
        return (time.monotonic() - self._started) * 1000.0 if self._started else 0.0

    def run(self) -> RenderResult:
        self._started = time.monotonic()
        stages: dict[str, float] = {}
        scratch = make_scratch()
        sampler = ResourceSampler(scratch)
        sampler.start()
        partial: Path | None = None
        opts = self.options
        try:
            validate_options(opts)  # bad flags fail before any progress is reported
            self._set_stage("compile", "preprocessing", 0, 0)
            t0 = time.monotonic()
            spec = FORMAT_SPECS[opts.format]
            raise_for_errors(opts.project, opts.composition, opts.variables)  # all at once
            comp = load_composition(opts.project, opts.composition)
            # links leading out of the project: left out unless the user allowed them
            follow = granted_links(comp.project_root, follow_all=opts.follow_outside_links)
            warn_outside_links(comp.project_root, follow)  # the farm's rule (project.tree)
            comp = with_page_duration(
                comp, opts.project, opts.composition, scratch, self._cancel, follow
            )
            size = resolve_size(comp, opts.resolution)
            fps = opts.fps or comp.fps
            wanted = resolve_frames(opts.frames, frame_count(comp.duration, fps))
            if missing := tools.ffmpeg_available():
                raise RenderError(missing, stage="compile")
            final, partial = plan_output(opts, comp)
            remove_leftovers(final.parent)  # of crashed renders; never a live render's files
            placed = place_media(comp)
            resources = resolve_resources(comp, scratch, opts.offline)
            placed = localize_remote_media(placed, scratch, opts.offline)
            stages["compileMs"] = _ms(t0)
            self._check_cancel()

            if any(m.element.tag == "video" for m in placed):
                self._set_stage("video_extract", "preprocessing", 0, 0)
            frames = extract_video_frames(
                placed,
                fps,
                frame_count(comp.duration, fps),
                cache_root=default_cache_root(),
                cancel=self._cancel,
                project_root=comp.project_root,
            )
            stages["videoExtractMs"] = frames.elapsed_ms
            self._check_cancel()

            t0 = time.monotonic()
            page = compile_page(
                comp,
                scratch / "page",
                fps=fps,
                variables=opts.variables,
                extra_css=_fonts_css(),
                extra_head=font_preload_js() + (page_injection(frames) if frames.manifest else ""),
                follow=follow,
            )
            stages["compileMs"] += _ms(t0)

            if placed and spec.audio_args:
                self._set_stage("audio", "preprocessing", 0, 0)
            t0 = time.monotonic()
            audio = None
            if spec.audio_args:
                # as long as the video exactly (frames / fps), not the nominal duration
                audio = mix_audio(
                    placed,
                    page.frame_count / float(page.fps),
                    scratch / "audio" / "mix.wav",
                    self._cancel,
                    project_root=comp.project_root,
                )
            stages["audioProcessMs"] = _ms(t0)
            self._check_cancel()

            count = len(wanted)
            self._set_stage("capture", "rendering", 0, count)
            request = CaptureRequest(
                page,
                spec,
                opts.quality,
                size,
                scratch,
                partial,
                opts.workers,
                audio=audio.path if audio else None,
                frames=wanted,
                crf=opts.crf,
                video_bitrate=opts.video_bitrate,
            )
            cache_report = None
            # A bitrate target needs one continuous encode: x264's rate control over short
            # closed segments overshoots (1.35 Mbit/s for 1M asked), so such renders skip it.
            if opts.cache and opts.video_bitrate is None and not cache_disabled_by_env():
                chunk = chunk_frames_for(float(fps))
                key = render_settings_key(opts, comp, placed, size, fps, final, chunk)
                capture, cache_report = capture_with_cache(
                    request, key, RenderCache(), self._cancel, self._emit, self._el,
                    gif_loop=opts.gif_loop, pool=self.warm_pool, cuts=clip_cuts(comp),
                )  # fmt: skip
            elif self.warm_pool is not None:
                capture = capture_warm(self.warm_pool, request, self._cancel, self._emit, self._el)
            else:
                capture = capture_and_encode(request, self._cancel, self._emit, self._el)
            stages.update(capture.stages)
            self._check_cancel()

            t0 = time.monotonic()
            if spec.needs_palette_pass and cache_report is None:  # the cache's join did it
                self._set_stage("assemble", "assembling", count, count)
                assemble_gif(capture.output, partial, self._cancel, gif_loop=opts.gif_loop)
            # the cache's capture joined the segments itself and timed it (capture.stages)
            stages["assembleMs"] = stages.get("assembleMs", 0.0) + _ms(t0)
            self._check_cancel()
            check_written(partial)
            publish(partial, final)
            partial = None
            sampler.stop()
            audio_clips = audio.clip_count if audio else 0
            perf = self._summary(comp, page, size, stages, capture, sampler, final, audio_clips)
            if opts.frames is not None:  # a range: report what was rendered
                perf.totalFrames = count
                perf.compositionDurationSeconds = count / float(page.fps)
            perf.videoCount = frames.video_count
            perf.videoExtractBreakdown = frames.breakdown
            perf.captureRestarts = capture.recaptures
            self._set_stage("assemble", "complete", count, count)
            return RenderResult(
                output=final,
                perf=perf,
                composition=comp,
                fetched_urls=fetched_urls(scratch),
                resource_warnings=list(
                    dict.fromkeys(resources.warnings() + capture.resource_problems)
                ),
                cache=cache_report,
            )
        except RenderCancelled:
            self._emit_status("cancelled")
            raise
        except BaseException:
            self._emit_status("failed")
            raise
        finally:
            sampler.stop()
            if partial is not None:
                remove_partial(partial)
            shutil.rmtree(scratch, ignore_errors=True)

    # ---- reporting --------------------------------------------------------------------
    def _summary(
        self,
        comp: Composition,
        page: CompiledPage,
        size: OutputSize,
        stages: dict[str, float],
        capture: CaptureOutcome,
        sampler: ResourceSampler,
        output: Path,
        audio_clips: int,
    ) -> PerfSummary:
        frame_ms = capture.frame_ms
        return PerfSummary(
            renderId=self.render_id,
            totalElapsedMs=self.elapsed_ms(),
            fps=float(page.fps),
            quality=self.options.quality,
            format=self.options.format,
            workers=capture.workers,
            compositionDurationSeconds=comp.duration,
            totalFrames=page.frame_count,
            resolution={"width": size.width, "height": size.height},
            compositionWidth=comp.width,
            compositionHeight=comp.height,
            audioCount=audio_clips,
            stages={k: round(v, 1) for k, v in stages.items()},
            captureAvgMs=round(statistics.fmean(frame_ms), 2) if frame_ms else 0.0,
            captureP50Ms=round(statistics.median(frame_ms), 2) if frame_ms else 0.0,
            capturePeakMs=round(max(frame_ms), 2) if frame_ms else 0.0,
            peakRssMb=round(sampler.peak_rss / 2**20, 1),
            peakPssMb=round(sampler.peak_pss / 2**20, 1),
            memoryFreeMb=round(psutil.virtual_memory().available / 2**20, 1),
            tmpPeakBytes=sampler.peak_tmp,
            outputBytes=output_size(output),
        )

    def _el(self) -> float:
        return time.monotonic() - self._started

    def _set_stage(self, stage: str, status: str, done: int, total: int) -> None:
        self.stage = stage
        self._emit(Progress(stage, status, done, total, 0.0, None, self._el()))

    def _emit_status(self, status: str) -> None:
        self._emit(Progress(self.stage, status, 0, 0, 0.0, None, self._el()))

    def _emit(self, progress: Progress) -> None:
        if self._on_progress is not None:
            with contextlib.suppress(Exception):  # a UI callback must never break a render
                self._on_progress(progress)

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise RenderCancelled()


def _fonts_css() -> str:
    try:
        return font_face_css()
    except BundledFontsMissing as exc:
        raise RenderError(str(exc), stage="compile") from None  # says what and how to fix


def _ms(t0: float) -> float:
    return (time.monotonic() - t0) * 1000.0


__all__ = ["RenderJob", "RenderResult"]
