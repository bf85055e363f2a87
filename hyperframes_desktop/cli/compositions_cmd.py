"""``hyperframes-desktop compositions [PROJECT] [--json]``: what the studio's project panel lists.

The same source of truth as the panel (``project.list_compositions``): index.html first, then
the other compositions in the project folder and ``compositions/``. A file that cannot be
read is listed with its error; a project that cannot be opened at all exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from hyperframes_desktop.project import CompositionInfo, ProjectError, list_compositions

EXIT_OK, EXIT_BAD_INPUT = 0, 2
NO_COMPOSITIONS = (
    "This folder has no HTML compositions. Fix: choose the folder that contains the "
    "project's index.html."
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compositions",
        help="list a project's compositions (as the studio's project panel does)",
        description="List the compositions of a project: file, id, size, duration, fps, "
        "number of clips and whether it is a sub-composition.",
    )
    p.add_argument("project", nargs="?", default=".", help="project folder (default: .)")
    p.add_argument("--json", action="store_true", help="print a JSON list of objects")
    p.set_defaults(func=run)


def as_dict(info: CompositionInfo, root: Path) -> dict[str, Any]:
    """One composition as plain JSON values; ``fps`` keeps rationals exact as a string."""
    return {
        "file": _relative(info.path, root),
        "id": info.composition_id,
        "width": info.width,
        "height": info.height,
        "duration": info.duration,
        "fps": None if info.fps is None else str(info.fps),
        "clips": info.clips,
        "sub_composition": info.is_sub,
        "error": info.error,
    }


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    stream = out if out is not None else sys.stdout
    try:
        infos = list_compositions(args.project)
    except ProjectError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not infos:
        print(f"error: {NO_COMPOSITIONS}", file=sys.stderr)
        return EXIT_BAD_INPUT
    root = Path(args.project).expanduser().resolve()
    rows = [as_dict(info, root) for info in infos]
    if args.json:
        print(json.dumps(rows, indent=2), file=stream)
    else:
        _print_table(rows, stream)
    return EXIT_OK


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _fps_text(fps: str | None) -> str:
    if fps is None:
        return "-"
    if "/" in fps:
        num, den = (int(part) for part in fps.split("/"))
        return f"{num / den:.3f}".rstrip("0").rstrip(".")
    return fps


def _print_table(rows: list[dict[str, Any]], stream: TextIO) -> None:
    header = ("FILE", "ID", "SIZE", "DURATION", "FPS", "CLIPS", "KIND")
    lines = [header]
    errors: list[str] = []
    for row in rows:
        size = f"{row['width']}x{row['height']}" if row["width"] and row["height"] else "-"
        duration = "-" if row["duration"] is None else f"{row['duration']:g} s"
        clips = "-" if row["clips"] is None else str(row["clips"])
        kind = "sub-composition" if row["sub_composition"] else "composition"
        if row["error"]:
            kind = "error (below)"
            errors.append(row["error"])
        lines.append(
            (row["file"], row["id"] or "-", size, duration, _fps_text(row["fps"]), clips, kind)
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        cells = (cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        print("  ".join(cells).rstrip(), file=stream)
    for error in errors:
        print(f"\n{error}", file=stream)  # names the file itself
