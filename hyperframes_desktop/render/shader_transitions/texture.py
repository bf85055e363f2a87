"""GLSL's building blocks for the shaders, on whole frames at once (numpy, float32 like a GPU).

Coordinates are the fragment's ``v_uv``: the library's vertex shader flips y and uploads its
textures unflipped, so ``(0, 0)`` is the frame's top-left corner and pixel ``(x, row)`` is
shaded at ``((x + 0.5) / width, (row + 0.5) / height)``.
"""

from __future__ import annotations

import numpy as np

F = np.float32
Array = np.ndarray


def uv_grid(width: int, height: int) -> tuple[Array, Array]:
    """``v_uv.x`` and ``v_uv.y`` of every pixel, each shaped (height, width)."""
    u = (np.arange(width, dtype=F) + F(0.5)) / F(width)
    v = (np.arange(height, dtype=F) + F(0.5)) / F(height)
    return np.broadcast_to(u[None, :], (height, width)), np.broadcast_to(
        v[:, None], (height, width)
    )


def sample(texture: Array, u: Array, v: Array, channel: int | None = None) -> Array:
    """``texture2D`` with LINEAR filtering and CLAMP_TO_EDGE: bilinear between the four nearest
    texel centres, indices clamped to the edge. ``channel`` picks one of r/g/b (cheaper)."""
    height, width = texture.shape[:2]
    x = np.asarray(u, dtype=F) * F(width) - F(0.5)
    y = np.asarray(v, dtype=F) * F(height) - F(0.5)
    x0f, y0f = np.floor(x), np.floor(y)
    fx, fy = x - x0f, y - y0f
    xi, yi = x0f.astype(np.int32), y0f.astype(np.int32)
    x0, x1 = np.clip(xi, 0, width - 1), np.clip(xi + 1, 0, width - 1)
    row0, row1 = np.clip(yi, 0, height - 1) * width, np.clip(yi + 1, 0, height - 1) * width
    if texture.ndim == 2:  # one channel already split out (see ``planes``)
        flat = texture.reshape(-1)
    elif channel is None:
        flat = texture.reshape(height * width, -1)
        fx, fy = fx[..., None], fy[..., None]
    else:
        flat = texture[..., channel].reshape(-1)
    top = flat[row0 + x0] * (F(1) - fx) + flat[row0 + x1] * fx
    bottom = flat[row1 + x0] * (F(1) - fx) + flat[row1 + x1] * fx
    return top * (F(1) - fy) + bottom * fy


def sample_grid(texture: Array, u_cols: Array, v_rows: Array, channel: int | None = None) -> Array:
    """``sample`` where x depends only on the column and y only on the row (a shift or a
    scale about a point): bilinear filtering is separable, so two 1-D passes do it, many
    times cheaper. ``u_cols`` has one entry per output column, ``v_rows`` one per row."""
    height, width = texture.shape[:2]
    source = texture if channel is None or texture.ndim == 2 else texture[..., channel]
    extra = (None,) * (source.ndim - 2)
    x = np.asarray(u_cols, dtype=F) * F(width) - F(0.5)
    x0f = np.floor(x)
    fx = (x - x0f)[(slice(None), *extra)]
    x0 = np.clip(x0f.astype(np.int32), 0, width - 1)
    x1 = np.clip(x0f.astype(np.int32) + 1, 0, width - 1)
    across = source[:, x0] * (F(1) - fx) + source[:, x1] * fx
    y = np.asarray(v_rows, dtype=F) * F(height) - F(0.5)
    y0f = np.floor(y)
    fy = (y - y0f)[(slice(None), None, *extra)]
    y0 = np.clip(y0f.astype(np.int32), 0, height - 1)
    y1 = np.clip(y0f.astype(np.int32) + 1, 0, height - 1)
    if len(y0) == height and not fy.any() and np.array_equal(y0, np.arange(height)):
        return across  # every row on its own texel centre (a horizontal shift)
    return across[y0] * (F(1) - fy) + across[y1] * fy


def planes(texture: Array) -> list[Array]:
    """The r, g and b planes of ``texture``, each contiguous: cheap to sample many times."""
    return [np.ascontiguousarray(texture[..., channel]) for channel in range(3)]


