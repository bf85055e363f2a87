"""The assemble stage. Streamed formats are finished by their encoder (sound muxed in,
moov atom first); only GIF needs a second pass here: its palette is built from every frame."""

from __future__ import annotations

import threading
from pathlib import Path

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.encoders import gif_args
from hyperframes_desktop.render.options import RenderError


def assemble_gif(encoded: Path, partial: Path, cancel: threading.Event, gif_loop: int = 0) -> None:
    result = tools.run_cancellable("ffmpeg", gif_args(encoded, partial, gif_loop), cancel, 0.2)
    if result.returncode != 0:
        tail = " | ".join(result.stderr.strip().splitlines()[-3:])
        raise RenderError(f"FFmpeg could not make the GIF: {tail}", stage="assemble")
