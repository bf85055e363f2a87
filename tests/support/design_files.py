"""Set-up shared by the write-back tests of tests/project/design: one page written as an LF,
CRLF or BOM (+ CRLF) file, golden files (``UPDATE_GOLDEN=1`` rewrites them after review), and
one edit made from a fresh timeline and written."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from hyperframes_desktop.project.design.move import ElementRef
from hyperframes_desktop.project.timeline import Edit, Timeline, apply_edit, build_timeline
from hyperframes_desktop.project.timeline.writeback import AppliedEdit

GOLDEN = Path(__file__).resolve().parent.parent / "project" / "design" / "golden"
KINDS = ("lf", "crlf", "bom")


def page_bytes(page: str, kind: str = "lf") -> bytes:
    """``page`` as ``kind``: ``lf``, ``crlf``, or ``bom`` (a UTF-8 BOM and CRLF)."""
    data = page.encode() if kind == "lf" else page.replace("\n", "\r\n").encode()
    return b"\xef\xbb\xbf" + data if kind == "bom" else data


def write_project(tmp_path: Path, page: str, kind: str = "lf") -> Path:
    """A project folder ``tmp_path/kind`` whose index.html is ``page`` as ``kind``."""
    folder = tmp_path / kind
    folder.mkdir()
    (folder / "index.html").write_bytes(page_bytes(page, kind))
    return folder


def check_golden(name: str, data: bytes) -> None:
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert golden.is_file(), f"no golden file {golden.name}; run with UPDATE_GOLDEN=1 and review"
    assert data == golden.read_bytes()


def ref(folder: Path, key: str) -> ElementRef:
    """The element ``key`` (an id or a source key) of the project's index.html."""
    return ElementRef(folder.resolve() / "index.html", key)


def edit_and_write(folder: Path, make: Callable[[Timeline], Edit]) -> tuple[Edit, AppliedEdit]:
    """Build the project's timeline, make an edit from it and write it."""
    timeline = build_timeline(folder)
    edit = make(timeline)
    return edit, apply_edit(edit, timeline)
