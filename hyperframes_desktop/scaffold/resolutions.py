"""Canvas sizes a new project can be given: HyperFrames' preset names, or WIDTHxHEIGHT."""

from __future__ import annotations

import re

#: Preset names (HyperFrames' ``init --resolution`` names and aliases) and their sizes.
RESOLUTION_NAMES: dict[str, tuple[int, int]] = {
    "landscape": (1920, 1080),
    "1080p": (1920, 1080),
    "portrait": (1080, 1920),
    "square": (1080, 1080),
    "1080p-square": (1080, 1080),
    "square-1080p": (1080, 1080),
    "landscape-4k": (3840, 2160),
    "4k": (3840, 2160),
    "uhd": (3840, 2160),
    "portrait-4k": (2160, 3840),
    "square-4k": (2160, 2160),
    "4k-square": (2160, 2160),
}

#: The names offered in prompts and dialogs (aliases left out).
MAIN_NAMES = ("landscape", "portrait", "square", "landscape-4k", "portrait-4k", "square-4k")

_SIZE = re.compile(r"^\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*$")
_MAX_SIDE = 8192


def parse_resolution(text: str) -> tuple[int, int]:
    """``"portrait"`` → (1080, 1920); ``"1280x720"`` → (1280, 720). ValueError says why not."""
    key = text.strip().lower()
    if key in RESOLUTION_NAMES:
        return RESOLUTION_NAMES[key]
    match = _SIZE.match(key)
    if match:
        width, height = int(match.group(1)), int(match.group(2))
        if 16 <= width <= _MAX_SIDE and 16 <= height <= _MAX_SIDE and width % 2 == height % 2 == 0:
            return width, height
        raise ValueError(
            f'The size "{text}" cannot be used. Fix: give even sides from 16 to {_MAX_SIDE} '
            "pixels, e.g. 1280x720."
        )
    raise ValueError(
        f'"{text}" is not a resolution. Fix: use one of {", ".join(MAIN_NAMES)}, or '
        "WIDTHxHEIGHT such as 1280x720."
    )
