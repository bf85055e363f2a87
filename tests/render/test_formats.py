"""Every output format, checked by what a viewer (or a compositing tool) gets: codec, pixel
format with alpha where promised, frame count, transparency, GIF looping, PNG files."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from support import write_project
from support.media import moov_first, probe
from support.rendering import run_cli

pytestmark = pytest.mark.slow

W, H, FPS, SECONDS = 160, 90, 10, 1
FRAMES = FPS * SECONDS

# A transparent page: a red square on nothing. Alpha formats must keep the nothing.
TRANSPARENT_HTML = f"""<!doctype html><html><head><style>
html, body {{ margin: 0; width: {W}px; height: {H}px; background: transparent; }}
#sq {{ position: absolute; left: 10px; top: 10px; width: 40px; height: 40px; background: #ff0000; }}
</style></head><body>
<div id="root" data-composition-id="alpha" data-width="{W}" data-height="{H}"
     data-duration="{SECONDS}" data-fps="{FPS}" data-no-timeline><div id="sq"></div></div>
</body></html>"""


@pytest.fixture(scope="module")
def alpha_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("alpha") / "project", TRANSPARENT_HTML)


def _render(project: Path, out: Path, *args: str) -> Path:
    proc = run_cli([str(project), "-o", str(out), "--quality", "draft", *args])
    assert proc.returncode == 0, proc.stderr
    return out


def _stream(path: Path) -> dict:
    return next(s for s in probe(path)["streams"] if s["codec_type"] == "video")


def _decoded_alpha(path: Path, x: int, y: int) -> int:
    """Alpha of pixel (x, y) in the 5th frame, decoded to RGBA by FFmpeg (libvpx for VP9,
    since FFmpeg's native VP9 decoder drops the alpha plane)."""
    import subprocess

    from hyperframes_desktop.render import tools

    pre = ["-c:v", "libvpx-vp9"] if path.suffix == ".webm" else []
    data = subprocess.run(
        [tools.find_tool("ffmpeg"), "-v", "error", *pre, "-i", str(path),
         "-vf", "select=eq(n\\,5)", "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgba", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return data[(y * W + x) * 4 + 3]


def test_mp4_is_h264_yuv420p(alpha_project: Path, tmp_path: Path) -> None:
    out = _render(alpha_project, tmp_path / "v.mp4", "--format", "mp4")
    assert moov_first(out)
    s = _stream(out)
    assert (s["codec_name"], s["pix_fmt"], int(s["nb_read_frames"])) == ("h264", "yuv420p", FRAMES)


def test_webm_is_vp9_with_alpha(alpha_project: Path, tmp_path: Path) -> None:
    out = _render(alpha_project, tmp_path / "v.webm", "--format", "webm")
    s = _stream(out)
    assert s["codec_name"] == "vp9"
    assert int(s["nb_read_frames"]) == FRAMES
    assert s.get("tags", {}).get("alpha_mode") == "1" or s.get("tags", {}).get("ALPHA_MODE") == "1"
    assert _decoded_alpha(out, 120, 60) < 16, "the empty area must stay transparent"
    assert _decoded_alpha(out, 30, 30) > 240, "the red square must stay opaque"


def test_mov_is_prores_4444_with_alpha(alpha_project: Path, tmp_path: Path) -> None:
    out = _render(alpha_project, tmp_path / "v.mov", "--format", "mov")
    assert moov_first(out)
    s = _stream(out)
    assert s["codec_name"] == "prores"
    assert s["pix_fmt"].startswith("yuva444p")
    assert int(s["nb_read_frames"]) == FRAMES
    assert _decoded_alpha(out, 120, 60) < 16
    assert _decoded_alpha(out, 30, 30) > 240


@pytest.mark.parametrize(("loop", "expected"), [("0", 0), ("3", 3), ("-1", None)])
def test_gif_frames_and_loop(alpha_project: Path, tmp_path: Path, loop: str, expected) -> None:
    out = _render(alpha_project, tmp_path / "v.gif", "--format", "gif", "--gif-loop", loop)
    s = _stream(out)
    assert s["codec_name"] == "gif"
    assert int(s["nb_read_frames"]) == FRAMES
    data = out.read_bytes()
    marker = data.find(b"NETSCAPE2.0")
    if expected is None:
        assert marker == -1, "a GIF that plays once has no loop extension"
    else:
        assert marker != -1, "a looping GIF carries the NETSCAPE2.0 extension"
        assert struct.unpack("<H", data[marker + 13 : marker + 15])[0] == expected


def _png_alpha(path: Path, x: int, y: int) -> int:
    """Alpha of one pixel of an 8-bit RGBA, non-interlaced PNG (decoded with zlib)."""
    data = path.read_bytes()
    pos, idat, width, colour_type = 8, b"", 0, 0
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, colour_type = struct.unpack(">I", body[:4])[0], body[9]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert colour_type == 6, "PNG must be RGBA (colour type 6)"
    raw, stride, prev = zlib.decompress(idat), width * 4, bytearray(width * 4)
    rows = []
    for r in range(y + 1):
        ftype, line = (
            raw[r * (stride + 1)],
            bytearray(raw[r * (stride + 1) + 1 : (r + 1) * (stride + 1)]),
        )
        for i in range(stride):
            a = line[i - 4] if i >= 4 else 0
            b, c = prev[i], prev[i - 4] if i >= 4 else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return rows[y][x * 4 + 3]


def test_png_sequence_rgba_files(alpha_project: Path, tmp_path: Path) -> None:
    out = _render(alpha_project, tmp_path / "frames", "--format", "png-sequence")
    files = sorted(out.glob("*.png"))
    assert len(files) == FRAMES
    assert files[0].name == "frame_000000.png" and files[-1].name == f"frame_{FRAMES - 1:06d}.png"
    assert _stream(files[3])["pix_fmt"] == "rgba"
    assert _png_alpha(files[3], 120, 60) == 0
    assert _png_alpha(files[3], 30, 30) == 255
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]


def test_png_sequence_into_an_existing_file_is_a_clear_error(
    alpha_project: Path, tmp_path: Path
) -> None:
    target = tmp_path / "taken"
    target.write_text("keep me")
    proc = run_cli([str(alpha_project), "-o", str(target), "--format", "png-sequence"])
    assert proc.returncode == 2
    assert "folder" in proc.stderr and "Traceback" not in proc.stderr
    assert target.read_text() == "keep me"
