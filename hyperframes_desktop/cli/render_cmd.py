"""``hyperframes-desktop render``: a headless render with progress, summary and telemetry."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from fractions import Fraction
from pathlib import Path

from hyperframes_desktop.cli.farm_args import add_farm_arguments, farm_from_args
from hyperframes_desktop.cli.progress_view import ProgressPrinter, format_summary
from hyperframes_desktop.project import ProjectError, parse_fps
from hyperframes_desktop.render import (
    FORMATS,
    QUALITY_PRESETS,
    RenderCancelled,
    RenderError,
    RenderInputError,
    RenderOptions,
)
from hyperframes_desktop.render.backends import RenderBackend, backend_for
from hyperframes_desktop.render.farm.errors import FarmError
from hyperframes_desktop.render.frame_range import parse_frame_range
from hyperframes_desktop.render.media_errors import MediaInputError
from hyperframes_desktop.render.options import FORMAT_EXTENSIONS
from hyperframes_desktop.render.variables import parse_variables_arg
from hyperframes_desktop.render.worker_model import parse_workers

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_CANCELLED = 0, 1, 2, 130
_FLUSH_TIMEOUT_S = 1.0


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("render", help="render a project to a video file, headless")
    p.add_argument("project", nargs="?", default=".", help="project folder (default: .)")
    p.add_argument(
        "-c", "--composition", help="composition file in the project (default index.html)"
    )
    p.add_argument("-o", "--output", help="output file or folder (default PROJECT/renders/ID.mp4)")
    p.add_argument("--fps", help="frame rate: 1-240 or a rational like 30000/1001")
    p.add_argument("--quality", choices=list(QUALITY_PRESETS), default="standard")
    p.add_argument(
        "--format",
        choices=list(FORMATS),
        help="output format (default: from the -o extension, else mp4)",
    )
    p.add_argument(
        "--resolution",
        help="output size of the same aspect: 1080p, 4k, portrait, portrait-4k, square, "
        "square-4k or WIDTHxHEIGHT (a smaller composition is supersampled)",
    )
    p.add_argument("--variables", help='variable values as JSON, e.g. \'{"title": "Hi"}\'')
    p.add_argument("--variables-file", help="a JSON file of variable values")
    p.add_argument("--gif-loop", type=int, default=0, help="GIF: 0 loops forever, -1 plays once")
    p.add_argument(
        "--frames",
        metavar="START-END",
        help="render only these frames (0-based, inclusive, e.g. 30-59); sound is trimmed to match",
    )
    rate = p.add_mutually_exclusive_group()
    rate.add_argument(
        "--crf", type=int, help="constant quality instead of the preset's (x264 0-51, VP9 0-63)"
    )
    rate.add_argument(
        "--video-bitrate", metavar="RATE", help="target video bitrate instead, e.g. 5M or 800k"
    )
    p.add_argument(
        "--workers",
        metavar="N|auto",
        help="capture processes: a number, or auto (default) to pick from the cores and memory",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="remote libraries, fonts and media from the cache only",
    )
    p.add_argument(
        "--follow-outside-links",
        action="store_true",
        help="follow links in the project that lead outside its folder (left out by default: "
        "a page could read what they reach); only for projects you trust",
    )
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="capture every frame: do not reuse unchanged chunks of earlier renders (the render "
        "cache; see doctor)",
    )
    p.add_argument("--json", action="store_true", help="print the perf summary as one JSON object")
    p.add_argument(
        "--batch",
        metavar="FILE.jsonl",
        help='one render per line: {"output": "NAME.mp4", "variables": {...}}; '
        "a failed line is reported and the rest go on",
    )
    add_farm_arguments(p)
    p.set_defaults(func=run)


def _fps(text: str | None) -> Fraction | None:
    if text is None:
        return None
    try:
        return parse_fps(text)
    except ValueError as exc:
        raise RenderInputError(
            f'--fps "{text}": {exc}. Fix: give a frame rate from 1 to 240, such as 30, 29.97 '
            "or 30000/1001, or leave --fps out to use the composition's."
        ) from None


def _workers(text: str | None) -> int | None:
    try:
        return parse_workers(text)
    except ValueError as exc:
        raise RenderInputError(str(exc)) from None


def output_format(given: str | None, output: str | None) -> str:
    """--format when given; else the one -o's extension names (out.webm is WebM); else mp4."""
    if given:
        return given
    suffix = Path(output).suffix.lower() if output else ""
    by_suffix = {ext: name for name, ext in FORMAT_EXTENSIONS.items() if ext}
    return by_suffix.get(suffix, "mp4")


