"""Assemble on the client: join the segments with a stream-copy concat, mux the sound once
(padded or trimmed to the frame count), ``+faststart``; GIF gets its one palette pass after
the join, and a PNG sequence's files (already numbered by absolute frame) are moved in."""

from __future__ import annotations

import os
import shutil
import threading
from fractions import Fraction
from pathlib import Path

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.assemble import assemble_gif
from hyperframes_desktop.render.formats import FormatSpec
from hyperframes_desktop.render.options import RenderError


def _seconds(frames: int, fps: Fraction) -> str:
    return f"{frames * fps.denominator / fps.numerator:.6f}"


def _concat_list(segments: list[Path], into: Path) -> Path:
    listing = into / "segments.txt"
    lines = []
    for segment in segments:
        quoted = str(segment.resolve()).replace("'", "'\\''")
        lines.append(f"file '{quoted}'")
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return listing


def _run(args: list[str], cancel: threading.Event, what: str) -> None:
    result = tools.run_cancellable("ffmpeg", args, cancel, 0.02)  # a join takes ~0.1 s
    if result.returncode != 0:
        tail = " | ".join(result.stderr.strip().splitlines()[-3:])
        raise RenderError(f"FFmpeg could not {what}: {tail}", stage="assemble")


def assemble(
    spec: FormatSpec,
    segments: list[list[Path]],
    partial: Path,
    scratch: Path,
    *,
    fps: Fraction,
    first_frame: int,
    frames: int,
    audio: Path | None,
    gif_loop: int,
    cancel: threading.Event,
) -> None:
    """``segments``: each chunk's files, in frame order."""
    if spec.is_folder:
        for files in segments:
            for file in files:
                tools.check_cancel(cancel)
                try:  # a link keeps the kept segment whole until the output is published
                    os.link(file, partial / file.name)
                except OSError:
                    shutil.copyfile(file, partial / file.name)
        return
    listing = _concat_list([files[0] for files in segments], scratch)
    base = ["-hide_banner", "-loglevel", "error", "-nostdin"]
    joined = ["-f", "concat", "-safe", "0", "-i", str(listing)]
    if spec.needs_palette_pass:
        intermediate = scratch / "joined.mkv"
        _run(
            [*base, *joined, "-c", "copy", "-f", "matroska", "-y", str(intermediate)],
            cancel,
            "join the GIF's segments",
        )
        assemble_gif(intermediate, partial, cancel, gif_loop=gif_loop)
        return
    args = [*base, *joined]
    with_audio = audio is not None and spec.audio_args is not None
    length = _seconds(frames, fps)
    if with_audio:
        if first_frame:
            args += ["-ss", _seconds(first_frame, fps)]
        args += ["-i", str(audio), "-map", "0:v:0", "-map", "1:a:0"]
    args += ["-c:v", "copy"]
    if with_audio:
        args += [*(spec.audio_args or ()), "-af", f"apad=whole_dur={length},atrim=end={length}"]
    _run([*args, *spec.muxer_args(), "-y", str(partial)], cancel, "join the segments")
