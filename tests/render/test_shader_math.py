"""The shader transitions' math (render.shader_transitions), checked against what each GLSL
shader of ``@hyperframes/shader-transitions`` computes, and the plan read from the page."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from support.shader_library import shader_library_js

from hyperframes_desktop.render.shader_transitions import (
    SHADER_NAMES,
    Accents,
    TransitionPlan,
    bgra_to_rgb,
    blend,
    rgb_to_bgra,
)

H, W = 36, 64
RNG = np.random.default_rng(7)
FROM = RNG.integers(0, 256, (H, W, 3), dtype=np.uint8)
TO = RNG.integers(0, 256, (H, W, 3), dtype=np.uint8)


def _flat(colour: tuple[int, int, int]) -> np.ndarray:
    return np.broadcast_to(np.array(colour, dtype=np.uint8), (H, W, 3)).copy()


def test_every_shader_the_library_ships_is_drawn() -> None:
    """The real build from the npm registry: its registry of fragment shaders, by name."""
    text = shader_library_js().read_text(encoding="utf-8")
    shipped = set(re.findall(r'[{,]"?([a-z][a-z-]*)"?:\{frag:', text))
    assert len(shipped) == 14 and shipped == SHADER_NAMES


@pytest.mark.parametrize("shader", sorted(SHADER_NAMES))
def test_every_shader_ends_on_the_incoming_scene(shader: str) -> None:
    out = blend(shader, FROM, TO, 1.0, Accents())
    assert out.shape == TO.shape and out.dtype == np.uint8
    assert np.abs(out.astype(int) - TO).max() <= 1


@pytest.mark.parametrize(
    "shader",
    ["domain-warp", "whip-pan", "sdf-iris", "ripple-waves", "cinematic-zoom", "chromatic-split",
     "swirl-vortex", "thermal-distortion", "flash-through-white", "cross-warp-morph"],
)  # fmt: skip
def test_shaders_without_an_effect_at_zero_start_on_the_outgoing_scene(shader: str) -> None:
    assert np.abs(blend(shader, FROM, TO, 0.0, Accents()).astype(int) - FROM).max() <= 1


def test_flash_through_white_is_white_half_way() -> None:
    assert (blend("flash-through-white", FROM, TO, 0.5, Accents()) == 255).all()


def test_iris_opens_from_the_middle() -> None:
    out = blend("sdf-iris", _flat((200, 0, 0)), _flat((0, 0, 200)), 0.3, Accents())
    # inside radius 0.36: incoming (plus a trace of the rim's glow); the corner: outgoing
    assert np.abs(out[H // 2, W // 2].astype(int) - (0, 0, 200)).max() <= 3
    assert np.abs(out[0, 0].astype(int) - (200, 0, 0)).max() <= 3


def test_whip_pan_slides_the_outgoing_scene_to_the_left() -> None:
    half = _flat((0, 0, 0))
    half[:, W // 2 :] = 255  # right half white
    out = blend("whip-pan", half, _flat((0, 0, 0)), 0.2, Accents())
    # at u, the outgoing scene is sampled from u + 0.3 (+ a short blur): white from u ≈ 0.2
    assert out[H // 2, 2, 0] == 0 and out[H // 2, int(W * 0.25), 0] > 150


def test_light_leak_comes_from_the_top_right_corner() -> None:
    out = blend("light-leak", _flat((0, 0, 0)), _flat((0, 0, 0)), 0.1, Accents())
    assert out[0, W - 1].sum() > out[H - 1, 0].sum() + 100  # v_uv.y grows downwards


def test_glitch_darkens_every_other_row_and_quantizes() -> None:
    grey = _flat((128, 128, 128))
    out = blend("glitch", grey, grey, 0.5, Accents())
    # intensity 1: 132 levels; odd rows (fract(y * 0.5) >= 0.5) are 0.05 darker, then half
    # of that is mixed with the incoming scene at progress 0.5
    even, odd = out[10, 40].astype(int), out[11, 40].astype(int)
    assert (even - odd).min() >= 5
    assert len(np.unique(out[::2])) <= 3  # quantized: a flat grey stays one or two levels


def test_accents_follow_the_library() -> None:
    accents = Accents.from_hex("#336699")
    assert accents.accent == pytest.approx((0.2, 0.4, 0.6))
    assert accents.dark == pytest.approx((0.07, 0.14, 0.21))
    assert accents.bright == pytest.approx((0.5, 0.8, 1.0))
    assert Accents.from_hex(None) == Accents()
    assert Accents.from_hex("#abc").accent == (0.5, 0.5, 0.5)


def test_accent_colour_reaches_the_glow() -> None:
    black = _flat((0, 0, 0))
    green = blend("sdf-iris", black, black, 0.5, Accents.from_hex("#00ff00"))
    warm = blend("sdf-iris", black, black, 0.5, Accents())
    assert green[..., 1].max() > 150 and green[..., 0].max() < 60
    assert warm[..., 0].max() > 150 and warm[..., 1].max() > warm[..., 2].max()


def _plan(*transitions: dict, **colours: str) -> TransitionPlan:
    return TransitionPlan.from_page(
        json.dumps({"transitions": list(transitions), **colours}), SHADER_NAMES
    )


def test_plan_windows_are_inclusive_and_linear() -> None:
    plan = _plan(
        {"time": 0.75, "duration": 0.85, "shader": "glitch", "ease": "power2.inOut",
         "fromScene": "a", "toScene": "b"},
        accentColor="#00ff00",
    )  # fmt: skip
    assert plan.active(0.74) is None and plan.active(1.61) is None
    assert plan.active(0.75).progress == 0.0
    assert plan.active(48 / 30).progress == 1.0  # 0.75 + 0.85: the window's last frame at 30 fps
    assert plan.active(0.75 + 0.85 / 4).progress == pytest.approx(0.25)  # no ease
    assert plan.accents == Accents.from_hex("#00ff00")


def test_plan_leaves_crossfades_and_unknown_shaders_to_the_page() -> None:
    plan = _plan(
        {"time": 0, "duration": 1, "fromScene": "a", "toScene": "b"},  # CSS cross-fade
        {"time": 2, "duration": 1, "shader": "nope", "fromScene": "b", "toScene": "c"},
        {"time": 4, "shader": "glitch", "fromScene": "c", "toScene": ""},
    )
    assert not plan
    assert not TransitionPlan.from_page("", SHADER_NAMES)
    assert not TransitionPlan.from_page("[1, 2]", SHADER_NAMES)


def test_frames_round_trip_through_bgra() -> None:
    stride = W * 4 + 8  # a padded row, as a QImage may have
    data = bytearray(stride * H)
    for row in range(H):
        data[row * stride : row * stride + W * 4] = rgb_to_bgra(FROM[row : row + 1])
    assert (bgra_to_rgb(bytes(data), W, H, stride) == FROM).all()
