"""Which frames are inside a shader transition, at what progress, with which colours."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

RGB = tuple[float, float, float]

#: The library's defaults (``DEFAULT_DURATION``; accents when ``accentColor`` is not given).
DEFAULT_DURATION = 0.7
_DEFAULT_ACCENT: RGB = (1.0, 0.6, 0.2)
_DEFAULT_DARK: RGB = (0.4, 0.15, 0.0)
_DEFAULT_BRIGHT: RGB = (1.0, 0.85, 0.5)


@dataclass(frozen=True)
class Accents:
    """The three accent uniforms (``u_accent``, ``u_accent_dark``, ``u_accent_bright``)."""

    accent: RGB = _DEFAULT_ACCENT
    dark: RGB = _DEFAULT_DARK
    bright: RGB = _DEFAULT_BRIGHT

    @classmethod
    def from_hex(cls, colour: str | None) -> Accents:
        """As the library derives them: dark = 0.35 × accent, bright = min(1, 1.5 × accent +
        0.2); no colour gives the defaults, an unreadable one mid grey."""
        if not colour:
            return cls()
        rgb = _parse_hex(colour)
        return cls(
            accent=rgb,
            dark=(rgb[0] * 0.35, rgb[1] * 0.35, rgb[2] * 0.35),
            bright=(
                min(1.0, rgb[0] * 1.5 + 0.2),
                min(1.0, rgb[1] * 1.5 + 0.2),
                min(1.0, rgb[2] * 1.5 + 0.2),
            ),
        )


def _parse_hex(colour: str) -> RGB:
    digits = colour.strip().replace("#", "")
    if len(digits) < 6:
        return (0.5, 0.5, 0.5)
    try:
        r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return (0.5, 0.5, 0.5)
    return (r, g, b)


@dataclass(frozen=True)
class TransitionWindow:
    time: float
    duration: float
    shader: str
    from_scene: str
    to_scene: str

    def progress_at(self, t: float) -> float | None:
        """The shader's progress at time ``t``; None outside ``time <= t <= time + duration``."""
        if not self.time <= t <= self.time + self.duration:
            return None
        if self.duration <= 0:
            return 1.0
        return min(1.0, max(0.0, (t - self.time) / self.duration))


@dataclass(frozen=True)
class ActiveTransition:
    window: TransitionWindow
    progress: float


@dataclass(frozen=True)
class TransitionPlan:
    windows: tuple[TransitionWindow, ...] = ()
    accents: Accents = field(default_factory=Accents)

    def __bool__(self) -> bool:
        return bool(self.windows)

    def active(self, t: float) -> ActiveTransition | None:
        """The first transition drawn at time ``t`` (as HyperFrames picks it), if any."""
        for window in self.windows:
            progress = window.progress_at(t)
            if progress is not None:
                return ActiveTransition(window, progress)
        return None

    @classmethod
    def from_page(cls, raw: str, known_shaders: frozenset[str] | set[str]) -> TransitionPlan:
        """The plan from ``window.__hf_shader.plan()`` (JSON; '' or junk: no transitions).

        CSS cross-fades (no shader) are left to the page's own timeline, and a shader this
        build does not know is skipped (the page then shows its opacity flip)."""
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        windows: list[TransitionWindow] = []
        for item in data.get("transitions") or []:
            window = _window(item, known_shaders)
            if window is not None:
                windows.append(window)
        accent = data.get("accentColor")
        return cls(
            windows=tuple(windows),
            accents=Accents.from_hex(accent if isinstance(accent, str) else None),
        )


def _window(item: object, known_shaders: frozenset[str] | set[str]) -> TransitionWindow | None:
    if not isinstance(item, dict):
        return None
    shader, start = item.get("shader"), item.get("time")
    from_scene, to_scene = item.get("fromScene"), item.get("toScene")
    if not isinstance(shader, str) or shader not in known_shaders:
        return None
    if not isinstance(from_scene, str) or not isinstance(to_scene, str):
        return None
    if not from_scene or not to_scene or not _finite(start):
        return None
    duration = item.get("duration")
    if not _finite(duration) or duration < 0:
        duration = DEFAULT_DURATION
    return TransitionWindow(float(start), float(duration), shader, from_scene, to_scene)


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
