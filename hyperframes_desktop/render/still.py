"""One frame to an image: ``render_still(StillOptions(...))``, for ``hyperframes-desktop still``
and the studio's "Save frame as image…".

The frame is captured exactly as a render captures it (same compiled page, same capture worker,
same size and supersampling) and written without any video encoder: a PNG is written here from
the captured pixels (RGBA, as a ``png-sequence`` render's files are, so its pixels equal that
frame of a PNG-sequence render), a JPEG by one FFmpeg image conversion of that single frame
(opaque, as an MP4 frame is captured). Published atomically like every render output.
"""

from __future__ import annotations

import math
import os
import queue
import shutil
import struct
import threading
import time
import zlib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from hyperframes_desktop.project import Composition, load_composition
from hyperframes_desktop.project.problems import raise_for_errors
from hyperframes_desktop.project.tree import granted_links, warn_outside_links
from hyperframes_desktop.render import tools
from hyperframes_desktop.render.capture_process import WorkerProcess, WorkerState
from hyperframes_desktop.render.capture_stage import SILENCE_LIMIT_S
from hyperframes_desktop.render.compile import compile_page, frame_count, place_media
from hyperframes_desktop.render.fonts import font_preload_js
from hyperframes_desktop.render.leftovers import make_scratch, partial_name, remove_leftovers
from hyperframes_desktop.render.options import RenderCancelled, RenderError, RenderInputError
from hyperframes_desktop.render.output import OutputSize, publish, remove_partial, resolve_size
from hyperframes_desktop.render.page_duration import with_page_duration
from hyperframes_desktop.render.pipeline import _fonts_css
from hyperframes_desktop.render.resources.render_setup import (
    localize_remote_media,
    resolve_resources,
)
from hyperframes_desktop.render.video_extract import (
    default_cache_root,
    extract_video_frames,
    page_injection,
)
from hyperframes_desktop.render.worker_exit import describe_exit

#: Image formats by file extension.
IMAGE_TYPES = {".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg"}


@dataclass
class StillOptions:
    project: Path
    frame: int | None = None  # 0-based frame number; or:
    time: float | str | None = None  # seconds: frame floor(time × fps)
    composition: str | None = None
    output: Path | None = None  # .png, .jpg/.jpeg or a folder; None: PROJECT/renders/
    resolution: str | None = None
    variables: dict | None = None
    offline: bool = False  # remote libraries, fonts and media from the cache only
    #: follow links leading out of the project (``--follow-outside-links``; project.outside_links)
    follow_outside_links: bool = False


@dataclass(frozen=True)
class StillResult:
    output: Path
    frame: int
    width: int
    height: int
    elapsed_ms: float
    composition_id: str


def pick_frame(comp: Composition, fps: Fraction, frame: int | None, at: float | str | None) -> int:
    """The frame to capture: ``frame`` itself, or floor(``at`` × fps), checked against the
    composition's length."""
    total = frame_count(comp.duration, fps)
    if (frame is None) == (at is None):
        raise RenderInputError("Give either a frame number or a time. Fix: --frame N or --time T.")
    if at is not None:
        try:
            seconds = Fraction(str(at).strip().removesuffix("s"))
        except (ValueError, ZeroDivisionError):
            raise RenderInputError(
                f'--time "{at}" is not a time. Fix: give seconds, e.g. --time 1.5.'
            ) from None
        last = float(Fraction(total - 1) / fps)
        if seconds < 0 or seconds * fps >= total:
            raise RenderInputError(
                f"The time {float(seconds):g} s is outside the composition, which is "
                f"{comp.duration:g} s long. Fix: choose a time from 0 to {last:g} s (the "
                "start of its last frame)."
            )
        return math.floor(seconds * fps)
    assert frame is not None
    if not 0 <= frame < total:
        raise RenderInputError(
            f"Frame {frame} is outside the composition, which has {total} frames "
            f"(0-{total - 1}). Fix: choose a frame between 0 and {total - 1}."
        )
    return int(frame)


