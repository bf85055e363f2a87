"""Checking a render request, sizing it, and choosing where its output goes (a temp name in
the target folder until the render succeeds)."""

from __future__ import annotations

import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.project import Composition
from hyperframes_desktop.render.formats import FORMATS as FORMAT_SPECS
from hyperframes_desktop.render.leftovers import partial_name
from hyperframes_desktop.render.options import (
    FORMATS,
    QUALITY_PRESETS,
    RESOLUTION_PRESETS,
    RenderError,
    RenderInputError,
    RenderOptions,
)
from hyperframes_desktop.render.rate_control import validate_rate_control

MAX_FPS = 240
#: QtWebEngine's zoom range bounds how far a composition can be scaled.
MIN_SCALE, MAX_SCALE = 0.25, 5.0


def validate_options(options: RenderOptions) -> None:
    if options.quality not in QUALITY_PRESETS:
        raise RenderInputError(
            f'Unknown quality "{options.quality}". Use one of: {", ".join(QUALITY_PRESETS)}.'
        )
    if options.format not in FORMATS:
        raise RenderInputError(
            f'Unknown format "{options.format}". Use one of: {", ".join(FORMATS)}.'
        )
    if options.fps is not None and not 1 <= options.fps <= MAX_FPS:
        raise RenderInputError(
            f"A frame rate of {float(options.fps):g} fps is out of range. Fix: use 1 to "
            f"{MAX_FPS} fps, or a rational such as 30000/1001."
        )
    if options.workers is not None and options.workers < 1:
        raise RenderInputError("--workers must be at least 1.")
    if options.gif_loop < -1:
        raise RenderInputError("--gif-loop must be -1 (play once), 0 (forever) or a count.")
    validate_rate_control(options)
    if options.resolution:
        parse_resolution(options.resolution)


@dataclass(frozen=True)
class OutputSize:
    width: int
    height: int
    scale: float  # device pixels per composition pixel


def resolve_size(comp: Composition, resolution: str | None) -> OutputSize:
    """The output size for ``resolution`` (a preset name or WIDTHxHEIGHT), same aspect only."""
    if not resolution:
        return OutputSize(comp.width, comp.height, 1.0)
    width, height = parse_resolution(resolution)
    if width * comp.height != height * comp.width:
        raise RenderInputError(
            f"The resolution {width}x{height} does not have the composition's aspect ratio "
            f"({comp.width}x{comp.height}). Fix: choose a resolution of the same shape, e.g. "
            f"{_same_aspect_hint(comp)}, or leave --resolution out to render at "
            f"{comp.width}x{comp.height}."
        )
    scale = width / comp.width
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise RenderInputError(
            f"{width}x{height} is {scale:g}x the composition's size; the renderer can scale "
            f"between {MIN_SCALE:g}x and {MAX_SCALE:g}x. Fix: choose a closer resolution."
        )
    return OutputSize(width, height, scale)


def _file_in_the_way(folder: Path) -> Path:
    """The nearest part of ``folder``'s path that exists as something other than a folder."""
    for part in [folder, *folder.parents][::-1]:
        if part.exists() and not part.is_dir():
            return part
    return folder


def parse_resolution(resolution: str) -> tuple[int, int]:
    """(width, height) of a preset name or WIDTHxHEIGHT; RenderInputError otherwise."""
    key = resolution.strip().lower()
    if key in RESOLUTION_PRESETS:
        return RESOLUTION_PRESETS[key]
    if match := re.fullmatch(r"(\d+)\s*[x×]\s*(\d+)", key):
        width, height = int(match.group(1)), int(match.group(2))
        if width > 0 and height > 0:
            return width, height
    raise RenderInputError(
        f'Unknown resolution "{resolution}". Fix: use one of '
        f"{', '.join(RESOLUTION_PRESETS)}, or WIDTHxHEIGHT such as 1920x1080, or leave "
        "--resolution out to render at the composition's size."
    )


def _same_aspect_hint(comp: Composition) -> str:
    names = [n for n, (w, h) in RESOLUTION_PRESETS.items() if w * comp.height == h * comp.width]
    return ", ".join(names) if names else f"{comp.width * 2}x{comp.height * 2}"


def default_output(options: RenderOptions, comp: Composition) -> Path:
    spec = FORMAT_SPECS[options.format]
    name = f"{comp.composition_id}_frames" if spec.is_folder else comp.composition_id
    return comp.project_root / "renders" / f"{name}{spec.extension}"


def plan_output(options: RenderOptions, comp: Composition) -> tuple[Path, Path]:
    """(final path, temp path in the same folder). The folder is created if needed."""
    spec = FORMAT_SPECS[options.format]
    ext = spec.extension
    target = Path(options.output).expanduser() if options.output else default_output(options, comp)
    if spec.is_folder:
        if target.exists() and not target.is_dir():
            raise RenderInputError(
                f'"{target.name}" is a file, but a PNG sequence is written into a folder. '
                "Fix: give -o a folder name."
            )
    elif target.is_dir():
        target = target / f"{comp.composition_id}{ext}"
    elif not target.suffix:
        target = target.with_name(target.name + ext)
    target = target.absolute()
    if not spec.is_folder and target.suffix.lower() != ext:
        raise RenderInputError(
            f'The output file "{target.name}" does not end in {ext}, the extension of the '
            f"{options.format} format. Fix: name it something{ext}, or choose another --format."
        )
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = _file_in_the_way(folder)
        raise RenderInputError(
            f'Cannot create the output folder "{folder}": "{blocker}" is a file, not a folder. '
            "Fix: move or rename that file, or choose another output path with -o."
        ) from None
    except OSError as exc:
        raise RenderInputError(
            f'Cannot create the output folder "{folder}" ({exc.strerror}). Fix: choose a folder '
            "you can write to with -o."
        ) from None
    if not os.access(folder, os.W_OK):
        raise RenderInputError(
            f'The output folder "{folder}" is not writable. Fix: choose another folder with -o.'
        )
    partial = folder / partial_name(target.stem or target.name, ext)
    if spec.is_folder:
        partial.mkdir()
    return target, partial


def output_size(path: Path) -> int:
    """Bytes written: the file's size, or the sum of a PNG sequence folder's files."""
    if path.is_dir():
        return sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    return path.stat().st_size


def check_written(partial: Path, message: str = "FFmpeg finished but wrote no output.") -> None:
    """Refuse to publish nothing: a missing, empty file or an empty sequence folder."""
    if (
        not partial.exists()
        or (partial.is_dir() and not any(partial.iterdir()))
        or (partial.is_file() and partial.stat().st_size == 0)
    ):
        raise RenderError(message, stage="assemble")


def publish(partial: Path, final: Path) -> None:
    """Move the finished output into place; an older output is replaced only now."""
    if partial.is_dir() and final.exists():
        old = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.old")
        os.replace(final, old)
        os.replace(partial, final)
        shutil.rmtree(old, ignore_errors=True)
        return
    os.replace(partial, final)


def remove_partial(partial: Path) -> None:
    if partial.is_dir():
        shutil.rmtree(partial, ignore_errors=True)
    else:
        partial.unlink(missing_ok=True)
