"""``init``: a new project folder from a bundled template, written all at once.

The files are first written into a hidden staging folder beside the target and then moved
into place, so an interrupted ``init`` never leaves a half-made project under the final name.
A folder that already has files is refused unless ``force``; even then no existing file is
replaced.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .resolutions import parse_resolution
from .templates import DEFAULT_TEMPLATE, TEXT_SUFFIXES, Template, find_template

CONFIG_FILE = "hyperframes.json"
#: Where ``add`` puts catalog items (HyperFrames' defaults), written into every new project.
DEFAULT_PATHS = {
    "blocks": "compositions",
    "components": "compositions/components",
    "assets": "assets",
}
_FPS = re.compile(r"^\d+(\.\d+)?(/\d+)?$")


class InitError(Exception):
    """The project cannot be made; the message says why and how to fix it."""


@dataclass
class InitOptions:
    folder: Path
    template: str = DEFAULT_TEMPLATE
    resolution: str | None = None  # None: the template's own
    fps: str | int | None = None  # None: 30
    force: bool = False


@dataclass(frozen=True)
class InitResult:
    folder: Path
    template: str
    width: int
    height: int
    fps: str
    files: list[str] = field(default_factory=list)


def parse_fps(value: str | int | None) -> str:
    """The frame rate as written into ``data-fps``: ``"30"``, ``"29.97"``, ``"30000/1001"``."""
    if value is None:
        return "30"
    text = str(value).strip()
    try:
        rate = Fraction(text) if _FPS.match(text) else None
    except (ValueError, ZeroDivisionError):
        rate = None
    if rate is None or not 1 <= rate <= 240:
        raise InitError(
            f'"{text}" is not a frame rate. Fix: give frames per second from 1 to 240, e.g. '
            "--fps 30, --fps 24 or --fps 30000/1001."
        )
    return text


def fill_tokens(text: str, tokens: dict[str, str]) -> str:
    for key, value in tokens.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def _check_target(folder: Path, template: Template, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise InitError(f'"{folder}" is a file, not a folder. Fix: choose a new folder name.')
    if not folder.is_dir():
        return
    existing = [p for p in folder.iterdir() if not p.name.startswith(".hf-init-")]
    if existing and not force:
        raise InitError(
            f'The folder "{folder}" is not empty. Fix: choose a new or empty folder, or pass '
            "--force to add the template's files beside what is there."
        )
    ours = [*template.files(), Path(CONFIG_FILE)]
    clashes = [str(rel) for rel in ours if (folder / rel).exists()]
    if clashes:
        raise InitError(
            f'The folder "{folder}" already has {", ".join(clashes)}, which the template would '
            "replace. Fix: choose another folder, or move those files away first."
        )


def _stage(template: Template, staging: Path, tokens: dict[str, str]) -> list[str]:
    written = []
    for rel in template.files():
        source, target = template.folder / rel, staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix.lower() in TEXT_SUFFIXES:
            target.write_text(
                fill_tokens(source.read_text(encoding="utf-8"), tokens), encoding="utf-8"
            )
        else:
            shutil.copyfile(source, target)
        written.append(rel.as_posix())
    config = {"paths": DEFAULT_PATHS}
    (staging / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    written.append(CONFIG_FILE)
    return written


def _publish(staging: Path, folder: Path, files: list[str]) -> None:
    if not folder.exists():
        os.replace(staging, folder)
        return
    for rel in files:
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)
    shutil.rmtree(staging, ignore_errors=True)


def init_project(options: InitOptions) -> InitResult:
    """Write a new project; :class:`InitError` (a sentence) when it cannot."""
    try:
        template = find_template(options.template)
        width, height = parse_resolution(options.resolution or template.resolution)
    except ValueError as exc:
        raise InitError(str(exc)) from None
    fps = parse_fps(options.fps)
    folder = Path(options.folder).expanduser().absolute()
    _check_target(folder, template, options.force)
    tokens = {
        "width": str(width),
        "height": str(height),
        "fps": fps,
        "unit": f"{min(width, height) / 100:g}",
        "name": folder.name,
    }
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".hf-init-", dir=folder.parent))
    except OSError as exc:
        raise InitError(
            f'Cannot create a folder in "{folder.parent}" ({exc.strerror or exc}). Fix: choose '
            "a folder you can write to."
        ) from None
    try:
        files = _stage(template, staging, tokens)
        _publish(staging, folder, files)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise InitError(
            f'Cannot write the project into "{folder}" ({exc.strerror or exc}). Fix: choose a '
            "folder you can write to, with free space."
        ) from None
    return InitResult(folder, template.name, width, height, fps, files)
