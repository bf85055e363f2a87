"""PNG data URIs with wrong checksums draw as Chrome draws them (its decoder ignores them):
the compiled page carries the PNG with its checksums recomputed; right ones are untouched."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest
from support import frame_rgb, write_project
from support.media import near, pixel

from hyperframes_desktop.render.png_checksums import repair_png_data_uris
from hyperframes_desktop.render.still import StillOptions, render_still

PINK, PAGE = (200, 40, 120), (10, 10, 10)


def _chunk(kind: bytes, payload: bytes, crc: int | None = None) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def _png(rgb: tuple[int, int, int], *, bad_adler: bool, bad_crc: bool) -> bytes:
    """A 1×1 RGB PNG; optionally with a wrong zlib Adler-32 and a wrong IDAT CRC."""
    stream = bytearray(zlib.compress(bytes([0, *rgb])))
    if bad_adler:
        stream[-1] ^= 0x5A
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = _chunk(b"IDAT", bytes(stream), 0x12345678 if bad_crc else None)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + idat + _chunk(b"IEND", b"")


def _uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def test_right_checksums_and_other_data_are_left_as_written() -> None:
    good = f'<img src="{_uri(_png(PINK, bad_adler=False, bad_crc=False))}">'
    assert repair_png_data_uris(good) == good
    other = '<img src="data:image/png;base64,bm90IGEgcG5n"><p>data:image/png;base64,</p>'
    assert repair_png_data_uris(other) == other


def test_wrong_checksums_are_recomputed_and_the_pixels_kept() -> None:
    bad = _png(PINK, bad_adler=True, bad_crc=True)
    fixed = repair_png_data_uris(f'<img src="{_uri(bad)}">')
    data = base64.b64decode(fixed.split(",", 1)[1].split('"', 1)[0])
    assert data == _png(PINK, bad_adler=False, bad_crc=False)


@pytest.mark.slow
def test_a_png_with_a_wrong_zlib_checksum_paints_its_pixels(tmp_path: Path) -> None:
    uri = _uri(_png(PINK, bad_adler=True, bad_crc=True))
    html = (
        "<!doctype html><html><head><style>html,body{margin:0;background:rgb(10,10,10)}"
        "</style></head><body><div data-composition-id=png data-width=160 data-height=90 "
        'data-duration=1 data-no-timeline style="position:relative">'
        f'<img src="{uri}" style="position:absolute;left:0;top:0;width:80px;height:90px">'
        "</div></body></html>"
    )
    project = write_project(tmp_path / "p", html)
    frame = frame_rgb(
        render_still(StillOptions(project, time="0", output=tmp_path / "f.png")).output, 0
    )
    assert near(pixel(frame, 40, 45), PINK, 12), pixel(frame, 40, 45)
    assert near(pixel(frame, 120, 45), PAGE, 12)
