"""Checking a render request and choosing where its file goes (a temp name until success)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from hyperframes_desktop.project import Composition
from hyperframes_desktop.render.options import (
    FORMAT_EXTENSIONS,
    FORMATS,
    QUALITY_PRESETS,
    RenderInputError,
    RenderOptions,
)

MAX_FPS = 240


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
            f"A frame rate of {float(options.fps):g} fps is out of range. Use 1 to {MAX_FPS} "
            "fps, or a rational such as 30000/1001."
        )
    if options.workers is not None and options.workers < 1:
        raise RenderInputError("--workers must be at least 1.")


def default_output(options: RenderOptions, comp: Composition) -> Path:
    return (
        comp.project_root / "renders" / f"{comp.composition_id}{FORMAT_EXTENSIONS[options.format]}"
    )


def plan_output(options: RenderOptions, comp: Composition) -> tuple[Path, Path]:
    """(final path, temp path in the same folder). The folder is created if needed."""
    ext = FORMAT_EXTENSIONS[options.format]
    target = Path(options.output).expanduser() if options.output else default_output(options, comp)
    if target.is_dir():
        target = target / f"{comp.composition_id}{ext}"
    elif target.suffix.lower() != ext:
        target = target.with_name(target.name + ext) if not target.suffix else target
    target = target.absolute()
    if target.suffix.lower() != ext:
        raise RenderInputError(
            f'The output file "{target.name}" does not end in {ext}, the extension of the '
            f"{options.format} format. Fix: name it something{ext}, or choose another --format."
        )
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderInputError(
            f'Cannot create the output folder "{folder}" ({exc.strerror}). Fix: choose a folder '
            "you can write to with -o."
        ) from None
    if not os.access(folder, os.W_OK):
        raise RenderInputError(
            f'The output folder "{folder}" is not writable. Fix: choose another folder with -o.'
        )
    partial = folder / f".{target.stem}.{uuid.uuid4().hex[:8]}.partial{ext}"
    return target, partial