def _stop_on_termination() -> None:
    """SIGTERM/SIGHUP end a render like Ctrl+C does: children stopped, partial files removed."""

    def interrupt(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


def run(args: argparse.Namespace) -> int:
    from hyperframes_desktop import telemetry

    _stop_on_termination()
    telemetry.ensure_cli_notice(sys.stderr)
    printer = ProgressPrinter(sys.stderr)
    job: RenderBackend | None = None
    if args.batch:
        return _run_batch(args)
    try:
        options = _options(args)
        job = backend_for(farm_from_args(args))
        result = job.render(options, printer.update)
    except (ProjectError, RenderInputError, MediaInputError) as exc:
        printer.finish()
        _report_error(args, job, getattr(exc, "stage", "compile"), exc)
        print(f"hyperframes-desktop: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FarmError as exc:
        printer.finish()
        _report_error(args, job, exc.stage, exc)
        print(f"hyperframes-desktop: render farm: {exc}", file=sys.stderr)
        for line in exc.details:  # names of workers: shown here, never sent anywhere
            print(f"  {line}", file=sys.stderr)
        return EXIT_FAILED
    except RenderError as exc:
        printer.finish()
        _report_error(args, job, exc.stage, exc)
        print(f"hyperframes-desktop: render failed during {exc.stage}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (RenderCancelled, KeyboardInterrupt):
        printer.finish()
        print("hyperframes-desktop: render cancelled; no file was written.", file=sys.stderr)
        telemetry.get_client().flush(_FLUSH_TIMEOUT_S)
        return EXIT_CANCELLED
    printer.finish()
    telemetry.track_render_complete(result.perf, source="cli")
    cache = getattr(result, "cache", None)  # the farm renders without the render cache
    if args.json:
        fetched = getattr(result, "fetched_urls", [])
        print(
            json.dumps(
                {
                    "output": str(result.output),
                    **result.perf.to_dict(),
                    "fetchedUrls": fetched,
                    "renderCache": cache.to_dict() if cache is not None else None,
                }
            )
        )
    else:
        print(format_summary(result), file=sys.stdout)
        if cache is not None:
            print(cache.sentence(), file=sys.stdout)
    for warning in getattr(result, "resource_warnings", []):
        print(f"hyperframes-desktop: warning: {warning}", file=sys.stderr)
    telemetry.get_client().flush(_FLUSH_TIMEOUT_S)
    return EXIT_OK


def _options(args: argparse.Namespace) -> RenderOptions:
    return RenderOptions(
        project=Path(args.project),
        composition=args.composition,
        output=Path(args.output) if args.output else None,
        fps=_fps(args.fps),
        quality=args.quality,
        format=output_format(args.format, args.output),
        workers=_workers(args.workers),
        resolution=args.resolution,
        gif_loop=args.gif_loop,
        variables=parse_variables_arg(args.variables, args.variables_file),
        frames=parse_frame_range(args.frames) if args.frames is not None else None,
        crf=args.crf,
        video_bitrate=args.video_bitrate,
        offline=args.offline,
        cache=not args.no_cache,
        follow_outside_links=args.follow_outside_links,
    )


def _run_batch(args: argparse.Namespace) -> int:
    """One render per line, on this computer one after another, or on the farm (--farm)
    as many lines at once as the farm has worker threads."""
    from hyperframes_desktop import telemetry
    from hyperframes_desktop.cli.batch_farm import farm_parallel
    from hyperframes_desktop.cli.batch_run import run_batch_file

    if args.output:
        print(
            "hyperframes-desktop: --batch names every output on its own line, so -o does not "
            "apply. Fix: drop -o, or put the folder into the batch file's outputs.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    try:
        base = _options(args)
        farm = farm_from_args(args)
    except RenderInputError as exc:
        print(f"hyperframes-desktop: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    parallel = 1
    if farm is not None:
        try:
            parallel = farm_parallel(farm)
        except FarmError as exc:
            print(f"hyperframes-desktop: render farm: {exc}", file=sys.stderr)
            for line in exc.details:
                print(f"  {line}", file=sys.stderr)
            return EXIT_FAILED
        print(f"Rendering up to {parallel} lines at once on the farm.", file=sys.stderr)
    cancel = threading.Event()

    def render_one(options: RenderOptions) -> Path:
        # Lines rendering side by side would mix their progress bars: outcomes only.
        printer = ProgressPrinter(sys.stderr) if parallel == 1 else None
        job = backend_for(farm)
        try:
            result = job.render(options, printer.update if printer else None, cancel)
        except (ProjectError, RenderInputError, MediaInputError, RenderError) as exc:
            if printer:
                printer.finish()
            stage = getattr(exc, "stage", "compile")
            telemetry.track_render_error(
                stage,
                job.elapsed_ms(),
                exc,
                source="cli",
                quality=options.quality,
                format=options.format,
            )
            raise
        if printer:
            printer.finish()
        telemetry.track_render_complete(result.perf, source="cli")
        return result.output

    try:
        return run_batch_file(args, base, render_one, parallel=parallel, cancel=cancel)
    finally:
        telemetry.get_client().flush(_FLUSH_TIMEOUT_S)


def _report_error(
    args: argparse.Namespace, job: RenderBackend | None, stage: str, exc: Exception
) -> None:
    from hyperframes_desktop import telemetry

    telemetry.track_render_error(
        stage,
        job.elapsed_ms() if job else 0.0,
        exc,
        source="cli",
        fps=float(Fraction(args.fps)) if args.fps and _is_number(args.fps) else None,
        quality=args.quality,
        format=output_format(args.format, args.output),
    )
    telemetry.get_client().flush(_FLUSH_TIMEOUT_S)


def _is_number(text: str) -> bool:
    try:
        Fraction(text)
    except (ValueError, ZeroDivisionError):
        return False
    return True
