"""``hyperframes-desktop vendor PROJECT``: copy every remote library, font and media file the
project names into ``vendor/`` and point its compositions at the copies (each changed file's
old bytes are kept as ``FILE.bak``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hyperframes_desktop.project.files import project_root
from hyperframes_desktop.project.timeline.writeback import atomic_write, write_all
from hyperframes_desktop.render.resources import Resolver, ResolverSettings
from hyperframes_desktop.render.resources.vendor import (
    composition_writes,
    plan_vendor,
    write_copies,
)

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "vendor",
        help="copy the project's remote libraries, fonts and media into vendor/",
        description="Copy every remote resource the project's compositions name (CDN "
        "libraries, Google Fonts and their font files, remote media) into PROJECT/vendor/ and "
        "rewrite those URLs to the copies, so the project renders with no network. Each "
        "changed file's previous bytes are kept as FILE.bak.",
    )
    p.add_argument("project", nargs="?", default=".", help="project folder (default: .)")
    p.add_argument(
        "--offline", action="store_true", help="copy from the cache only, download nothing"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = project_root(Path(args.project))
    if not root.is_dir():
        print(f"hyperframes-desktop: {root} is not a project folder.", file=sys.stderr)
        return EXIT_BAD_INPUT
    resolver = Resolver(ResolverSettings.from_environment(offline=args.offline))
    plan = plan_vendor(root, resolver)
    try:
        write_copies(root, plan)
        writes = composition_writes(plan, root, "the vendored URLs")
        for changed in writes:
            atomic_write(changed.path.with_name(changed.path.name + ".bak"), changed.before)
        write_all(writes, forward=True, why="vendor")
    except Exception as exc:
        print(f"hyperframes-desktop: vendor stopped: {exc}", file=sys.stderr)
        return EXIT_FAILED
    for url, relative in plan.vendored.items():
        print(f"{relative}  <-  {url}")
    for changed in plan.files:
        name = changed.path.relative_to(root).as_posix()
        print(f"rewrote {name} (previous version: {name}.bak)", file=sys.stderr)
    for refusal in plan.refusals:
        print(f"hyperframes-desktop: not vendored: {refusal.message}", file=sys.stderr)
    return EXIT_FAILED if plan.refusals else EXIT_OK
