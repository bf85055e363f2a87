"""PNG images with wrong checksums, drawn as current Chrome draws them.

Chrome (and so HyperFrames, which renders with it) decodes a PNG whose chunk CRCs or zlib
Adler-32 checksum are wrong as if they were right: its PNG decoder does not verify them. The
Chromium inside QtWebEngine still does for the zlib checksum, so the same ``<img>`` shows other
pixels (or none) here. The compile step therefore recomputes the checksums of the
``data:image/png;base64,…`` URIs in the compiled page (never the user's file); a PNG whose
checksums are right, or that cannot be parsed at all, is left byte for byte as written.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import zlib

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_DATA_URI = re.compile(r"(data:image/png;base64,)([A-Za-z0-9+/]+={0,2})")


def _chunks(data: bytes) -> list[tuple[bytes, bytes, int]] | None:
    """(type, payload, stored CRC) of every chunk, or None when the bytes are not a PNG."""
    if not data.startswith(_SIGNATURE):
        return None
    chunks, pos = [], len(_SIGNATURE)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 8 + length
        if end + 4 > len(data):
            return None
        (crc,) = struct.unpack(">I", data[end : end + 4])
        chunks.append((kind, data[pos + 8 : end], crc))
        pos = end + 4
        if kind == b"IEND":
            return chunks
    return None


def _zlib_with_right_adler(stream: bytes) -> bytes | None:
    """``stream`` (a zlib stream) with its Adler-32 recomputed; None when it cannot be
    inflated (then nothing is changed)."""
    if len(stream) < 6:
        return None
    inflater = zlib.decompressobj(-15)
    try:
        raw = inflater.decompress(stream[2:]) + inflater.flush()
    except zlib.error:
        return None
    if not inflater.eof:
        return None
    deflated = len(stream) - len(inflater.unused_data)
    return stream[:deflated] + struct.pack(">I", zlib.adler32(raw) & 0xFFFFFFFF)


def _chunk(kind: bytes, payload: bytes) -> bytes:
    crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)


def repaired_png(data: bytes) -> bytes | None:
    """The PNG with right checksums, or None when they already are right (or it is no PNG)."""
    chunks = _chunks(data)
    if chunks is None:
        return None
    idat = b"".join(payload for kind, payload, _ in chunks if kind == b"IDAT")
    fixed_idat = _zlib_with_right_adler(idat) if idat else None
    if fixed_idat is None:
        return None
    bad_crc = any(zlib.crc32(kind + payload) & 0xFFFFFFFF != crc for kind, payload, crc in chunks)
    if not bad_crc and fixed_idat == idat:
        return None
    out, wrote_idat = [_SIGNATURE], False
    for kind, payload, _ in chunks:
        if kind == b"IDAT":
            if not wrote_idat:  # one IDAT chunk holds the whole stream
                out.append(_chunk(b"IDAT", fixed_idat))
                wrote_idat = True
            continue
        out.append(_chunk(kind, payload))
    return b"".join(out)


def repair_png_data_uris(document: str) -> str:
    """``document`` with the checksums of its PNG data URIs recomputed where they are wrong."""

    def repair(match: re.Match[str]) -> str:
        try:
            data = base64.b64decode(match.group(2), validate=True)
        except (binascii.Error, ValueError):
            return match.group(0)
        fixed = repaired_png(data)
        if fixed is None:
            return match.group(0)
        return match.group(1) + base64.b64encode(fixed).decode("ascii")

    if "data:image/png" not in document:
        return document
    return _DATA_URI.sub(repair, document)
