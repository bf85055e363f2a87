"""Batch renders: one JSON line per output, each with its own variable values.

A batch file (``.jsonl``) holds one JSON object per line::

    {"output": "renders/alice.mp4", "variables": {"name": "Alice"}}
    {"output": "renders/bob.webm", "variables": {"name": "Bob"}, "composition": "promo.html"}

Blank lines and lines starting with ``#`` are skipped. Relative outputs are taken from the
batch file's folder, so a batch file means the same thing wherever it is run from. The format
follows the output's extension (``.mp4``, ``.webm``, ``.mov``, ``.gif``; a name without an
extension takes the render's ``--format``), unless the line gives ``"format"``.

Every item is checked and rendered on its own: a bad line or a failed render is reported and
the batch goes on. Qt-free; the CLI and the studio call :func:`run_batch` with the backend
that renders one item (this computer or the farm).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hyperframes_desktop.project import ProjectError
from hyperframes_desktop.render.formats import FORMAT_EXTENSIONS
from hyperframes_desktop.render.media_errors import MediaInputError
from hyperframes_desktop.render.options import (
    RenderCancelled,
    RenderError,
    RenderInputError,
    RenderOptions,
)

_KEYS = {"output", "variables", "composition", "format"}
_FORMAT_BY_SUFFIX = {ext: name for name, ext in FORMAT_EXTENSIONS.items() if ext}


@dataclass(frozen=True)
class BatchItem:
    """One line of a batch file, checked: the options its render runs with."""

    line: int
    options: RenderOptions


@dataclass(frozen=True)
class BatchOutcome:
    """What became of one line: the file written, or the sentence saying why not."""

    line: int
    output: Path | None
    error: str | None = None
    bad_input: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class BatchReport:
    outcomes: list[BatchOutcome] = field(default_factory=list)

    @property
    def succeeded(self) -> list[BatchOutcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[BatchOutcome]:
        return [o for o in self.outcomes if not o.ok]


RenderOne = Callable[[RenderOptions], Path]
"""Renders one item and returns the file (or folder) written; raises the engine's errors."""


def read_batch(path: Path, base: RenderOptions) -> list[BatchItem | BatchOutcome]:
    """Every non-blank line of ``path`` as a checked item, or as a failed outcome that says
    what is wrong with that line and how to fix it."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RenderInputError(
            f'Cannot read the batch file "{path.name}" ({exc.strerror}). '
            "Fix: give the path of a readable .jsonl file."
        ) from None
    except UnicodeDecodeError:
        raise RenderInputError(
            f'The batch file "{path.name}" is not UTF-8 text. Fix: save it as UTF-8 JSON lines.'
        ) from None
    entries: list[BatchItem | BatchOutcome] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            entries.append(BatchItem(number, _item_options(stripped, path.parent, base)))
        except RenderInputError as exc:
            entries.append(BatchOutcome(number, None, f"line {number}: {exc}", bad_input=True))
    if not entries:
        raise RenderInputError(
            f'The batch file "{path.name}" has no lines to render. Fix: write one JSON object '
            'per line, such as {"output": "alice.mp4", "variables": {"name": "Alice"}}.'
        )
    return entries


def _item_options(line: str, folder: Path, base: RenderOptions) -> RenderOptions:
    try:
        value: Any = json.loads(line)
    except ValueError as exc:
        raise RenderInputError(
            f"this is not valid JSON ({exc.msg} at column {exc.colno}). Fix: write one JSON "
            'object per line, such as {"output": "alice.mp4", "variables": {"name": "Alice"}}.'
        ) from None
    if not isinstance(value, dict):
        raise RenderInputError(
            'each line must be a JSON object such as {"output": "alice.mp4"}. '
            "Fix: wrap the line's values in an object."
        )
    unknown = sorted(set(value) - _KEYS)
    if unknown:
        raise RenderInputError(
            f"unknown key {', '.join(json.dumps(k) for k in unknown)}. "
            f"Fix: use only {', '.join(sorted(_KEYS))}."
        )
    output = value.get("output")
    if not isinstance(output, str) or not output.strip():
        raise RenderInputError(
            'the line has no "output". Fix: add "output": "NAME.mp4" (relative to the batch '
            "file's folder)."
        )
    variables = value.get("variables", {})
    if not isinstance(variables, dict):
        raise RenderInputError(
            '"variables" must be an object of names to values, such as {"name": "Alice"}.'
        )
    composition = value.get("composition", base.composition)
    if composition is not None and not isinstance(composition, str):
        raise RenderInputError('"composition" must be a file name such as "index.html".')
    target = Path(output).expanduser()
    if not target.is_absolute():
        target = folder / target
    fmt = _format_for(value.get("format"), target, base.format)
    return replace(
        base,
        output=target,
        composition=composition,
        format=fmt,
        variables={**(base.variables or {}), **variables} or None,
    )


def _format_for(given: Any, target: Path, default: str) -> str:
    if given is not None:
        if given not in FORMAT_EXTENSIONS:
            raise RenderInputError(
                f'"format": {json.dumps(given)} is not a format. '
                f"Fix: use one of {', '.join(FORMAT_EXTENSIONS)}."
            )
        return str(given)
    return _FORMAT_BY_SUFFIX.get(target.suffix.lower(), default)


def run_batch(
    entries: list[BatchItem | BatchOutcome],
    render_one: RenderOne,
    *,
    parallel: int = 1,
    on_outcome: Callable[[BatchOutcome], None] | None = None,
    cancel: threading.Event | None = None,
) -> BatchReport:
    """Render every item with ``render_one``; a failure is recorded and the batch goes on.

    ``parallel`` > 1 renders that many items at once (a farm spreads them over its workers);
    on this computer one at a time is fastest, as each render already uses every core.
    Outcomes are reported as they happen and listed in the batch file's order.
    """
    cancel = cancel or threading.Event()
    lock = threading.Lock()
    outcomes: dict[int, BatchOutcome] = {}

    def record(outcome: BatchOutcome) -> None:
        with lock:
            outcomes[outcome.line] = outcome
        if on_outcome is not None:
            on_outcome(outcome)

    def render(item: BatchItem) -> None:
        if cancel.is_set():
            return
        try:
            written = render_one(item.options)
        except (ProjectError, RenderInputError, MediaInputError) as exc:
            record(BatchOutcome(item.line, None, f"line {item.line}: {exc}", bad_input=True))
        except RenderCancelled:
            cancel.set()
        except RenderError as exc:
            record(
                BatchOutcome(
                    item.line, None, f"line {item.line}: render failed during {exc.stage}: {exc}"
                )
            )
        else:
            record(BatchOutcome(item.line, written))

    items = []
    for entry in entries:
        if isinstance(entry, BatchOutcome):
            record(entry)
        else:
            items.append(entry)
    if parallel <= 1:
        for item in items:
            render(item)
    else:
        pool = ThreadPoolExecutor(max_workers=parallel, thread_name_prefix="hf-batch")
        try:
            list(pool.map(render, items))
        except BaseException:  # Ctrl+C here: the renders on the pool watch ``cancel``
            cancel.set()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    if cancel.is_set():
        raise RenderCancelled()
    return BatchReport([outcomes[line] for line in sorted(outcomes)])