def plan_still_output(options: StillOptions, comp: Composition, frame: int) -> tuple[Path, Path]:
    """(final path, hidden temp path beside it); the folder is created if needed."""
    name = f"{comp.composition_id}_frame{frame}.png"
    target = Path(options.output).expanduser() if options.output else None
    if target is None:
        target = comp.project_root / "renders" / name
    elif target.is_dir():
        target = target / name
    elif not target.suffix:
        target = target.with_name(target.name + ".png")
    target = target.absolute()
    if target.suffix.lower() not in IMAGE_TYPES:
        raise RenderInputError(
            f'The image name "{target.name}" does not end in .png or .jpg. Fix: name it '
            "something.png (lossless, with transparency) or something.jpg."
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderInputError(
            f'Cannot create the folder "{target.parent}" ({exc.strerror}). Fix: choose a '
            "folder you can write to with -o."
        ) from None
    if not os.access(target.parent, os.W_OK):
        raise RenderInputError(
            f'The folder "{target.parent}" is not writable. Fix: choose another folder with -o.'
        )
    return target, target.parent / partial_name(target.stem, target.suffix)


def render_still(options: StillOptions, cancel: threading.Event | None = None) -> StillResult:
    """Capture one frame and write it as an image; raises RenderInputError for a bad request,
    RenderError when capture fails and RenderCancelled when ``cancel`` is set."""
    t0 = time.monotonic()
    cancel = cancel or threading.Event()
    raise_for_errors(options.project, options.composition, options.variables)  # all at once
    comp = load_composition(options.project, options.composition)
    follow = granted_links(comp.project_root, follow_all=options.follow_outside_links)
    warn_outside_links(comp.project_root, follow)
    if comp.duration_from_page:
        probe_scratch = make_scratch()
        try:
            comp = with_page_duration(
                comp, options.project, options.composition, probe_scratch, cancel, follow
            )
        finally:
            shutil.rmtree(probe_scratch, ignore_errors=True)
    size = resolve_size(comp, options.resolution)
    fps = comp.fps
    frame = pick_frame(comp, fps, options.frame, options.time)
    if missing := tools.ffmpeg_available():
        raise RenderError(missing, stage="compile")
    final, partial = plan_still_output(options, comp, frame)
    kind = IMAGE_TYPES[final.suffix.lower()]
    remove_leftovers(final.parent)
    scratch = make_scratch()
    try:
        placed = place_media(comp)
        resolve_resources(comp, scratch, options.offline)
        placed = localize_remote_media(placed, scratch, options.offline)
        frames = extract_video_frames(
            placed, fps, frame_count(comp.duration, fps), cache_root=default_cache_root(),
            cancel=cancel, project_root=comp.project_root,
        )  # fmt: skip
        page = compile_page(
            comp, scratch / "page", fps=fps, variables=options.variables,
            extra_css=_fonts_css(),
            extra_head=font_preload_js() + (page_injection(frames) if frames.manifest else ""),
            follow=follow,
        )  # fmt: skip
        transparent = kind == "png"  # as a png-sequence render; JPEG is opaque like an MP4
        pixels = _capture(page, size, frame, transparent, scratch, cancel)
        if kind == "png":
            partial.write_bytes(encode_png(bgra_to_rgba(pixels), size.width, size.height))
        else:
            _write_jpeg(pixels, size, scratch / "frame.bgra", partial, cancel)
        publish(partial, final)
    except BaseException:
        remove_partial(partial)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return StillResult(
        output=final,
        frame=frame,
        width=size.width,
        height=size.height,
        elapsed_ms=(time.monotonic() - t0) * 1000.0,
        composition_id=comp.composition_id,
    )


def _capture(
    page, size: OutputSize, frame: int, transparent: bool, scratch: Path, cancel: threading.Event
) -> bytes:
    """The BGRA bytes of one frame from one capture worker (one view)."""
    events: queue.Queue = queue.Queue()
    worker = WorkerProcess(
        WorkerState(index=0, frames=range(frame, frame + 1)), page, size, transparent, scratch,
        events, 1,
    )  # fmt: skip
    need = size.width * size.height * 4
    data = bytearray()

    def read() -> None:
        while len(data) < need:
            chunk = os.read(worker.frames_fd, need - len(data))
            if not chunk:
                return
            data.extend(chunk)

    try:
        worker.start()
        reader = threading.Thread(target=read, daemon=True, name="hf-still-read")
        reader.start()
        while not worker.state.finished:
            if cancel.is_set():
                raise RenderCancelled()
            try:
                _, message = events.get(timeout=0.1)
            except queue.Empty:
                if time.monotonic() - worker.state.last_message_at > SILENCE_LIMIT_S:
                    raise RenderError(
                        "The capture process stopped responding (the composition may be stuck "
                        "in an endless script). Check the composition's scripts and try again.",
                        stage="capture",
                    ) from None
                continue
            worker.state.last_message_at = time.monotonic()
            kind = message.get("event")
            if kind == "done":
                worker.state.finished = True
            elif kind == "error" or (kind == "exit" and not worker.state.finished):
                code = worker.wait_ended()
                if worker.state.error:
                    raise RenderError(worker.state.error[1], stage="capture")
                raise RenderError(describe_exit(code, worker.state.page_errors), stage="capture")
        reader.join(timeout=30)
        if len(data) != need:
            raise RenderError(
                f"The capture process sent {len(data)} of the frame's {need} bytes.",
                stage="capture",
            )
        worker.wait_ended()
        return bytes(data)
    finally:
        worker.stop()


def bgra_to_rgba(bgra: bytes) -> bytes:
    rgba = bytearray(len(bgra))
    rgba[0::4] = bgra[2::4]
    rgba[1::4] = bgra[1::4]
    rgba[2::4] = bgra[0::4]
    rgba[3::4] = bgra[3::4]
    return bytes(rgba)


def encode_png(rgba: bytes, width: int, height: int) -> bytes:
    """An 8-bit RGBA PNG (no filter, zlib level 6): lossless, so decoded it is ``rgba``."""
    stride = width * 4
    raw = b"".join(b"\x00" + rgba[row * stride : (row + 1) * stride] for row in range(height))

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


def _write_jpeg(
    bgra: bytes, size: OutputSize, raw: Path, out: Path, cancel: threading.Event
) -> None:
    """One FFmpeg image conversion of the captured frame (full-range 4:4:4, high quality)."""
    raw.write_bytes(bgra)
    result = tools.run_cancellable(
        "ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-nostdin",
            "-f", "rawvideo", "-pix_fmt", "bgra", "-video_size", f"{size.width}x{size.height}",
            "-i", str(raw), "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "2",
            "-pix_fmt", "yuvj444p", "-f", "image2", "-update", "1", "-y", str(out),
        ],
        cancel,
    )  # fmt: skip
    if result.returncode != 0 or not out.is_file():
        tail = " | ".join(result.stderr.strip().splitlines()[-3:])
        raise RenderError(f"FFmpeg could not write the JPEG: {tail or 'no output'}.", "assemble")
