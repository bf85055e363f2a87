"""Captured frames (32-bit BGRA rows, as the capture view grabs them) to RGB layers and back."""

from __future__ import annotations

import numpy as np


def bgra_to_rgb(data: bytes | memoryview, width: int, rows: int, bytes_per_line: int) -> np.ndarray:
    """The first ``rows`` rows of a BGRA (little-endian 0xAARRGGBB) image as (rows, width, 3)
    uint8 RGB; alpha is dropped (the layers are drawn on an opaque background)."""
    pixels = np.frombuffer(data, dtype=np.uint8, count=bytes_per_line * rows)
    pixels = pixels.reshape(rows, bytes_per_line)[:, : width * 4].reshape(rows, width, 4)
    return np.ascontiguousarray(pixels[..., 2::-1])


def rgb_to_bgra(rgb: np.ndarray) -> bytes:
    """(rows, width, 3) uint8 RGB as opaque BGRA rows (width × 4 bytes each)."""
    rows, width = rgb.shape[:2]
    out = np.empty((rows, width, 4), dtype=np.uint8)
    out[..., :3] = rgb[..., ::-1]
    out[..., 3] = 255
    return out.tobytes()
