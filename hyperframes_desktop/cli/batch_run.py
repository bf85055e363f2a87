"""``render --batch FILE.jsonl``: one render per line, each reported, none stopping the rest."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from hyperframes_desktop.render import RenderCancelled, RenderInputError, RenderOptions
from hyperframes_desktop.render.batch import BatchOutcome, read_batch, run_batch

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 1, 2, 130


def run_batch_file(
    args: argparse.Namespace,
    base: RenderOptions,
    render_one: Callable[[RenderOptions], Path],
    parallel: int = 1,
    cancel: threading.Event | None = None,
) -> int:
    """Render every line of ``args.batch``; exit 0 when all succeeded, 1 when any failed,
    2 when the batch file itself is unusable, 130 when cancelled."""
    try:
        entries = read_batch(Path(args.batch).expanduser(), base)
    except RenderInputError as exc:
        print(f"hyperframes-desktop: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    total = len(entries)
    print(f"Batch: {total} item{'s' if total != 1 else ''}.", file=sys.stderr)

    def report(outcome: BatchOutcome) -> None:
        if outcome.ok:
            print(f"  ok      line {outcome.line}: {outcome.output}", file=sys.stderr)
        else:
            print(f"  failed  {outcome.error}", file=sys.stderr)

    try:
        result = run_batch(entries, render_one, parallel=parallel, on_outcome=report, cancel=cancel)
    except (RenderCancelled, KeyboardInterrupt):
        print("hyperframes-desktop: batch cancelled.", file=sys.stderr)
        return EXIT_CANCELLED
    done, failed = len(result.succeeded), len(result.failed)
    print(f"Batch finished: {done} rendered, {failed} failed.", file=sys.stderr)
    for outcome in result.succeeded:
        print(outcome.output)
    return EXIT_OK if not failed else EXIT_FAILED
