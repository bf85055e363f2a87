"""Helpers for the video-extract tests: source videos whose every frame says its own number
as a flat colour, small compositions that use them, and a capture driven like the pipeline's.
"""

from __future__ import annotations

import threading
from fractions import Fraction
from pathlib import Path

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.render import tools
from hyperframes_desktop.render.compile import CompiledPage, PlacedMedia, place_media

RGB = tuple[int, int, int]

#: Counter sources hold at most this many frames (two decimal digits of colour).
MAX_COUNTER_FRAMES = 100


def counter_colour(n: int) -> RGB:
    """The flat colour of source frame ``n``: red = units, green = tens (steps of 25)."""
    return (n % 10) * 25, (n // 10) * 25, 128


def frame_number(rgb: RGB, tol: int = 12) -> int | None:
    """The counter frame whose colour ``rgb`` is, or None when it is none of them."""
    r, g, _ = rgb
    units, tens = round(r / 25), round(g / 25)
    if not (0 <= units <= 9 and 0 <= tens <= 9):
        return None
    n = tens * 10 + units
    expected = counter_colour(n)
    if max(abs(x - y) for x, y in zip(expected, rgb, strict=True)) > tol:
        return None
    return n


def ffmpeg(*args: str) -> str:
    result = tools.run_tool("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", *args], 120)
    assert result.returncode == 0, result.stderr
    return result.stderr


def make_counter_video(
    path: Path,
    frames: int = 90,
    rate: str = "30",
    size: str = "64x36",
    extra: tuple[str, ...] = (),
) -> Path:
    """An H.264 MP4 of ``frames`` frames at ``rate`` whose frame n is ``counter_colour(n)``."""
    assert frames <= MAX_COUNTER_FRAMES
    path.parent.mkdir(parents=True, exist_ok=True)
    source = (
        f"color=c=black:s={size}:r={rate},format=rgb24,"
        "geq=r='mod(N\\,10)*25':g='floor(N/10)*25':b='128'"
    )
    ffmpeg("-f", "lavfi", "-i", source, "-frames:v", str(frames),
           "-c:v", "libx264", "-preset", "ultrafast", "-qp", "4", "-g", "12",
           "-pix_fmt", "yuv420p", "-colorspace", "smpte170m",  # what FFmpeg's matrix is
           *extra, "-y", str(path))  # fmt: skip
    return path


def _pixel(image: Path, x: int, y: int, pix_fmt: str) -> bytes:
    size = {"rgba": 4, "rgb24": 3}[pix_fmt]
    result = tools.launch(
        [tools.find_tool("ffmpeg"), "-v", "error", "-nostdin", "-i", str(image),
         "-vf", f"format={pix_fmt},crop=1:1:{x}:{y}", "-f", "rawvideo", "-pix_fmt", pix_fmt,
         "pipe:1"],
        stdout=-1, stderr=-1,
    )  # fmt: skip
    out, err = result.communicate(timeout=60)
    assert result.returncode == 0 and len(out) == size, err
    return out


def decode_rgba(image: Path, x: int = 0, y: int = 0) -> tuple[int, int, int, int]:
    """One pixel of an image file (JPEG/PNG) with its alpha, decoded by FFmpeg."""
    r, g, b, a = _pixel(image, x, y, "rgba")
    return r, g, b, a


def folder_pixels(folder: Path, ext: str, x: int, y: int) -> list[RGB]:
    """Pixel (x, y) of every ``folder/%06d.<ext>`` image, in order, in one FFmpeg run."""
    result = tools.launch(
        [tools.find_tool("ffmpeg"), "-v", "error", "-nostdin", "-i", str(folder / f"%06d.{ext}"),
         "-vf", f"format=rgb24,crop=1:1:{x}:{y}", "-f", "rawvideo", "-pix_fmt", "rgb24",
         "pipe:1"],
        stdout=-1, stderr=-1,
    )  # fmt: skip
    out, err = result.communicate(timeout=60)
    assert result.returncode == 0 and out, err
    return [(out[i], out[i + 1], out[i + 2]) for i in range(0, len(out), 3)]


def url_path(url: str) -> Path:
    from urllib.parse import unquote, urlparse

    return Path(unquote(urlparse(url).path))


STAGE_CSS = """
* { margin: 0; padding: 0; box-sizing: border-box; }
html, body { width: WIDTHpx; height: HEIGHTpx; overflow: hidden; background: #202020; }
#root { position: relative; width: WIDTHpx; height: HEIGHTpx; background: #202020; }
"""


def composition_html(
    body: str, duration: float, width: int = 640, height: int = 360, fps: str = "30", css: str = ""
) -> str:
    base = STAGE_CSS.replace("WIDTH", str(width)).replace("HEIGHT", str(height))
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><style>{base}{css}</style></head>
<body>
<div id="root" data-composition-id="main" data-width="{width}" data-height="{height}"
     data-duration="{duration}" data-fps="{fps}" data-no-timeline>
{body}
</div>
</body></html>
"""


def video_tag(
    src: str,
    start: float,
    duration: float,
    *,
    element_id: str = "v",
    media_start: float | None = None,
    rate: float | None = None,
    extra: str = "",
) -> str:
    attrs = [f'id="{element_id}"', 'class="clip"', f'data-start="{start}"',
             f'data-duration="{duration}"', 'data-track-index="0"']  # fmt: skip
    if media_start is not None:
        attrs.append(f'data-media-start="{media_start}"')
    if rate is not None:
        attrs.append(f'data-playback-rate="{rate}"')
    return f'<video {" ".join(attrs)} muted playsinline src="{src}" {extra}></video>'


def project_media(project: Path, html: str) -> tuple[list[PlacedMedia], Fraction, float]:
    """Write ``index.html`` into ``project`` and return its placed media, fps and duration."""
    project.mkdir(parents=True, exist_ok=True)
    (project / "index.html").write_text(html, encoding="utf-8")
    comp = load_composition(project)
    return place_media(comp), comp.fps, comp.duration


def capture_mp4(page: CompiledPage, scratch: Path) -> Path:
    """Capture every frame of ``page`` into one H.264 file, the way the pipeline does (one
    worker, its usual two views in flight)."""
    from hyperframes_desktop.render.capture_stage import CaptureRequest, capture_and_encode
    from hyperframes_desktop.render.formats import FORMATS
    from hyperframes_desktop.render.output import OutputSize

    scratch.mkdir(parents=True, exist_ok=True)
    request = CaptureRequest(
        page,
        FORMATS["mp4"],
        "standard",
        OutputSize(page.width, page.height, 1.0),
        scratch,
        scratch / "video.mp4",
        1,
    )
    outcome = capture_and_encode(request, threading.Event(), lambda _p: None, lambda: 0.0)
    return outcome.output
