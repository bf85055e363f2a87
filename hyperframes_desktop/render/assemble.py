"""The assemble stage: join the encoded chunks, mux the sound, moov atom first."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.encoders import assemble_command, concat_list
from hyperframes_desktop.render.formats import FormatSpec
from hyperframes_desktop.render.options import RenderCancelled, RenderError
from hyperframes_desktop.render.processes import kill_tree


def assemble(
    spec: FormatSpec,
    chunks: list[Path],
    scratch: Path,
    partial: Path,
    cancel: threading.Event,
    audio: Path | None = None,
    gif_loop: int = 0,
) -> None:
    if spec.join == "none":
        return
    list_file = scratch / "chunks.txt"
    list_file.write_text(concat_list(chunks), encoding="utf-8")
    cmd = assemble_command(tools.find_tool("ffmpeg"), spec, list_file, partial, audio, gif_loop)
    proc = tools.launch(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while True:
            try:
                _, err = proc.communicate(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if cancel.is_set():
                    raise RenderCancelled() from None
    except BaseException:
        kill_tree(proc)
        raise
    if proc.returncode != 0:
        tail = " | ".join(err.decode(errors="replace").strip().splitlines()[-3:])
        raise RenderError(f"FFmpeg could not assemble the output: {tail}", stage="assemble")
