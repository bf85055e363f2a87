"""The fourteen shaders of ``@hyperframes/shader-transitions`` 0.8.x, as numpy on whole frames.

Each is written here from its GLSL fragment shader's math (the library's ``shaders/registry``):
``u_from`` is the outgoing scene, ``u_to`` the incoming one, ``u_progress`` 0..1,
``u_resolution`` the frame size, ``u_accent*`` the derived accent colours. The result is
clamped and rounded to 8 bits, as the canvas stores it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from hyperframes_desktop.render.shader_transitions.plan import Accents
from hyperframes_desktop.render.shader_transitions.texture import (
    Array,
    F,
    fbm,
    fract,
    mix,
    planes,
    rand,
    rgb,
    ridged,
    sample,
    sample_grid,
    smoothstep,
    step,
    uv_grid,
    vnoise,
)


@dataclass(frozen=True)
class Inputs:
    a: Array  # u_from, (h, w, 3) float32 0..1
    b: Array  # u_to
    p: F  # u_progress
    u: Array  # v_uv.x, (h, w)
    v: Array  # v_uv.y
    width: int
    height: int
    accents: Accents


Shader = Callable[[Inputs], Array]


def _stack(r: Array, g: Array, b: Array) -> Array:
    return np.stack([r, g, b], axis=-1)


def _clamp(x: Array) -> Array:
    return np.clip(x, 0.0, 1.0)


def domain_warp(i: Inputs) -> Array:
    qx, qy = fbm(i.u * F(3), i.v * F(3)), fbm(i.u * F(3) + F(5.2), i.v * F(3) + F(1.3))
    rx = fbm(i.u * F(3) + qx * F(4) + F(1.7), i.v * F(3) + qy * F(4) + F(9.2))
    ry = fbm(i.u * F(3) + qx * F(4) + F(8.3), i.v * F(3) + qy * F(4) + F(2.8))
    n = fbm(i.u * F(3) + rx * F(2), i.v * F(3) + ry * F(2))
    wx, wy = (qx - F(0.5)) * F(0.4), (qy - F(0.5)) * F(0.4)
    a = sample(i.a, _clamp(i.u + wx * i.p), _clamp(i.v + wy * i.p))
    b = sample(i.b, _clamp(i.u - wx * (F(1) - i.p)), _clamp(i.v - wy * (F(1) - i.p)))
    e = smoothstep(i.p - F(0.08), i.p + F(0.08), n)
    ed = np.abs(n - i.p)
    em = smoothstep(0.1, 0.0, ed) * (F(1) - step(1.0, i.p))
    ec = mix(rgb(i.accents.dark), rgb(i.accents.bright), smoothstep(0.0, 0.1, ed)[..., None])
    return mix(b, a, e[..., None]) + ec * (em * F(2))[..., None]


def ridged_burn(i: Inputs) -> Array:
    n = ridged(i.u * F(4), i.v * F(4))
    e = smoothstep(i.p - F(0.04), i.p + F(0.04), n)
    heat = smoothstep(0.12, 0.0, np.abs(n - i.p)) * (F(1) - step(1.0, i.p))
    h = heat[..., None]
    burn = mix(rgb(i.accents.dark), rgb(i.accents.accent), smoothstep(0.0, 0.25, h))
    burn = mix(burn, rgb(i.accents.bright), smoothstep(0.25, 0.5, h))
    burn = mix(burn, rgb((1.0, 1.0, 1.0)), smoothstep(0.5, 1.0, h))
    sparks = step(0.92, vnoise(i.u * F(80), i.v * F(80))) * heat * F(3)
    return (
        mix(i.b, i.a, e[..., None]) + burn * h * F(3.5) + rgb(i.accents.bright) * sparks[..., None]
    )


def _smear(texture: Array, i: Inputs, shift: float, offset: float, sign: float) -> Array:
    """Ten samples along x, ``shift`` then ``offset`` apart in total (whip-pan's motion blur);
    every row moves alike, so the rows are sampled as a grid."""
    u, v = i.u[0], i.v[:, 0]
    total = np.zeros((*i.u.shape, 3), dtype=F)
    for k in range(10):
        total += sample_grid(texture, _clamp(u + F(shift + sign * offset * k / 10)), v)
    return total / F(10)


def whip_pan(i: Inputs) -> Array:
    p = float(i.p)
    a = _smear(i.a, i, p * 1.5, p * 0.08, 1.0)
    b = _smear(i.b, i, -(1 - p) * 1.5, (1 - p) * 0.08, -1.0)
    return mix(a, b, i.p)


def sdf_iris(i: Inputs) -> Array:
    x = (i.u - F(0.5)) * F(i.width / i.height)
    d = np.sqrt(x * x + (i.v - F(0.5)) ** 2)
    radius, fw = i.p * F(1.2), F(0.003)
    edge = smoothstep(radius + fw, radius - fw, d)
    ring1 = np.exp(-np.abs(d - radius) * F(25))
    ring2 = np.exp(-np.abs(d - radius + F(0.04)) * F(20)) * F(0.5)
    ring3 = np.exp(-np.abs(d - radius + F(0.08)) * F(15)) * F(0.25)
    glow = (ring1 + ring2 + ring3) * i.p * (F(1) - i.p) * F(4)
    return mix(i.a, i.b, edge[..., None]) + rgb(i.accents.bright) * (glow * F(0.6))[..., None]


def ripple_waves(i: Inputs) -> Array:
    x, y = i.u - F(0.5), i.v - F(0.5)
    dist = np.sqrt(x * x + y * y)
    nx, ny = x + F(0.001), y + F(0.001)
    length = np.sqrt(nx * nx + ny * ny)
    dx, dy = nx / length, ny / length
    fw1 = np.exp(np.sin(dist * F(25) - i.p * F(12)) - F(1))
    fw2 = np.exp(np.sin(dist * F(50) - i.p * F(18)) - F(1)) * F(0.5)
    from_amp = i.p * F(0.04)
    a = sample(
        i.a, _clamp(i.u + dx * (fw1 + fw2) * from_amp), _clamp(i.v + dy * (fw1 + fw2) * from_amp)
    )
    tw1 = np.exp(np.sin(dist * F(25) + i.p * F(12)) - F(1))
    tw2 = np.exp(np.sin(dist * F(50) + i.p * F(18)) - F(1)) * F(0.5)
    to_amp = (F(1) - i.p) * F(0.04)
    b = sample(
        i.b, _clamp(i.u - dx * (tw1 + tw2) * to_amp), _clamp(i.v - dy * (tw1 + tw2) * to_amp)
    )
    tint = rgb(i.accents.bright) * (fw1 * i.p * F(0.1))[..., None]
    return mix(a + tint, b, i.p)


def gravitational_lens(i: Inputs) -> Array:
    x, y = i.u - F(0.5), i.v - F(0.5)
    dist = np.sqrt(x * x + y * y)
    pull = i.p * F(2)
    warp = pull * F(0.3) / (dist + F(0.1))
    green = sample(i.a, _clamp(i.u - x * warp), _clamp(i.v - y * warp), 1)
    horizon = smoothstep(0.0, 0.3, dist / (F(1) - i.p * F(0.85) + F(0.001)))
    shift = pull * F(0.02) / (dist + F(0.2))
    red = sample(i.a, _clamp(i.u - x * (warp + shift)), _clamp(i.v - y * (warp + shift)), 0)
    blue = sample(i.a, _clamp(i.u - x * (warp - shift)), _clamp(i.v - y * (warp - shift)), 2)
    lensed = _stack(red, green, blue) * horizon[..., None]
    return mix(lensed, i.b, smoothstep(0.3, 0.9, i.p))


def _zoom_blur(texture: Array, i: Inputs, strength: float, sign: float) -> Array:
    """Twelve samples toward (sign -1) or away from (+1) the centre, r/g/b at 1.06/1/0.94.
    ``uv + (uv - 0.5) * s`` scales the frame about its centre: sampled as a grid."""
    u, v = i.u[0], i.v[:, 0]
    channels = []
    for plane, factor in zip(planes(texture), (1.06, 1.0, 0.94), strict=True):
        total = np.zeros(i.u.shape, dtype=F)
        for k in range(12):
            scale = F(sign * strength * factor * k / 12)
            total += sample_grid(plane, u + (u - F(0.5)) * scale, v + (v - F(0.5)) * scale)
        channels.append(total / F(12))
    return _stack(*channels)


def cinematic_zoom(i: Inputs) -> Array:
    p = float(i.p)
    return mix(_zoom_blur(i.a, i, p * 0.08, -1.0), _zoom_blur(i.b, i, (1 - p) * 0.06, 1.0), i.p)


def chromatic_split(i: Inputs) -> Array:
    """Each channel scaled about the centre (``uv ± (uv - 0.5) * shift``): sampled as grids."""
    u, v = i.u[0], i.v[:, 0]
    cu, cv = u - F(0.5), v - F(0.5)

    def scaled(texture: Array, by: F, channel: int) -> Array:
        return sample_grid(texture, _clamp(u + cu * by), _clamp(v + cv * by), channel)

    s, t = i.p * F(0.06), (F(1) - i.p) * F(0.06)
    a = _stack(scaled(i.a, s, 0), scaled(i.a, F(0), 1), scaled(i.a, -s, 2))
    b = _stack(scaled(i.b, -t, 0), scaled(i.b, F(0), 1), scaled(i.b, t, 2))
    return mix(a, b, i.p)


def _glitch_rand(x: Array | float, y: Array | float) -> Array:
    return rand(np.asarray(x, dtype=F), np.asarray(y, dtype=F), 12.9898, 78.233)


def glitch(i: Inputs) -> Array:
    p = i.p
    inten = p * (F(1) - p) * F(4)
    line_y = np.floor(i.v * F(60)) / F(60)
    line_disp = (_glitch_rand(line_y, np.floor(p * F(17))) - F(0.5)) * F(0.18) * inten
    bx, by = np.floor(i.u * F(12)), np.floor(i.v * F(8))
    step_p = np.floor(p * F(11))  # vec2(floor(p * 11.)) adds the same value to x and y
    ba = step(0.83, _glitch_rand(bx + step_p, by + step_p)) * inten
    bdx = (_glitch_rand(bx * F(2.1), by * F(2.1)) - F(0.5)) * F(0.35) * ba
    bdy = (_glitch_rand(bx * F(3.7), by * F(3.7)) - F(0.5)) * F(0.35) * ba
    u, v = _clamp(i.u + line_disp + bdx), _clamp(i.v + bdy)
    shift = inten * F(0.035)
    col = _stack(sample(i.a, u + shift, v, 0), sample(i.a, u, v, 1), sample(i.a, u - shift, v, 2))
    scan = step(0.5, fract(i.v * F(i.height) * F(0.5))) * F(0.05) * inten
    col = col - scan[..., None]
    flicker_seed = np.floor(p * F(23))  # vec2(floor(p * 23.)): both components
    col = col * (F(1) + (_glitch_rand(flicker_seed, flicker_seed) - F(0.5)) * F(0.3) * inten)
    levels = mix(F(256), F(8), inten * F(0.5))
    col = np.floor(col * levels) / levels
    return mix(col, i.b, p)


def swirl_vortex(i: Inputs) -> Array:
    x, y = i.u - F(0.5), i.v - F(0.5)
    dist = np.sqrt(x * x + y * y)
    warp = fbm(i.u * F(4), i.v * F(4)) * F(0.5)
    angle = i.p * (F(1) - dist) * F(10) + warp * i.p * F(3)
    s, c = np.sin(angle), np.cos(angle)
    a = sample(i.a, _clamp(x * c - y * s + F(0.5)), _clamp(x * s + y * c + F(0.5)))
    angle = -(F(1) - i.p) * (F(1) - dist) * F(10) - warp * (F(1) - i.p) * F(3)
    s, c = np.sin(angle), np.cos(angle)
    b = sample(i.b, _clamp(x * c - y * s + F(0.5)), _clamp(x * s + y * c + F(0.5)))
    return mix(a, b, i.p)


def thermal_distortion(i: Inputs) -> Array:
    heat = i.p * F(1.5)
    fade = smoothstep(1.0, 0.0, i.v)
    shimmer = np.sin(i.v * F(40) + fbm(i.u * F(6), i.v * F(6)) * F(8)) * fbm(
        i.u * F(3), i.v * F(3) + i.p * F(2)
    )
    a = sample(i.a, _clamp(i.u + shimmer * heat * F(0.03) * fade), i.v)
    inverse = np.sin(i.v * F(40) + fbm(i.u * F(6) + F(3), i.v * F(6) + F(3)) * F(8)) * fbm(
        i.u * F(3) + F(3), i.v * F(3) + i.p * F(2)
    )
    b = sample(i.b, _clamp(i.u + inverse * (F(1) - i.p) * F(0.03) * fade), i.v)
    haze = heat * fade * F(0.15) * (F(1) - i.p)
    return mix(a, b, i.p) + rgb(i.accents.bright) * haze[..., None]


def flash_through_white(i: Inputs) -> Array:
    white = F(1)
    from_c = mix(i.a, white, smoothstep(0.0, 0.45, i.p))
    to_c = mix(i.b, white, F(1) - smoothstep(0.5, 1.0, i.p))
    return mix(from_c, to_c, smoothstep(0.35, 0.65, i.p))


def cross_warp_morph(i: Inputs) -> Array:
    dx = fbm(i.u * F(3), i.v * F(3)) - F(0.5)
    dy = fbm(i.u * F(3) + F(7.3), i.v * F(3) + F(3.7)) - F(0.5)
    a = sample(i.a, _clamp(i.u + dx * i.p * F(0.5)), _clamp(i.v + dy * i.p * F(0.5)))
    q = (F(1) - i.p) * F(0.5)
    b = sample(i.b, _clamp(i.u - dx * q), _clamp(i.v - dy * q))
    n = fbm(i.u * F(4) + F(3.1), i.v * F(4) + F(1.7))
    return mix(a, b, smoothstep(0.4, 0.6, n + i.p * F(1.2) - F(0.6))[..., None])


def _aces(x: Array) -> Array:
    return np.clip((x * (F(2.51) * x + F(0.03))) / (x * (F(2.43) * x + F(0.59)) + F(0.14)), 0, 1)


def light_leak(i: Inputs) -> Array:
    dist = np.sqrt((i.u - F(1.3)) ** 2 + (i.v + F(0.2)) ** 2)
    leak = np.clip(np.exp(-dist * F(1.8)) * i.p * F(4), 0, 1)
    warm = mix(rgb(i.accents.accent), rgb(i.accents.bright), (dist * F(0.7))[..., None])
    flare = np.exp(-np.abs(i.v - (F(-0.2) + i.u * F(0.3))) * F(15)) * leak * F(0.3)
    over = i.a + warm * (leak * F(3))[..., None] + rgb(i.accents.bright) * flare[..., None]
    return mix(_aces(over), i.b, smoothstep(0.15, 0.85, i.p))


SHADERS: dict[str, Shader] = {
    "domain-warp": domain_warp,
    "ridged-burn": ridged_burn,
    "whip-pan": whip_pan,
    "sdf-iris": sdf_iris,
    "ripple-waves": ripple_waves,
    "gravitational-lens": gravitational_lens,
    "cinematic-zoom": cinematic_zoom,
    "chromatic-split": chromatic_split,
    "glitch": glitch,
    "swirl-vortex": swirl_vortex,
    "thermal-distortion": thermal_distortion,
    "flash-through-white": flash_through_white,
    "cross-warp-morph": cross_warp_morph,
    "light-leak": light_leak,
}
SHADER_NAMES = frozenset(SHADERS)


def blend(
    shader: str, outgoing: Array, incoming: Array, progress: float, accents: Accents
) -> Array:
    """The frame ``shader`` draws from two (h, w, 3) uint8 RGB layers: (h, w, 3) uint8 RGB."""
    if outgoing.shape != incoming.shape:
        raise ValueError(f"layer sizes differ: {outgoing.shape} and {incoming.shape}")
    height, width = outgoing.shape[:2]
    u, v = uv_grid(width, height)
    inputs = Inputs(
        a=outgoing.astype(F) / F(255),
        b=incoming.astype(F) / F(255),
        p=F(progress),
        u=u,
        v=v,
        width=width,
        height=height,
        accents=accents,
    )
    out = SHADERS[shader](inputs)
    return np.rint(np.clip(out, 0.0, 1.0) * F(255)).astype(np.uint8)
