"""The assemble stage. Streamed formats are finished by their encoder (sound muxed in,
moov atom first); only GIF needs a second pass here: its palette is built from every frame."""

from __future__ import annotations

import threading
from pathlib import Path

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.encoders import gif_command
from hyperframes_desktop.render.formats import FormatSpec
from hyperframes_desktop.render.options import RenderError


def needs_assembly(spec: FormatSpec) -> bool:
    return spec.join == "gif"


def assemble(
    spec: FormatSpec, encoded: Path, partial: Path, cancel: threading.Event, gif_loop: int = 0
) -> None:
    if not needs_assembly(spec):
        return
    cmd = gif_command(tools.find_tool("ffmpeg"), encoded, partial, gif_loop)
    result = tools.run_cancellable("ffmpeg", cmd[1:], cancel, poll_s=0.2)
    if result.returncode != 0:
        tail = " | ".join(result.stderr.strip().splitlines()[-3:])
        raise RenderError(f"FFmpeg could not make the GIF: {tail}", stage="assemble")