def fract(x: Array) -> Array:
    return x - np.floor(x)


def mix(a: Array, b: Array, t: Array | float) -> Array:
    return a * (F(1) - t) + b * t


def smoothstep(edge0: float | Array, edge1: float | Array, x: Array) -> Array:
    t = np.clip((x - edge0) / (np.asarray(edge1, dtype=F) - edge0), 0.0, 1.0).astype(F)
    return t * t * (F(3) - F(2) * t)


def step(edge: float | Array, x: Array | float) -> Array:
    return (np.asarray(x) >= edge).astype(F)


def rgb(value: tuple[float, float, float]) -> Array:
    """A vec3 uniform, broadcastable against (height, width, 3)."""
    return np.asarray(value, dtype=F)


def rand(x: Array, y: Array | float, kx: float, ky: float) -> Array:
    """``fract(sin(dot(p, vec2(kx, ky))) * 43758.5453)``: the shaders' pseudo-random hash.

    In float64: the product magnifies the last bits of ``sin``, and numpy's float32 ``sin``
    depends on the CPU's SIMD width; glibc's float64 one gives every machine (a farm's
    workers, a still, a render) the same noise."""
    dot = np.asarray(x, dtype=np.float64) * kx + np.asarray(y, dtype=np.float64) * ky
    value = np.sin(dot) * 43758.5453
    return (value - np.floor(value)).astype(F)


def hash2(x: Array, y: Array) -> Array:
    return rand(x, y, 127.1, 311.7)


def vnoise(x: Array, y: Array) -> Array:
    """Value noise: the corner hashes of the unit cell, blended with the quintic fade."""
    ix, iy = np.floor(x), np.floor(y)
    fx, fy = x - ix, y - iy
    fx = fx * fx * fx * (fx * (fx * F(6) - F(15)) + F(10))
    fy = fy * fy * fy * (fy * (fy * F(6) - F(15)) + F(10))
    h00, h10, h01, h11 = _corner_hashes(ix, iy)
    return mix(mix(h00, h10, fx), mix(h01, h11, fx), fy)


def _corner_hashes(ix: Array, iy: Array) -> tuple[Array, Array, Array, Array]:
    """hash2 at the four corners of each pixel's cell. A frame covers few cells (a noise
    octave is a few to a few hundred cells across), so the hashes are computed once per
    lattice point of the cells' bounding box and looked up: the same values, far fewer sines."""
    x0, y0 = ix.astype(np.int64), iy.astype(np.int64)
    lo_x, lo_y = int(x0.min()), int(y0.min())
    span_x, span_y = int(x0.max()) - lo_x + 2, int(y0.max()) - lo_y + 2
    if span_x * span_y > x0.size:  # a lattice finer than the frame: hash every pixel
        one = F(1)
        return hash2(ix, iy), hash2(ix + one, iy), hash2(ix, iy + one), hash2(ix + one, iy + one)
    gx = np.arange(lo_x, lo_x + span_x).astype(F)
    gy = np.arange(lo_y, lo_y + span_y).astype(F)
    table = hash2(gx[None, :], gy[:, None])
    cx, cy = x0 - lo_x, y0 - lo_y
    return table[cy, cx], table[cy, cx + 1], table[cy + 1, cx], table[cy + 1, cx + 1]


def _octaves(x: Array, y: Array, layer) -> Array:
    """Five octaves: amplitude halves, p = mat2(.8, .6, -.6, .8) * p * 2.02 between them."""
    value = np.zeros(np.shape(x), dtype=F)
    amplitude = F(0.5)
    x, y = np.asarray(x, dtype=F), np.asarray(y, dtype=F)
    for _ in range(5):
        value += amplitude * layer(x, y)
        x, y = (F(0.8) * x - F(0.6) * y) * F(2.02), (F(0.6) * x + F(0.8) * y) * F(2.02)
        amplitude *= F(0.5)
    return value


def fbm(x: Array, y: Array) -> Array:
    return _octaves(x, y, vnoise)


def ridged(x: Array, y: Array) -> Array:
    return _octaves(x, y, lambda a, b: np.abs(vnoise(a, b) * F(2) - F(1)))
