"""The farm's Plan step, on the client: the same compile, video-extract and audio stages a
local render runs, once, plus the bundle the chunks are rendered from."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from hyperframes_desktop.project import Composition, load_composition
from hyperframes_desktop.project.tree import granted_links
from hyperframes_desktop.render import tools
from hyperframes_desktop.render.audio import mix_audio
from hyperframes_desktop.render.compile import CompiledPage, compile_page, frame_count, place_media
from hyperframes_desktop.render.farm.bundle import Bundle, build_bundle
from hyperframes_desktop.render.fonts import (
    BundledFontsMissing,
    bundled_fonts_dir,
    font_face_css,
    font_preload_js,
)
from hyperframes_desktop.render.formats import FORMATS, FormatSpec
from hyperframes_desktop.render.frame_range import resolve_frames
from hyperframes_desktop.render.leftovers import remove_leftovers
from hyperframes_desktop.render.options import RenderError, RenderOptions
from hyperframes_desktop.render.output import (
    OutputSize,
    plan_output,
    resolve_size,
    validate_options,
)
from hyperframes_desktop.render.page_duration import with_page_duration
from hyperframes_desktop.render.resources import Resolver, ResolverSettings
from hyperframes_desktop.render.resources.pinned import pin_resources
from hyperframes_desktop.render.resources.render_setup import (
    localize_remote_media,
    resolve_resources,
)
from hyperframes_desktop.render.video_extract import (
    default_cache_root,
    extract_video_frames,
    page_injection,
)


@dataclass
class RenderPlan:
    composition: Composition
    spec: FormatSpec
    size: OutputSize
    page: CompiledPage
    frames: range  # the absolute frames to render
    final: Path
    partial: Path
    audio: Path | None
    audio_clips: int
    video_count: int
    bundle: Bundle
    stages: dict[str, float]

    def page_fields(self) -> dict:
        """What a worker needs to rebuild the CompiledPage around its unpacked copy."""
        page = self.page
        return {
            "width": page.width,
            "height": page.height,
            "fps_num": page.fps.numerator,
            "fps_den": page.fps.denominator,
            "frame_count": page.frame_count,
            "duration": page.duration,
            "composition_id": page.composition_id,
            "no_timeline": page.no_timeline,
            "strip": page.strip,
            "whole_tile_raster": page.whole_tile_raster,
            "source_name": page.source_name,
            "out_width": self.size.width,
            "out_height": self.size.height,
            "scale": self.size.scale,
        }


def _ms(t0: float) -> float:
    return (time.monotonic() - t0) * 1000.0


def _frame_files(manifest: dict) -> list[Path]:
    return [
        Path(unquote(urlparse(url).path)) for entry in manifest.values() for url in entry["paths"]
    ]


def make_plan(
    options: RenderOptions, scratch: Path, cancel: threading.Event, on_stage
) -> RenderPlan:
    """Compile, extract video frames, mix the sound and bundle it all (``on_stage(name)`` as
    each stage starts). The partial output exists from here on: the caller removes it."""
    t0 = time.monotonic()
    stages: dict[str, float] = {}
    validate_options(options)  # bad flags fail before any progress is reported
    on_stage("compile")
    spec = FORMATS[options.format]
    comp = load_composition(options.project, options.composition)
    follow = granted_links(comp.project_root, follow_all=options.follow_outside_links)
    comp = with_page_duration(comp, options.project, options.composition, scratch, cancel, follow)
    size = resolve_size(comp, options.resolution)
    fps = options.fps or comp.fps
    wanted = resolve_frames(options.frames, frame_count(comp.duration, fps))
    if missing := tools.ffmpeg_available():
        raise RenderError(missing, stage="compile")
    placed = place_media(comp)
    resolve_resources(comp, scratch, options.offline)  # a script that cannot load fails here
    placed = localize_remote_media(placed, scratch, options.offline)  # remote clips: cached
    stages["compileMs"] = _ms(t0)
    tools.check_cancel(cancel)
    if any(m.element.tag == "video" for m in placed):
        on_stage("video_extract")
    cache_root = default_cache_root()
    frames = extract_video_frames(
        placed,
        fps,
        frame_count(comp.duration, fps),
        cache_root=cache_root,
        cancel=cancel,
        project_root=comp.project_root,
    )
    stages["videoExtractMs"] = frames.elapsed_ms
    tools.check_cancel(cancel)
    t0 = time.monotonic()
    try:
        fonts_css, fonts_dir = font_face_css(), bundled_fonts_dir().resolve()
    except BundledFontsMissing as exc:
        raise RenderError(
            f"{exc} Reinstall HyperFrames Desktop to restore its bundled fonts.", stage="compile"
        ) from None
    page_dir = scratch / "page"
    page = compile_page(
        comp,
        page_dir,
        fps=fps,
        variables=options.variables,
        extra_css=fonts_css,
        extra_head=font_preload_js() + (page_injection(frames) if frames.manifest else ""),
        follow=follow,
    )
    stages["compileMs"] += _ms(t0)
    audio = None
    t0 = time.monotonic()
    if spec.audio_args:
        if placed:
            on_stage("audio")
        audio = mix_audio(
            placed,
            page.frame_count / float(page.fps),
            scratch / "audio" / "mix.wav",
            cancel,
            project_root=comp.project_root,
        )
    stages["audioProcessMs"] = _ms(t0)
    tools.check_cancel(cancel)
    t0 = time.monotonic()
    bundle = build_bundle(
        comp.project_root,
        page_dir,
        cache_root if frames.manifest else None,
        _frame_files(frames.manifest),
        fonts_dir,
        follow,
    )
    _add_resources(bundle, comp, scratch, options.offline)
    stages["bundleMs"] = _ms(t0)
    final, partial = plan_output(options, comp)
    remove_leftovers(final.parent)  # of crashed renders (local or farm); never a live one's
    return RenderPlan(
        composition=comp,
        spec=spec,
        size=size,
        page=page,
        frames=wanted,
        final=final,
        partial=partial,
        audio=audio.path if audio else None,
        audio_clips=audio.clip_count if audio else 0,
        video_count=frames.video_count,
        bundle=bundle,
        stages=stages,
    )


def _add_resources(bundle: Bundle, comp: Composition, scratch: Path, offline: bool) -> None:
    """The remote files the page names, resolved here and shipped as ``resources/``: farm
    workers render them offline, all from the same bytes."""
    folder = scratch / "resources"
    pin_resources(comp, Resolver(ResolverSettings.from_environment(offline=offline)), folder)
    for source in sorted(p for p in folder.rglob("*") if p.is_file()):
        bundle.add_file("resources/" + source.relative_to(folder).as_posix(), source)
