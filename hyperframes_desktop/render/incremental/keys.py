"""What a cached segment is keyed by.

- The settings key: the composition (project folder and file), every render setting that
  decides a segment's pixels or encoding, the renderer's version (the package and its page
  runtime), the variables, and a digest of the project's asset files (style sheets, scripts,
  images, fonts, data; media clips by their files). An asset change therefore starts afresh:
  its effect on a frame is not always in the DOM.
- The chunk key: the settings key, the chunk's frames and their fingerprints (the page's own
  hash of what each frame shows, frame_fingerprint.js).

HTML files are not in the asset digest: the compiled page inlines them, so what they change is
in the fingerprints (that is what lets an edited composition reuse its unchanged chunks).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

from hyperframes_desktop import __version__
from hyperframes_desktop.project import Composition
from hyperframes_desktop.render.compile import PlacedMedia, runtime_source
from hyperframes_desktop.render.options import RenderOptions
from hyperframes_desktop.render.output import OutputSize

#: Files whose bytes can change pixels without changing the DOM.
_SUFFIXES = ".css .js .mjs .cjs .json .svg .png .jpg .jpeg .gif .webp .avif .bmp .ico .woff"
ASSET_SUFFIXES = frozenset(
    f"{_SUFFIXES} .woff2 .ttf .otf .txt .csv .tsv .glb .gltf .bin .hdr .ktx2 .wasm".split(" ")
)
#: Folders that never hold a composition's own assets (packages are versioned by npm).
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__"})
#: The default output folder (PROJECT/renders): earlier renders' GIFs and PNGs are not assets.
RENDERS_DIR = "renders"


def _digest(facts: object) -> str:
    blob = json.dumps(facts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def renderer_version() -> str:
    """The package version and its page runtime: a new renderer never reuses old segments."""
    runtime = hashlib.sha256(runtime_source().encode("utf-8")).hexdigest()[:16]
    return f"{__version__}+{runtime}"


def asset_digest(project_root: Path, media: Iterable[PlacedMedia], skip: Path | None) -> str:
    """Name, size and mtime of every asset file in the project (hidden folders, packages, the
    ``renders`` folder and ``skip``, this render's output, left out) and of every media clip's
    file."""
    facts: list[tuple[str, int, int]] = []
    root = project_root.resolve()
    skipped = {root / RENDERS_DIR}
    if skip is not None:
        skipped.add(skip.resolve())
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and d not in SKIPPED_DIRS and here / d not in skipped
        )  # fmt: skip
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() not in ASSET_SUFFIXES:
                continue
            path = here / name
            if path in skipped:
                continue
            try:
                stat = path.stat()
            except OSError:
                continue
            name = path.relative_to(root).as_posix()
            facts.append((name, stat.st_size, stat.st_mtime_ns))
    for placed in media:
        path = placed.element.path
        if path is not None:
            try:
                stat = path.stat()
                facts.append((str(path), stat.st_size, stat.st_mtime_ns))
            except OSError:
                facts.append((str(path), -1, -1))
        else:
            facts.append((placed.element.src, 0, 0))
    return _digest(facts)


def settings_key(**facts: object) -> str:
    """A stable key for everything that decides a segment's bytes besides the frame's state."""
    return _digest({"renderer": renderer_version(), **facts})


def chunk_key(settings: str, start: int, end: int, fingerprints: list[str]) -> str:
    return _digest({"settings": settings, "frames": [start, end], "fingerprints": fingerprints})


def render_settings_key(
    options: RenderOptions,
    comp: Composition,
    media: Iterable[PlacedMedia],
    size: OutputSize,
    fps: Fraction,
    final: Path,
    chunk_frames: int,
) -> str:
    """The settings key of a render of ``comp`` with ``options`` (see the module's note)."""
    return settings_key(
        project=str(Path(comp.project_root).resolve()),
        composition=options.composition or "",
        format=options.format,
        quality=options.quality,
        crf=options.crf,
        video_bitrate=options.video_bitrate,
        size=[size.width, size.height, size.scale],
        stage=[comp.width, comp.height],
        fps=str(fps),
        chunk_frames=chunk_frames,
        variables=options.variables or {},
        assets=asset_digest(Path(comp.project_root), media, final),
    )
