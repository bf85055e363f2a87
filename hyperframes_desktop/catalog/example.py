"""``init --example NAME``: a new project from one of HyperFrames' catalog examples.

Examples may carry ``__VIDEO_SRC__`` and ``__VIDEO_DURATION__`` placeholders; ``video``
fills both (the file is copied into the project), ``audio`` fills the duration (and is
copied). A placeholder left unfilled is refused, naming where it is, before anything is
written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .client import RegistryClient, safe_relative
from .config import DEFAULT_PATHS, DEFAULT_REGISTRY_URL
from .errors import CatalogError
from .media_length import media_duration
from .resolve import check_compatible

PLACEHOLDERS = ("__VIDEO_SRC__", "__VIDEO_DURATION__")
_TEXT = (".html", ".htm", ".css", ".js", ".mjs", ".json", ".md", ".svg", ".txt")


@dataclass
class ExampleResult:
    folder: Path
    example: str
    files: list[str] = field(default_factory=list)
    duration: float | None = None


def placeholders_in(files: dict[str, bytes]) -> dict[str, list[str]]:
    """file → the placeholders it holds."""
    found: dict[str, list[str]] = {}
    for target, data in files.items():
        if target.lower().endswith(_TEXT):
            text = data.decode("utf-8", errors="replace")
            names = [p for p in PLACEHOLDERS if p in text]
            if names:
                found[target] = names
    return found


def _fill(files: dict[str, bytes], tokens: dict[str, str]) -> dict[str, bytes]:
    filled = {}
    for target, data in files.items():
        if target.lower().endswith(_TEXT) and any(t.encode() in data for t in tokens):
            text = data.decode("utf-8")
            for token, value in tokens.items():
                text = text.replace(token, value)
            data = text.encode("utf-8")
        filled[target] = data
    return filled


def _refuse_unfilled(files: dict[str, bytes]) -> None:
    left = placeholders_in(files)
    if left:
        where = "; ".join(f"{name}: {', '.join(tokens)}" for name, tokens in sorted(left.items()))
        raise CatalogError(
            f"This example needs a video for its placeholders ({where}). Nothing was written. "
            "Fix: give one with --video FILE."
        )


def init_example(
    client: RegistryClient,
    name: str,
    folder: Path,
    *,
    video: Path | None = None,
    audio: Path | None = None,
    force: bool = False,
) -> ExampleResult:
    folder = folder.expanduser().absolute()
    if folder.exists() and (not folder.is_dir() or (any(folder.iterdir()) and not force)):
        raise CatalogError(
            f'The folder "{folder}" is not empty. Fix: choose a new or empty folder, or pass '
            "--force to add the example's files beside what is there."
        )
    item = client.item(name)
    if item.type != "hyperframes:example":
        raise CatalogError(
            f'"{name}" is a {item.kind}, not an example. Fix: start a project with '
            f"hyperframes-desktop init DIR, then add it with hyperframes-desktop add {name}."
        )
    check_compatible(item)
    files = {
        safe_relative(f.target, "target").as_posix(): client.file_bytes(item, f.path)
        for f in item.files
    }
    tokens: dict[str, str] = {}
    duration = None
    media = [m for m in (video, audio) if m is not None]
    for path in media:
        if not Path(path).is_file():
            raise CatalogError(f'"{path}" is not a file. Fix: give the path of a media file.')
    if video is not None:
        duration = media_duration(video)
        tokens["__VIDEO_SRC__"] = Path(video).name
    elif audio is not None:
        duration = media_duration(audio)
    if duration is not None:
        tokens["__VIDEO_DURATION__"] = f"{round(duration, 2):g}"
    files = _fill(files, tokens)
    _refuse_unfilled(files)
    for path in media:
        files.setdefault(Path(path).name, b"")  # copied below, not read into memory
    clashes = [t for t in files if (folder / t).exists()]
    if clashes:
        raise CatalogError(
            f'The folder "{folder}" already has {", ".join(clashes)}. Fix: choose another '
            "folder, or move those files away first."
        )
    config: dict[str, object] = {"paths": DEFAULT_PATHS}
    if client.base != DEFAULT_REGISTRY_URL:
        config = {"registry": client.base, **config}
    files.setdefault("hyperframes.json", (json.dumps(config, indent=2) + "\n").encode())
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".hf-init-", dir=folder.parent))
    try:
        for target, data in files.items():
            path = staging / target
            path.parent.mkdir(parents=True, exist_ok=True)
            source = next((m for m in media if Path(m).name == target), None)
            if source is not None:
                shutil.copyfile(source, path)
            else:
                path.write_bytes(data)
        if not folder.exists():
            os.replace(staging, folder)
        else:
            for target in files:
                (folder / target).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / target, folder / target)
    except OSError as exc:
        raise CatalogError(
            f'Cannot write the project into "{folder}" ({exc.strerror or exc}). Fix: choose a '
            "folder you can write to, with free space."
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ExampleResult(folder, name, sorted(files), duration)
